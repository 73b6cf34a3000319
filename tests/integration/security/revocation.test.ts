/**
 * Authority that follows the account (ASVS V3.3, V4.1): when the admin disables an account or changes its role,
 * fields or password, the sockets and minutes connections it already has open stop within a second — on every node
 * — and whatever they send afterwards changes nothing. A token signed with a previous AUTH_SECRET opens nothing.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { io } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Ack } from '../../../shared/protocol.ts';
import { MinutesCloseCode } from '../../../shared/minutes/closeCodes.ts';
import {
  appendParagraph,
  minutesText,
  openMinutesClient,
  sleep,
  waitFor,
  type MinutesClient,
} from '../../helpers/minutesClient.ts';
import {
  staffState,
  startServer,
  subscribe,
  type ClientSocket,
  type TestServer,
} from '../../helpers/server.ts';
import { twoNodesOnRedis } from '../../helpers/twoNodes.ts';

const minutesClients: MinutesClient[] = [];
afterEach(() => {
  for (const c of minutesClients.splice(0)) c.destroy();
});

/** A staff account (username known, for the admin to change it) and its token. */
async function account(server: TestServer, role: string, extra: Record<string, unknown> = {}) {
  const username = `${role.replace('_', '-')}-${randomUUID().slice(0, 8)}`;
  const token = await server.staffToken(role as 'chair', { username, ...extra });
  return { username, token };
}

async function adminChanges(server: TestServer, username: string, body: Record<string, unknown>) {
  const res = await server.api('PATCH', `/api/users/${username}`, { token: server.adminToken, body });
  expect(res.status).toBe(200);
}

/** A live session with one question waiting for approval. */
async function liveSessionWithPendingQuestion(server: TestServer) {
  const session = await server.createSession({ moderation: 'review' });
  await server.setStatus(session.id, 'live');
  const phone = await server.join(session.joinCode);
  const questionId = randomUUID();
  const ack = await server.command(phone.token, {
    type: 'question.submit',
    sessionId: session.id,
    questionId,
    text: 'Thủ tục cấp sổ đỏ mất bao lâu?',
  });
  expect(ack.ok).toBe(true);
  return { ...session, questionId };
}

/** An open staff socket, synced to the session (as the panel keeps one). */
async function openSocket(server: TestServer, token: string, sessionId: string) {
  const socket = await server.connect(token);
  const { reply } = await subscribe(socket, sessionId);
  expect(reply.ok).toBe(true);
  const disconnected = new Promise<number>((resolve) => socket.once('disconnect', () => resolve(Date.now())));
  return { socket, disconnected };
}

/** Sends a command on an open socket; null when no ack came (the socket was closed under it). */
const sendOn = (socket: ClientSocket, command: Record<string, unknown>): Promise<Ack | null> =>
  socket
    .timeout(2_000)
    .emitWithAck('command', { id: randomUUID(), ...command } as never)
    .catch(() => null);

/** Resolves with the time `promise` took, or fails after `ms`. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function openMinutes(server: TestServer, sessionId: string, token: string): MinutesClient {
  const client = openMinutesClient(`ws://127.0.0.1:${server.port}/yjs`, sessionId, token);
  minutesClients.push(client);
  return client;
}

/** The minutes as stored: read by a fresh read-only connection. */
async function storedMinutes(server: TestServer, sessionId: string): Promise<string> {
  const reader = openMinutes(server, sessionId, await server.staffToken('official'));
  await reader.synced();
  return minutesText(reader.doc).join('\n');
}

/**
 * The checks every node must pass: `apiNode` is where the admin acts, `socketNode` where the account's connections
 * are open (the same node, or another one behind the load balancer).
 */
function revocationSuite(nodes: () => { apiNode: TestServer; socketNode: TestServer }) {
  it('an open socket of a disabled secretary can no longer approve questions or set the agenda', async () => {
    const { apiNode, socketNode } = nodes();
    const session = await liveSessionWithPendingQuestion(apiNode);
    const secretary = await account(apiNode, 'secretary');
    const { socket, disconnected } = await openSocket(socketNode, secretary.token, session.id);
    const before = await staffState(apiNode, session.id);

    await adminChanges(apiNode, secretary.username, { disabled: true });
    const changedAt = Date.now();
    const acks = await Promise.all([
      sendOn(socket, { type: 'question.approve', sessionId: session.id, questionIds: [session.questionId] }),
      sendOn(socket, {
        type: 'agenda.set',
        sessionId: session.id,
        items: [{ id: randomUUID(), title: 'Mục do tài khoản đã khoá đặt' }],
      }),
    ]);
    for (const ack of acks) expect(ack?.ok ?? false).toBe(false);
    expect((await within(disconnected, 1_000, 'the socket closing')) - changedAt).toBeLessThan(1_000);

    const after = await staffState(apiNode, session.id);
    expect(after.questions[session.questionId]?.status).toBe('pending');
    expect(after.agenda).toEqual(before.agenda);
    // Nor does its token open a new socket.
    await expect(socketNode.connect(secretary.token)).rejects.toThrow();
  });

  it('an open socket of a chair demoted to official can no longer close the session', async () => {
    const { apiNode, socketNode } = nodes();
    const session = await liveSessionWithPendingQuestion(apiNode);
    const chair = await account(apiNode, 'chair');
    const { socket, disconnected } = await openSocket(socketNode, chair.token, session.id);

    await adminChanges(apiNode, chair.username, { role: 'official' });
    const ack = await sendOn(socket, { type: 'session.set_status', sessionId: session.id, status: 'closed' });
    expect(ack?.ok ?? false).toBe(false);
    await within(disconnected, 1_000, 'the socket closing');
    expect((await staffState(apiNode, session.id)).status).toBe('live');
  });

  it('changing an official’s fields closes the socket that acts with the old fields', async () => {
    const { apiNode, socketNode } = nodes();
    const session = await liveSessionWithPendingQuestion(apiNode);
    const official = await account(apiNode, 'official');
    const { disconnected } = await openSocket(socketNode, official.token, session.id);
    const fieldId = (
      await apiNode.api<{ fields: Array<{ id: string }> }>('GET', '/api/ward', {
        token: apiNode.adminToken,
      })
    ).body.fields[0]?.id;
    await adminChanges(apiNode, official.username, { fieldIds: [fieldId] });
    await within(disconnected, 1_000, 'the socket closing');
  });

  it('an open minutes connection of a disabled secretary is closed with a named code and saves no more edits', async () => {
    const { apiNode, socketNode } = nodes();
    const session = await liveSessionWithPendingQuestion(apiNode);
    const secretary = await account(apiNode, 'secretary');
    const writer = openMinutes(socketNode, session.id, secretary.token);
    await writer.synced();
    appendParagraph(writer.doc, 'Viết trước khi bị khoá');
    await waitFor(() => writer.provider.synced && !writer.provider.ws?.bufferedAmount, 2_000, 'edit sent');
    await sleep(300); // the server writes accepted updates within its flush delay

    await adminChanges(apiNode, secretary.username, { disabled: true });
    appendParagraph(writer.doc, 'Viết sau khi bị khoá');
    await waitFor(
      () => writer.closes.some((c) => c.code === MinutesCloseCode.Revoked),
      1_000,
      'the minutes connection closing with the revoked code',
    );
    await sleep(500);
    const stored = await storedMinutes(socketNode, session.id);
    expect(stored).toContain('Viết trước khi bị khoá');
    expect(stored).not.toContain('Viết sau khi bị khoá');
  });
}

describe('revocation on one node', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.close();
  });
  revocationSuite(() => ({ apiNode: server, socketNode: server }));
});

describe('revocation across two nodes on one Redis', () => {
  const nodes = twoNodesOnRedis();
  revocationSuite(() => ({ apiNode: nodes.a, socketNode: nodes.b }));
});

describe('rotating AUTH_SECRET', () => {
  it('refuses the tokens signed before `npm run rotate-secret` replaced the stored key', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'db-rotate-'));
    const first = await startServer({ dataDir });
    const old = await first.staffToken('chair');
    await first.close();

    const rotate = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/rotate-auth-secret.ts'], {
      cwd: resolve(import.meta.dirname, '../../..'),
      env: { ...process.env, DATA_DIR: dataDir, AUTH_SECRET: '' },
      encoding: 'utf8',
    });
    expect(rotate.status, rotate.stderr).toBe(0);

    const second = await startServer({ dataDir });
    try {
      expect((await second.api('GET', '/api/me', { token: old })).status).toBe(401);
      expect((await second.api('GET', '/api/me', { token: second.adminToken })).status).toBe(200);
    } finally {
      await second.close();
    }
  });

  it('refuses a token signed with the previous secret, on REST, socket.io and the minutes', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'db-rotate-'));
    const first = await startServer({ dataDir, env: { AUTH_SECRET: randomBytes(32).toString('base64url') } });
    const session = await first.createSession();
    const old = await first.staffToken('chair');
    await first.close();

    const second = await startServer({
      dataDir,
      env: { AUTH_SECRET: randomBytes(32).toString('base64url') },
    });
    try {
      expect((await second.api('GET', '/api/me', { token: old })).status).toBe(401);
      const socket = io(second.url, { auth: { token: old }, transports: ['websocket'], reconnection: false });
      const refused = await new Promise<string>((resolve) => {
        socket.once('connect', () => resolve('connected'));
        socket.once('connect_error', (err) => resolve(err.message));
      });
      socket.disconnect();
      expect(refused).toBe('unauthorized');
      const minutes = openMinutes(second, session.id, old);
      await waitFor(() => minutes.closes.length > 0, 3_000, 'the minutes refusal');
      expect(minutes.closes[0]?.code).toBe(MinutesCloseCode.Unauthorized);
      // The new secret works.
      expect((await second.api('GET', '/api/me', { token: await second.staffToken('chair') })).status).toBe(
        200,
      );
    } finally {
      await second.close();
    }
  });
});
