/** The figures that need no phones: start-up replay, minutes propagation, initial JavaScript per surface. */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureRoutes } from '../scripts/check-bundle-size.ts';
import { Worker } from './lib/rpc.ts';
import { median, summarise, type Summary } from './lib/stats.ts';

type Track = (w: { pid: number } | null, remove?: boolean) => void;

export interface ReplayResult {
  events: number;
  participants: number;
  questions: number;
  snapshotSeq: number;
  snapshotKB: number;
  dbMB: number;
  prepareMs: number;
  /** createApp + first sessions.state(id), median of the runs, ms. */
  withSnapshotMs: number;
  withoutSnapshotMs: number;
  runs: { withSnapshot: number[]; withoutSnapshot: number[] };
  importMs: number;
}

interface StartInfo {
  importMs: number;
  createAppMs: number;
  firstStateMs: number;
  readyMs: number;
  seq: number;
}

export async function replayFigure(
  events: number,
  runs: number,
  track: Track,
  verbose: boolean,
): Promise<ReplayResult> {
  const root = mkdtempSync(join(tmpdir(), 'bench-replay-'));
  const file = new URL('./replay.ts', import.meta.url).href;
  try {
    const t0 = performance.now();
    const prep = await Worker.start<{
      sessionId: string;
      events: number;
      participants: number;
      questions: number;
      snapshotSeq: number;
      snapshotKB: number;
      dbMB: number;
      dirs: { snapshot: string; noSnapshot: string };
    }>('replay-prepare', file, { args: ['prepare', root, String(events)], readyTimeoutMs: 900_000, verbose });
    track(prep);
    const prepareMs = performance.now() - t0;
    await prep.stop();
    track(prep, true);
    const time = async (dir: string) => {
      const w = await Worker.start<StartInfo>('replay-start', file, {
        args: ['start', dir, prep.info.sessionId],
        readyTimeoutMs: 300_000,
        verbose,
      });
      track(w);
      await w.stop();
      track(w, true);
      if (w.info.seq !== prep.info.events)
        throw new Error(`replayed ${w.info.seq} of ${prep.info.events} events`);
      return w.info;
    };
    const withSnapshot: StartInfo[] = [];
    const withoutSnapshot: StartInfo[] = [];
    for (let i = 0; i < runs; i++) {
      withSnapshot.push(await time(prep.info.dirs.snapshot));
      withoutSnapshot.push(await time(prep.info.dirs.noSnapshot));
    }
    return {
      events: prep.info.events,
      participants: prep.info.participants,
      questions: prep.info.questions,
      snapshotSeq: prep.info.snapshotSeq,
      snapshotKB: prep.info.snapshotKB,
      dbMB: prep.info.dbMB,
      prepareMs,
      withSnapshotMs: median(withSnapshot.map((r) => r.readyMs)),
      withoutSnapshotMs: median(withoutSnapshot.map((r) => r.readyMs)),
      runs: {
        withSnapshot: withSnapshot.map((r) => r.readyMs),
        withoutSnapshot: withoutSnapshot.map((r) => r.readyMs),
      },
      importMs: median([...withSnapshot, ...withoutSnapshot].map((r) => r.importMs)),
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export interface MinutesResult {
  /** Where the editors connected: the app's own /yjs/ endpoint, or a standalone createMinutesServer. */
  endpoint: 'app' | 'standalone';
  edits: number;
  intervalMs: number;
  summary: Summary;
  missing: number;
}

/**
 * Three editors. `app` is tried first (url, session and staff tokens of a running real server); when it does not
 * speak y-websocket at /yjs/ the same measurement runs against a standalone createMinutesServer process.
 */
export async function minutesFigure(
  edits: number,
  intervalMs: number,
  app: { url: string; sessionId: string; tokens: string[] } | null,
  track: Track,
  verbose: boolean,
): Promise<MinutesResult> {
  const file = new URL('./minutes.ts', import.meta.url).href;
  const editors = await Worker.start('minutes-editors', file, { args: ['edit'], verbose });
  track(editors);
  let standalone: Worker<{ port: number }> | null = null;
  try {
    let endpoint: MinutesResult['endpoint'] = 'app';
    if (!app || !(await editors.call<boolean>('connect', app, 30_000))) {
      endpoint = 'standalone';
      standalone = await Worker.start<{ port: number }>('minutes-server', file, { args: ['serve'], verbose });
      track(standalone);
      const ok = await editors.call<boolean>(
        'connect',
        {
          url: `http://127.0.0.1:${standalone.info.port}`,
          sessionId: 'bench-minutes',
          tokens: ['a', 'b', 'c'],
        },
        30_000,
      );
      if (!ok) throw new Error('the standalone minutes server did not sync');
    }
    const r = await editors.call<{ latencies: number[]; missing: number }>(
      'run',
      { edits, intervalMs },
      edits * intervalMs + 60_000,
    );
    return { endpoint, edits, intervalMs, summary: summarise(r.latencies), missing: r.missing };
  } finally {
    await editors.stop();
    track(editors, true);
    if (standalone) {
      await standalone.stop();
      track(standalone, true);
    }
  }
}

export interface BundleResult {
  builtAt: string | null;
  rows: Array<{
    surface: string;
    gzipKB: number;
    rawKB: number;
    chunks: number;
    budgetKB: number | undefined;
    ok: boolean;
  }>;
  error?: string;
}

export function bundleFigure(distDir = 'dist/client'): BundleResult {
  try {
    const builtAt = statSync(join(distDir, '.vite', 'manifest.json')).mtime.toISOString();
    return {
      builtAt,
      rows: measureRoutes(distDir).map((r) => ({
        surface: r.surface,
        gzipKB: r.gzipBytes / 1024,
        rawKB: r.rawBytes / 1024,
        chunks: r.files.length,
        budgetKB: r.budgetKb,
        ok: r.ok,
      })),
    };
  } catch (err) {
    return { builtAt: null, rows: [], error: err instanceof Error ? err.message : String(err) };
  }
}
