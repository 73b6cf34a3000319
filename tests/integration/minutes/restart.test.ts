/**
 * Durability across process restarts: the server runs as a child process (tests/helpers/minutesServer.ts) on the
 * SQLite store, is stopped gracefully or killed with SIGKILL, and a fresh client on a fresh server checks what
 * survived. Writers are destroyed before the restart: a live provider would resend its whole state on reconnect and
 * hide any loss.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  appendParagraph,
  minutesText,
  openMinutesClient,
  sleep,
  waitFor,
} from '../../helpers/minutesClient.ts';
import type { MinutesClient } from '../../helpers/minutesClient.ts';

interface ServerProcess {
  child: ChildProcess;
  url: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

let cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function startProcess(dataDir: string): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'tests/helpers/minutesServer.ts', '--dir', dataDir],
    {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 20_000);
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /READY (\d+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    void exited.then(() => reject(new Error(`server exited before READY: ${stderr}`)));
  });
  return { child, url: `ws://127.0.0.1:${port}/yjs`, exited };
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'minutes-restart-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function client(url: string, sessionId: string, token: string): MinutesClient {
  const opened = openMinutesClient(url, sessionId, token);
  cleanups.push(() => opened.destroy());
  return opened;
}

describe('restarts', () => {
  it('keeps every edit across a graceful restart, loading it before the first sync', async () => {
    const dir = tempDir();
    const first = await startProcess(dir);
    const writer = client(first.url, 'restart', 'w1');
    await writer.synced();
    for (let i = 0; i < 30; i++) appendParagraph(writer.doc, `edit ${i}`);
    const other = client(first.url, 'restart', 'w2');
    await other.synced();
    await waitFor(() => minutesText(other.doc).includes('edit 29'), 5_000, 'edits reached the server');
    writer.destroy();
    other.destroy();
    first.child.kill('SIGTERM');
    expect(await first.exited).toEqual({ code: 0, signal: null });

    const second = await startProcess(dir);
    const reader = client(second.url, 'restart', 'r');
    // Checked synchronously when `synced` turns true: the content came with the first sync step 2, so the stored
    // state was loaded before it was sent (a server that synced an empty doc first would fail here).
    const atSync = await new Promise<string[]>((resolve) =>
      reader.provider.once('sync', () => resolve(minutesText(reader.doc))),
    );
    expect(atSync.filter((t) => t.startsWith('edit '))).toHaveLength(30);
    expect(atSync.filter((t) => t === 'BIÊN BẢN')).toHaveLength(1);
  });

  it('loses at most the last second of edits when the server is killed with SIGKILL', async () => {
    const dir = tempDir();
    const first = await startProcess(dir);
    const writer = client(first.url, 'crash', 'w1');
    await writer.synced();
    const sentAt: number[] = [];
    let killedAt = 0;
    // Type steadily: one edit every 20 ms; kill the server in the middle of it.
    for (let i = 0; i < 150; i++) {
      appendParagraph(writer.doc, `typed ${i}`);
      sentAt.push(Date.now());
      if (i === 100) {
        first.child.kill('SIGKILL');
        killedAt = Date.now();
      }
      await sleep(20);
    }
    writer.destroy();
    expect((await first.exited).signal).toBe('SIGKILL');

    const second = await startProcess(dir);
    const reader = client(second.url, 'crash', 'r');
    await reader.synced();
    const survived = new Set(minutesText(reader.doc));
    const lost = sentAt.map((at, i) => ({ at, i })).filter(({ i }) => !survived.has(`typed ${i}`));
    // Everything sent more than a second before the kill is there…
    expect(lost.filter(({ at }) => at < killedAt - 1_000)).toEqual([]);
    // …and what is missing is only the tail (no holes in the middle), a fraction of a second of typing.
    const firstLost = lost[0]?.i ?? sentAt.length;
    expect(lost.map(({ i }) => i)).toEqual(
      Array.from({ length: sentAt.length - firstLost }, (_, k) => firstLost + k),
    );
    expect(firstLost).toBeGreaterThan(80);
    expect(minutesText(reader.doc).filter((t) => t === 'BIÊN BẢN')).toHaveLength(1);
  });
});
