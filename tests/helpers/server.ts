/** Starts the real app on port 0 with a temp data dir, and offers the calls tests make most. */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { createApp, type App } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import type { SessionState } from '../../shared/domain/types.ts';
import type { Ack, ClientToServerEvents, ServerToClientEvents, SyncReply } from '../../shared/protocol.ts';
import { wardDay } from './wardDay.ts';

export const ADMIN_PASSWORD = 'admin-test-password';
export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type StaffRole = 'admin' | 'chair' | 'vice_chair' | 'official' | 'secretary';

export interface TestServer {
  app: App;
  url: string;
  port: number;
  dataDir: string;
  adminToken: string;
  staffToken(
    role: StaffRole,
    options?: { fieldIds?: string[]; name?: string; username?: string },
  ): Promise<string>;
  createSession(overrides?: Record<string, unknown>): Promise<{ id: string; joinCode: string }>;
  /** Sets the session's status through the admin (draft → collecting → live …). */
  setStatus(sessionId: string, status: 'collecting' | 'live' | 'closed'): Promise<void>;
  join(
    joinCode: string,
    body?: Record<string, unknown>,
  ): Promise<{ token: string; sessionId: string; participantId: string }>;
  api<T = unknown>(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown },
  ): Promise<{ status: number; body: T }>;
  /** A connected socket.io client (websocket transport). */
  connect(token: string): Promise<ClientSocket>;
  command(token: string, cmd: Record<string, unknown>): Promise<Ack>;
  close(): Promise<void>;
}

export async function startServer(
  options: { dataDir?: string; env?: Record<string, string> } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'db-test-'));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    ADMIN_PASSWORD,
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const app = await createApp(config);
  const port = await app.listen();
  const url = `http://127.0.0.1:${port}`;
  const sockets = new Set<ClientSocket>();

  const api: TestServer['api'] = async (method, path, { token, body } = {}) => {
    const res = await fetch(url + path, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as never };
  };
  const login = async (username: string, password: string) => {
    const res = await api<{ token: string }>('POST', '/api/login', { body: { username, password } });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.token;
  };
  const adminToken = await login('admin', ADMIN_PASSWORD);

  const connect = (token: string) =>
    new Promise<ClientSocket>((resolve, reject) => {
      const socket: ClientSocket = io(url, {
        auth: { token },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      sockets.add(socket);
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', reject);
    });

  const command = async (token: string, cmd: Record<string, unknown>) => {
    const socket = await connect(token);
    try {
      return await socket.emitWithAck('command', { id: randomUUID(), ...cmd } as never);
    } finally {
      socket.disconnect();
      sockets.delete(socket);
    }
  };

  return {
    app,
    url,
    port,
    dataDir,
    adminToken,
    api,
    connect,
    command,
    async staffToken(role, opts = {}) {
      const username = opts.username ?? `${role.replace('_', '-')}-${randomUUID().slice(0, 8)}`;
      const res = await api('POST', '/api/users', {
        token: adminToken,
        body: {
          username,
          password: 'password-123',
          role,
          name: opts.name ?? username,
          fieldIds: opts.fieldIds ?? [],
        },
      });
      if (res.status !== 201) throw new Error(`create user: ${res.status} ${JSON.stringify(res.body)}`);
      return login(username, 'password-123');
    },
    async createSession(overrides = {}) {
      const today = wardDay();
      const res = await api<{ id: string; joinCode: string }>('POST', '/api/sessions', {
        token: adminToken,
        body: {
          title: 'Hội nghị đối thoại lần 1',
          date: today,
          venue: 'Hội trường UBND phường',
          ...overrides,
        },
      });
      if (res.status !== 201) throw new Error(`create session: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    async setStatus(sessionId, status) {
      const ack = await command(adminToken, { type: 'session.set_status', sessionId, status });
      if (!ack.ok) throw new Error(`set status ${status}: ${ack.code}`);
    },
    async join(joinCode, body = {}) {
      const res = await api<{ token: string; sessionId: string; participantId: string }>(
        'POST',
        '/api/join',
        { body: { joinCode, ...body } },
      );
      if (res.status !== 201) throw new Error(`join: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    async close() {
      for (const s of sockets) s.disconnect();
      await app.close();
    },
  };
}

/** Sync a socket to a session and collect every event it is pushed afterwards. */
export async function subscribe(socket: ClientSocket, sessionId: string, since = 0) {
  const received: Array<{ seq: number; type: string; [k: string]: unknown }> = [];
  socket.on('events', (msg) => {
    if (msg.sessionId === sessionId) received.push(...(msg.events as never[]));
  });
  const reply: SyncReply = await socket.emitWithAck('sync', { sessionId, since });
  return { reply, received };
}

/** The session's state as a staff client gets it on a full sync (the admin's socket.io connection to `server`). */
export async function staffState(server: TestServer, sessionId: string): Promise<SessionState> {
  const socket = await server.connect(server.adminToken);
  try {
    const reply: SyncReply = await socket.emitWithAck('sync', { sessionId, since: 0 });
    if (!reply.ok || reply.mode !== 'snapshot')
      throw new Error(`sync: ${JSON.stringify(reply).slice(0, 200)}`);
    return reply.state;
  } finally {
    socket.disconnect();
  }
}
