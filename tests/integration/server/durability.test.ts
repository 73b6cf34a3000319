/**
 * Nothing acknowledged is ever lost, nothing resent happens twice (DESIGN §3 "Idempotency", §6): the real server
 * runs as a child process (`node --import tsx server/main.ts`), 20 phones submit questions in a burst, the server is
 * SIGKILLed in the middle of it and restarted on the same port and data dir, and every phone resends what was not
 * acknowledged with the same ids, as its outbox would. Then the log must hold every question exactly once, the
 * acknowledged ones at the seq their ack named, with seqs 1…n without gaps.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { io, type Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import type { Ack, ClientToServerEvents, ServerToClientEvents } from '../../../shared/protocol.ts';
import { SQLITE_FILE_NAME } from '../../../server/store/sqlite/index.ts';
import { freePort } from '../../helpers/freePort.ts';
import { wardDay } from '../../helpers/wardDay.ts';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const ADMIN_PASSWORD = 'durability-admin-password';
const PHONES = 20;
const QUESTIONS_PER_PHONE = 12;
/** Commands each phone has in flight at once: several, so that some are stored but not yet acknowledged at the kill. */
const WINDOW = 4;
const KILL_AFTER_ACKS = 70;
const START_TIMEOUT_MS = 30_000;
const ACK_TIMEOUT_MS = 10_000;

interface ServerProcess {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

async function startServerProcess(port: number, dataDir: string): Promise<ServerProcess> {
  const { REDIS_URL: _r, AUTH_SECRET: _a, ...env } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: repoRoot,
    env: {
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      ADMIN_PASSWORD,
      LOG_LEVEL: 'silent',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline && !gone) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200)
        return { child, exited, stderr: () => stderr };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not start on ${port}${gone ? ' (it exited)' : ''}:\n${stderr}`);
}

async function api<T>(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<T> {
  const res = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await res.json()) as T;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

function connect(base: string, token: string): Promise<ClientSocket> {
  return new Promise((resolve, reject) => {
    const socket: ClientSocket = io(base, {
      auth: { token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

interface Submit {
  id: string;
  type: 'question.submit';
  sessionId: string;
  questionId: string;
  text: string;
}

interface Phone {
  token: string;
  commands: Submit[];
  /** Command id → the seq its ack named. */
  acked: Map<string, number>;
  failed: Ack[];
}

/**
 * Sends the phone's commands with up to WINDOW in flight, until all are acknowledged or the socket is gone. A
 * command whose ack never came (timeout, disconnect) stays unacknowledged: the outbox resends it later.
 */
async function burst(socket: ClientSocket, phone: Phone, onAck: () => void): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < phone.commands.length && socket.connected) {
      const command = phone.commands[next++];
      if (!command) break;
      try {
        const ack = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('command', command);
        if (ack.ok) phone.acked.set(command.id, ack.seq);
        else phone.failed.push(ack);
        onAck();
      } catch {
        // No ack: disconnected or timed out. Not acknowledged, so it will be resent.
      }
    }
  };
  await Promise.all(Array.from({ length: WINDOW }, worker));
}

describe('durability across a SIGKILL of the server', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'dialogue-board-durability-'));
  const children: ChildProcess[] = [];
  const sockets: ClientSocket[] = [];

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged question exactly once, applies every resend once, and leaves no gaps', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const first = await startServerProcess(port, dataDir);
    children.push(first.child);

    const { token: adminToken } = await api<{ token: string }>(base, 'POST', '/api/login', {
      username: 'admin',
      password: ADMIN_PASSWORD,
    });
    const today = wardDay();
    const session = await api<{ id: string; joinCode: string }>(
      base,
      'POST',
      '/api/sessions',
      { title: 'Đối thoại bền vững', date: today, venue: 'Hội trường', moderation: 'open' },
      adminToken,
    );
    const admin = await connect(base, adminToken);
    sockets.push(admin);
    expect(
      await admin.emitWithAck('command', {
        id: randomUUID(),
        type: 'session.set_status',
        sessionId: session.id,
        status: 'live',
      }),
    ).toMatchObject({ ok: true });
    admin.disconnect();

    const phones: Phone[] = [];
    for (let p = 0; p < PHONES; p++) {
      const { token } = await api<{ token: string }>(base, 'POST', '/api/join', {
        joinCode: session.joinCode,
        name: `Người ${p}`,
      });
      const commands = Array.from({ length: QUESTIONS_PER_PHONE }, (_, i): Submit => ({
        id: randomUUID(),
        type: 'question.submit',
        sessionId: session.id,
        questionId: randomUUID(),
        text: `Câu hỏi ${i} của người ${p}`,
      }));
      phones.push({ token, commands, acked: new Map(), failed: [] });
    }

    // The burst, and the kill in the middle of it.
    const phoneSockets = await Promise.all(phones.map((p) => connect(base, p.token)));
    sockets.push(...phoneSockets);
    let acks = 0;
    let killedAt = -1;
    const onAck = () => {
      acks += 1;
      if (acks >= KILL_AFTER_ACKS && killedAt < 0) {
        killedAt = acks;
        first.child.kill('SIGKILL');
      }
    };
    await Promise.all(phones.map((phone, i) => burst(phoneSockets[i] as ClientSocket, phone, onAck)));
    expect(await first.exited).toMatchObject({ signal: 'SIGKILL' });
    const ackedBeforeKill = phones.reduce((n, p) => n + p.acked.size, 0);
    expect(killedAt).toBeGreaterThan(0);
    expect(ackedBeforeKill).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
    expect(ackedBeforeKill, 'the kill came mid-burst').toBeLessThan(PHONES * QUESTIONS_PER_PHONE);
    expect(phones.flatMap((p) => p.failed)).toEqual([]);
    for (const s of phoneSockets) s.disconnect();

    // Restart on the same port and data dir; every phone resends what was not acknowledged, in order, same ids.
    const second = await startServerProcess(port, dataDir);
    children.push(second.child);
    let duplicates = 0;
    await Promise.all(
      phones.map(async (phone) => {
        const socket = await connect(base, phone.token);
        sockets.push(socket);
        for (const command of phone.commands.filter((c) => !phone.acked.has(c.id))) {
          const ack = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('command', command);
          expect(ack, `resend of ${command.id}`).toMatchObject({ ok: true });
          if (ack.ok) {
            phone.acked.set(command.id, ack.seq);
            if (ack.duplicate) duplicates += 1;
          }
        }
        // A resend of something acknowledged before the kill is recognised too, with its original seq.
        const old = phone.commands[0];
        if (old)
          expect(await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('command', old)).toEqual({
            ok: true,
            seq: phone.acked.get(old.id),
            duplicate: true,
          });
        socket.disconnect();
      }),
    );
    console.info(
      `durability: killed after ${ackedBeforeKill} acks; ${duplicates} resends had been stored before the kill`,
    );

    // The state as a panel sees it after the restart: every question, once.
    const panel = await connect(base, adminToken);
    sockets.push(panel);
    const reply = await panel.emitWithAck('sync', { sessionId: session.id, since: 0 });
    if (!reply.ok || reply.mode !== 'snapshot') throw new Error(`sync: ${JSON.stringify(reply)}`);
    const all = phones.flatMap((p) => p.commands);
    expect(Object.keys(reply.state.questions).sort()).toEqual(all.map((c) => c.questionId).sort());
    for (const c of all) expect(reply.state.questions[c.questionId]?.text).toBe(c.text);
    panel.disconnect();

    // The log itself (read-only, beside the running server): seqs 1…n, each question submitted once, each ack true.
    const db = new Database(join(dataDir, SQLITE_FILE_NAME), { readonly: true, fileMustExist: true });
    try {
      const rows = db
        .prepare<[string], { seq: number; type: string; json: string }>(
          'SELECT seq, type, json FROM events WHERE session_id = ? ORDER BY seq',
        )
        .all(session.id);
      expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
      expect(reply.seq).toBe(rows.length);
      const submitted = rows.filter((r) => r.type === 'question.submitted');
      const byQuestion = new Map<string, number[]>();
      for (const r of submitted) {
        const id = (JSON.parse(r.json) as { question: { id: string } }).question.id;
        byQuestion.set(id, [...(byQuestion.get(id) ?? []), r.seq]);
      }
      expect([...byQuestion.values()].filter((seqs) => seqs.length !== 1)).toEqual([]);
      expect(submitted).toHaveLength(all.length);
      for (const phone of phones)
        for (const c of phone.commands)
          expect(byQuestion.get(c.questionId), c.questionId).toEqual([phone.acked.get(c.id)]);
    } finally {
      db.close();
    }

    second.child.kill('SIGTERM');
    expect(await second.exited).toMatchObject({ code: 0 });
  }, 120_000);
});
