import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore, SQLITE_FILE_NAME } from '../../../server/store/sqlite/index.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const appendLoop = join(repoRoot, 'tests/helpers/sqliteAppendLoop.ts');
/** Upper bound for one child; it is killed long before, after `killAfterAcks` acknowledgements. */
const MAX_APPENDS = 100_000;
const CHILD_TIMEOUT_MS = 20_000;

interface Ack {
  seq: number;
  commandId: string;
}

/** Runs the append loop, SIGKILLs it once `killAfterAcks` appends were acknowledged, and returns every ack it saw. */
function runAndKill(dataDir: string, sessionId: string, killAfterAcks: number): Promise<Ack[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', appendLoop, dataDir, sessionId, String(MAX_APPENDS)],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const acks: Ack[] = [];
    let pending = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const [word, seq, commandId] = line.split(' ');
        if (word !== 'acked' || seq === undefined || commandId === undefined) continue;
        acks.push({ seq: Number(seq), commandId });
      }
      if (acks.length >= killAfterAcks) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL' && acks.length >= killAfterAcks) resolve(acks);
      else reject(new Error(`append loop ended with ${code ?? signal} after ${acks.length} acks\n${stderr}`));
    });
  });
}

describe('sqlite store under SIGKILL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'dialogue-board-crash-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps every acknowledged append exactly once, whole commands only, without gaps', async () => {
    const sessionId = randomUUID();
    const acks: Ack[] = [];
    // Three crashes in a row, each resuming from the log the previous one left, killed at different depths.
    for (const killAfterAcks of [150, 40, 300])
      acks.push(...(await runAndKill(dataDir, sessionId, killAfterAcks)));

    const db = new Database(join(dataDir, SQLITE_FILE_NAME));
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }

    const store = openSqliteStore(dataDir);
    try {
      const events = await store.events.read(sessionId, 0);
      const head = await store.events.head(sessionId);
      expect(events.map((event) => event.seq)).toEqual(Array.from({ length: head }, (_, index) => index + 1));
      expect(head % 2).toBe(0);
      for (let index = 0; index < events.length; index += 2) {
        expect([events[index]?.commandId, events[index]?.part, events[index + 1]?.part]).toEqual([
          events[index + 1]?.commandId,
          1,
          2,
        ]);
      }
      const seqOfCommand = new Map<unknown, number>();
      for (const event of events) seqOfCommand.set(event.commandId, event.seq);
      expect(seqOfCommand.size * 2).toBe(events.length);
      for (const ack of acks) {
        expect(seqOfCommand.get(ack.commandId)).toBe(ack.seq);
        expect(await store.events.commandSeq(sessionId, ack.commandId)).toBe(ack.seq);
      }
      expect(head).toBeGreaterThanOrEqual(Math.max(...acks.map((ack) => ack.seq)));
    } finally {
      await store.close();
    }
  });
});
