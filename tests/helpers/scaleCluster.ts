/**
 * Scale-out test kit: app nodes as child processes (for SIGKILL), and a client that behaves like the real one where
 * it matters here — it knows several node addresses and fails over, syncs from its last seq, folds events with the
 * shared `apply`, and keeps unacknowledged commands in an outbox that it resends with the same id.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { io } from 'socket.io-client';
import { apply } from '../../shared/domain/apply.ts';
import type { DomainEvent } from '../../shared/domain/events.ts';
import type { SessionState } from '../../shared/domain/types.ts';
import type { Ack, SyncReply } from '../../shared/protocol.ts';
import { openRedisStore } from '../../server/store/redis/index.ts';
import type { StoredEvent } from '../../server/store/EventStore.ts';
import type { RedisTarget } from '../../server/store/redis/redisTarget.ts';
import { createRedisMinutesRelay } from '../../server/scale/minutesRelay.ts';
import { freePort } from './freePort.ts';
import { ADMIN_PASSWORD, type ClientSocket } from './server.ts';
import { RESENT, type ClientStep } from './history/check.ts';
import { startMinutesTestServer, type MinutesTestServer } from './minutesTestServer.ts';
import { wardDay } from './wardDay.ts';

const ROOT = resolve(import.meta.dirname, '../..');
// A node loads the server through tsx; on a busy 2-core machine that alone has taken over 25 s.
const READY_TIMEOUT_MS = 90_000;

/** Every node process this test process started and has not seen exit: killed if the test process exits first. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface NodeProcess {
  url: string;
  pid: number;
  /** Signals this node's process only. */
  kill(signal: NodeJS.Signals): void;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
  /** SIGTERM (graceful) and wait; removes the data dir. */
  stop(): Promise<void>;
  /** The process' stderr so far (for failure messages). */
  stderr(): string;
}

/**
 * Starts `node --import tsx server/main.ts` on a free port, pointed at `redis` (a URL, or the environment of a
 * Sentinel set-up: REDIS_SENTINELS, REDIS_MASTER_NAME…); resolves when /healthz answers.
 */
export async function spawnNode(
  redis: string | Record<string, string>,
  authSecret: string,
  env: Record<string, string> = {},
  /** A port to listen on (a node restarted where its clients look for it); a free one by default. */
  fixedPort?: number,
  readyTimeoutMs = READY_TIMEOUT_MS,
): Promise<NodeProcess> {
  const port = fixedPort ?? (await freePort());
  const dataDir = mkdtempSync(join(tmpdir(), 'db-node-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      ...(typeof redis === 'string' ? { REDIS_URL: redis } : redis),
      ADMIN_PASSWORD,
      AUTH_SECRET: authSecret,
      LOG_LEVEL: 'silent',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  running.add(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((done) =>
    child.once('exit', () => {
      running.delete(child);
      done();
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`node exited at start:\n${stderr}`);
    const ok = await fetch(`${url}/healthz`).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`node on ${port} not ready in ${readyTimeoutMs} ms:\n${stderr}`);
    }
    await sleep(100);
  }
  return {
    url,
    pid: child.pid ?? -1,
    kill: (signal) => child.kill(signal),
    exited,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ClientOptions {
  /** Node addresses in the order to try; the client starts on the first. */
  urls: string[];
  token: string;
  sessionId: string;
  /** Staff sockets see every event: a gap in their seqs is a bug, and it is recorded. */
  staff?: boolean;
  /** false: only sends commands, never syncs, so it is pushed nothing (many senders in one test process). */
  listen?: boolean;
  /** Records what this client sends, is acknowledged, syncs and is pushed (the history of a fault test). */
  onStep?: (step: ClientStep) => void;
  /** The id of what a command creates (a question, a hand), recorded with its `send`. */
  creates?: (command: Record<string, unknown>) => string | undefined;
}

export class SyncedClient {
  readonly #options: ClientOptions;
  #socket: ClientSocket | null = null;
  #urlIndex = 0;
  #connecting: Promise<ClientSocket> | null = null;
  #closed = false;
  state: SessionState | null = null;
  seq = 0;
  /** Seqs of the events folded from pushes, in arrival order. */
  readonly pushed: number[] = [];
  /** Pushed events at or below the client's seq (ignored, as the real client does). */
  duplicates = 0;
  /** Staff only: a pushed event whose seq was not the next one. */
  readonly gaps: Array<{ expected: number; got: number }> = [];
  /** Retryable failures the server answered, by code (e.g. conflict under contention). */
  readonly retried: Record<string, number> = {};
  /** Unacknowledged commands, by id. */
  readonly outbox = new Map<string, Record<string, unknown>>();
  /** Every address this client connected to, in order. */
  readonly connections: string[] = [];

  constructor(options: ClientOptions) {
    this.#options = options;
  }

  get url(): string {
    return this.#options.urls[this.#urlIndex] ?? '';
  }

  /** Connects (failing over through the addresses) and syncs; resolves with the connected socket. */
  connected(): Promise<ClientSocket> {
    if (this.#socket?.connected && !this.#connecting) return Promise.resolve(this.#socket);
    this.#connecting ??= this.#connect().finally(() => (this.#connecting = null));
    return this.#connecting;
  }

  /**
   * Sends a command until it is acknowledged (ok, or a final failure), resending with the same id after timeouts,
   * disconnects and retryable failures — like the real client's outbox.
   */
  async send(command: Record<string, unknown> & { id: string }, deadlineMs = 60_000): Promise<Ack> {
    this.outbox.set(command.id, command);
    const deadline = Date.now() + deadlineMs;
    for (let attempt = 0; Date.now() < deadline; attempt++) {
      // No node reachable for a while (all restarting or paused): keep trying until the deadline, as the real client.
      const socket = await this.connected().catch(() => null);
      if (!socket) continue;
      const record = this.#options.onStep;
      if (record) {
        const creates = this.#options.creates?.(command);
        record({
          kind: 'send',
          at: performance.now(),
          commandId: command.id,
          type: String(command['type']),
          node: this.url,
          ...(creates !== undefined ? { creates } : {}),
        });
      }
      const ack: Ack | null = await socket
        .timeout(5_000)
        .emitWithAck('command', command as never)
        .catch(() => null);
      if (ack && record)
        record(
          ack.ok
            ? { kind: 'ack', at: performance.now(), commandId: command.id, ok: true, seq: ack.seq }
            : { kind: 'ack', at: performance.now(), commandId: command.id, ok: false, code: ack.code },
        );
      if (ack && (ack.ok || !RESENT.has(ack.code))) {
        this.outbox.delete(command.id);
        return ack;
      }
      if (ack) this.retried[ack.code] = (this.retried[ack.code] ?? 0) + 1;
      await sleep(Math.min(20 * 2 ** Math.min(attempt, 6), 1_000) * (0.5 + Math.random()));
    }
    throw new Error(`command ${command.id} not acknowledged in ${deadlineMs} ms`);
  }

  close(): void {
    this.#closed = true;
    this.#socket?.disconnect();
  }

  async #connect(): Promise<ClientSocket> {
    const deadline = Date.now() + 30_000;
    for (let attempt = 0; ; attempt++) {
      if (this.#closed) throw new Error('client closed');
      const url = this.url;
      try {
        const socket = await this.#open(url);
        this.connections.push(url);
        return socket;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        // Next address; a short pause once every address was tried.
        this.#urlIndex = (this.#urlIndex + 1) % this.#options.urls.length;
        if (this.#urlIndex === 0) await sleep(100);
      }
    }
  }

  async #open(url: string): Promise<ClientSocket> {
    this.#socket?.removeAllListeners();
    this.#socket?.disconnect();
    const socket: ClientSocket = io(url, {
      auth: { token: this.#options.token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      timeout: 2_000,
    });
    this.#socket = socket;
    await new Promise<void>((done, fail) => {
      socket.once('connect', () => done());
      socket.once('connect_error', fail);
    });
    socket.on('events', (message) => {
      if (message.sessionId !== this.#options.sessionId) return;
      this.#options.onStep?.({ kind: 'events', at: performance.now(), events: message.events });
      this.#fold(message.events);
    });
    socket.on('disconnect', () => {
      // Fail over in the background; `send` waits for it through `connected()`.
      if (!this.#closed && this.#socket === socket) void this.connected().catch(() => {});
    });
    if (this.#options.listen === false) return socket;
    const since = this.seq;
    const sentAt = performance.now();
    const reply: SyncReply = await socket
      .timeout(5_000)
      .emitWithAck('sync', { sessionId: this.#options.sessionId, since });
    if (!reply.ok) throw new Error(`sync failed: ${reply.code}`);
    this.#options.onStep?.({ kind: 'sync', sentAt, at: performance.now(), since, seq: reply.seq });
    if (reply.mode === 'snapshot') this.state = reply.state;
    else if (this.state) for (const e of reply.events) this.state = apply(this.state, e);
    this.seq = Math.max(this.seq, reply.seq);
    return socket;
  }

  #fold(events: DomainEvent[]): void {
    for (const e of events) {
      if (!this.state || e.seq <= this.seq) {
        this.duplicates++;
        continue;
      }
      if (this.#options.staff && e.seq !== this.seq + 1)
        this.gaps.push({ expected: this.seq + 1, got: e.seq });
      this.state = apply(this.state, e);
      this.seq = e.seq;
      this.pushed.push(e.seq);
    }
  }
}

/** The REST calls the scale-out tests make against a node by its address. */
export const rest = {
  async call<T>(url: string, method: string, path: string, body?: unknown, token?: string): Promise<T> {
    const res = await fetch(url + path, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  },
  async adminToken(url: string): Promise<string> {
    return (
      await rest.call<{ token: string }>(url, 'POST', '/api/login', {
        username: 'admin',
        password: ADMIN_PASSWORD,
      })
    ).token;
  },
  /** A live session with open moderation (questions are published at once). */
  async liveSession(url: string, adminToken: string): Promise<{ id: string; joinCode: string }> {
    const today = wardDay();
    const session = await rest.call<{ id: string; joinCode: string }>(
      url,
      'POST',
      '/api/sessions',
      { title: 'Đối thoại toàn thành phố', date: today, venue: 'Trực tuyến', moderation: 'open' },
      adminToken,
    );
    const admin = new SyncedClient({ urls: [url], token: adminToken, sessionId: session.id, listen: false });
    const ack = await admin.send({
      id: randomUUID(),
      type: 'session.set_status',
      sessionId: session.id,
      status: 'live',
    });
    admin.close();
    if (!ack.ok) throw new Error(`set live: ${ack.code}`);
    return session;
  },
  join(url: string, joinCode: string): Promise<{ token: string; participantId: string }> {
    return rest.call(url, 'POST', '/api/join', { joinCode });
  },
};

/**
 * A minutes test server (tests/helpers/minutesTestServer.ts) whose documents live in Redis and which relays through
 * Redis, as one node of a scale-out; `beforeLoad` runs before each document load (to line up races).
 */
export async function minutesTestServerOnRedis(
  redisUrl: string,
  dataDir: string,
  beforeLoad: () => Promise<void> = async () => {},
): Promise<MinutesTestServer> {
  const store = await openRedisStore(redisUrl, { onError: () => {} });
  const relay = await createRedisMinutesRelay(redisUrl);
  const ydocs = {
    appendUpdate: (name: string, update: Uint8Array) => store.ydocs.appendUpdate(name, update),
    loadUpdates: async (name: string) => {
      await beforeLoad();
      return store.ydocs.loadUpdates(name);
    },
    compact: (name: string, merged: Uint8Array, count: number) => store.ydocs.compact(name, merged, count),
    seal: (name: string) => store.ydocs.seal(name),
    isSealed: (name: string) => store.ydocs.isSealed(name),
  };
  const server = await startMinutesTestServer({ dataDir, options: { ydocs, relay } });
  return {
    ...server,
    async close() {
      await server.close();
      await relay.close();
      await store.close();
    },
  };
}

/** The session's whole log, read straight from Redis (a URL, or a Sentinel target: from the current primary). */
export async function readLog(redis: string | RedisTarget, sessionId: string): Promise<StoredEvent[]> {
  const store = await openRedisStore(redis, { onError: () => {} });
  try {
    return await store.events.read(sessionId, 0);
  } finally {
    await store.close();
  }
}

/** Runs `task` over `items` with at most `limit` at a time. */
export async function pool<T, R>(
  items: T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
