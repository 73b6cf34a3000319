/**
 * `--only flood`: one hostile phone against a real server (issue 12, finding 2). A session of 3,000 published
 * questions (a snapshot is ~1 MB); one attendee's socket, written by hand (tests/helpers/rawSocketIo.ts), never reads
 * and sends `sync {since: 0}` frames for 60 s, 20,000 in all, spread evenly; meanwhile other phones keep sending
 * commands and measuring their acks, and `/healthz` is polled. Measured: /healthz latency, the server's RSS, the
 * other phones' ack latency, and when (and why) the server dropped the flooding socket. Then the same flood in one
 * burst, as the issue's script sent it.
 *
 * No bare socket.io baseline here: a bare server has no snapshot to ask for; what is compared is the issue's target.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'socket.io-client';
import type { Ack } from '../shared/protocol.ts';
import { parseMetrics, sample } from '../tests/helpers/metrics.ts';
import { RawSocketIo } from '../tests/helpers/rawSocketIo.ts';
import { seedPaperQuestions } from '../tests/helpers/seed.ts';
import { apiClient, connectSocket } from './lib/client.ts';
import { now, sleep, Worker } from './lib/rpc.ts';
import { summarise, type Summary } from './lib/stats.ts';
import { rssMiB } from './realtime.ts';
import { wardDay } from '../tests/helpers/wardDay.ts';

export interface FloodOptions {
  questions: number;
  frames: number;
  seconds: number;
  /** Other phones sending commands meanwhile, and how often each sends one (ms). */
  phones: number;
  everyMs: number;
  verbose: boolean;
}

export interface FloodRun {
  /** `paced`: the frames spread over `seconds`; `burst`: all in one write. */
  kind: 'paced' | 'burst';
  framesSent: number;
  /** From the first frame until the server dropped the socket; null when it never did. */
  droppedAfterMs: number | null;
  dropReason: string | null;
  health: Summary & { failed: number };
  ack: Summary & { failed: number };
  rssStartMiB: number;
  rssMaxMiB: number;
  seconds: number;
}

export interface FloodResult {
  questions: number;
  snapshotKB: number;
  phones: number;
  runs: FloodRun[];
}

const ADMIN_PASSWORD = 'bench-admin-password';

export async function floodFigure(
  options: FloodOptions,
  track: (w: { pid: number } | null, remove?: boolean) => void,
): Promise<FloodResult> {
  const server = await Worker.start<{ port: number; pid: number }>(
    'flood-server',
    new URL('./target.ts', import.meta.url).href,
    {
      env: {
        DATA_DIR: mkdtempSync(join(tmpdir(), 'bench-flood-')),
        ADMIN_PASSWORD,
        REDIS_URL: undefined,
        LOG_LEVEL: 'error',
      },
      verbose: options.verbose,
    },
  );
  track(server);
  const sockets: Socket[] = [];
  try {
    const url = `http://127.0.0.1:${server.info.port}`;
    const api = apiClient(url);
    const connect = (token: string) => connectSocket(url, sockets, token);
    const admin = (
      await api<{ token: string }>('POST', '/api/login', undefined, {
        username: 'admin',
        password: ADMIN_PASSWORD,
      })
    ).token;
    const session = await api<{ id: string; joinCode: string }>('POST', '/api/sessions', admin, {
      title: 'Hội nghị đối thoại (flood benchmark)',
      date: wardDay(),
      venue: 'Hội trường',
      moderation: 'open',
    });
    const adminSocket = await connect(admin);
    const live = (await adminSocket.emitWithAck('command', {
      id: randomUUID(),
      type: 'session.set_status',
      sessionId: session.id,
      status: 'live',
    })) as Ack;
    if (!live.ok) throw new Error(`set live: ${live.code}`);
    await seedPaperQuestions(adminSocket, session.id, options.questions);
    const join = () =>
      api<{ token: string }>('POST', '/api/join', undefined, {
        joinCode: session.joinCode,
        name: 'Điện thoại',
      });

    // The size of an attendee's snapshot; the other phones then sync from its seq (events, not a megabyte each).
    const probe = await connect((await join()).token);
    const first = await probe.timeout(60_000).emitWithAck('sync', { sessionId: session.id, since: 0 });
    const snapshotKB = JSON.stringify(first).length / 1024;
    const since = (first as { seq?: number }).seq ?? 0;
    // The other phones: each synced, then voting on and off a question every `everyMs`.
    const phones: Array<{ socket: Socket }> = [];
    for (let i = 0; i < options.phones; i++) {
      const socket = await connect((await join()).token);
      await socket.timeout(60_000).emitWithAck('sync', { sessionId: session.id, since });
      phones.push({ socket });
    }
    const questionIds = Object.keys(
      ((await api<{ questions: Record<string, unknown> }>('GET', `/api/sessions/${session.id}/state`, admin))
        .questions ?? {}) as Record<string, unknown>,
    );

    const run = async (kind: FloodRun['kind']): Promise<FloodRun> => {
      const flooder = await RawSocketIo.connect(server.info.port, (await join()).token);
      const dropsBefore = await drops(url);
      flooder.stopReading();
      const started = now();
      // The burst is over in a moment: watch its aftermath for 15 s.
      const seconds = kind === 'paced' ? options.seconds : Math.min(15, options.seconds);
      const until = started + seconds * 1000;
      let stop = false;
      const rss: number[] = [rssMiB(server.pid)];
      const health: number[] = [];
      let healthFailed = 0;
      const acks: number[] = [];
      let ackFailed = 0;
      let droppedAt: number | null = null;
      let dropReason: string | null = null;

      const pollHealth = async () => {
        while (!stop) {
          const t0 = now();
          try {
            const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5_000) });
            if (res.status !== 200) healthFailed++;
            health.push(now() - t0);
          } catch {
            healthFailed++;
          }
          await sleep(100);
        }
      };
      const watchServer = async () => {
        while (!stop) {
          rss.push(rssMiB(server.pid));
          if (droppedAt === null) {
            const dropped = await drops(url);
            for (const [reason, n] of Object.entries(dropped))
              if (n > (dropsBefore[reason] ?? 0)) {
                droppedAt = now();
                dropReason = reason;
              }
          }
          await sleep(250);
        }
      };
      const vote = async (socket: Socket, k: number) => {
        let value = true;
        while (!stop) {
          const t0 = now();
          try {
            const ack = (await socket.timeout(10_000).emitWithAck('command', {
              id: randomUUID(),
              type: 'question.vote',
              sessionId: session.id,
              questionId: questionIds[k % questionIds.length],
              value,
            })) as Ack;
            if (ack.ok) acks.push(now() - t0);
            else ackFailed++;
          } catch {
            ackFailed++;
          }
          value = !value;
          await sleep(options.everyMs * (0.5 + Math.random()));
        }
      };
      const frames = Array.from({ length: options.frames }, (_, i) =>
        RawSocketIo.event(i + 1, 'sync', { sessionId: session.id, since: 0 }),
      );
      let sent = 0;
      const flood = async () => {
        if (kind === 'burst') {
          flooder.sendAll(frames);
          sent = frames.length;
          return;
        }
        // Ten frames every `gap` ms: 20,000 frames over 60 s.
        const gap = (options.seconds * 1000 * 10) / options.frames;
        while (sent < frames.length && !flooder.isClosed && now() < until) {
          flooder.sendAll(frames.slice(sent, sent + 10));
          sent += 10;
          await sleep(Math.max(0, started + (sent / 10) * gap - now()));
        }
      };
      const background = [pollHealth(), watchServer(), ...phones.map((p, k) => vote(p.socket, k))];
      await flood();
      while (now() < until) await sleep(200);
      stop = true;
      await Promise.all(background);
      flooder.destroy();
      await sleep(1_000);
      return {
        kind,
        framesSent: sent,
        droppedAfterMs: droppedAt === null ? null : droppedAt - started,
        dropReason,
        health: { ...summarise(health), failed: healthFailed },
        ack: { ...summarise(acks), failed: ackFailed },
        rssStartMiB: rss[0] ?? Number.NaN,
        rssMaxMiB: Math.max(...rss),
        seconds,
      };
    };

    const log = (r: FloodRun) =>
      process.stdout.write(
        `  ${r.kind}: ${r.framesSent} frames; dropped ${r.droppedAfterMs === null ? 'never' : `after ${(r.droppedAfterMs / 1000).toFixed(1)} s (${r.dropReason})`}; ` +
          `healthz p99 ${r.health.p99.toFixed(0)} ms (failed ${r.health.failed}); acks p99 ${r.ack.p99.toFixed(0)} ms (n ${r.ack.n}, failed ${r.ack.failed}); ` +
          `RSS ${r.rssStartMiB.toFixed(0)} → max ${r.rssMaxMiB.toFixed(0)} MiB\n`,
      );
    const runs: FloodRun[] = [];
    for (const kind of ['paced', 'burst'] as const) {
      const r = await run(kind);
      log(r);
      runs.push(r);
    }
    return { questions: options.questions, snapshotKB, phones: options.phones, runs };
  } finally {
    for (const s of sockets) s.disconnect();
    await server.stop();
    track(server, true);
  }
}

/** Sockets the server dropped so far, by reason (its /metrics, read from this machine). */
async function drops(url: string): Promise<Record<string, number>> {
  const res = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5_000) });
  const samples = parseMetrics(await res.text());
  const out: Record<string, number> = {};
  for (const reason of ['too_many_in_flight', 'buffer_full', 'slow_reader'])
    out[reason] = sample(samples, 'dialogue_sockets_dropped_total', { reason });
  return out;
}
