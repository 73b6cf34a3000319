/**
 * Pairing a projector by a short code, against a real server (SQLite) and two nodes on one redis-server: the
 * projector opens a code and polls with its secret; staff allowed to show the screen claim the code for a session;
 * the projector collects a display token once. Codes expire; wrong codes are limited per account; opening codes is
 * limited per address.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScreenPairingOpened, ScreenPairPollReply, SyncReply } from '../../../shared/protocol.ts';
import { startServer, type TestServer } from '../../helpers/server.ts';
import { twoNodesOnRedis } from '../../helpers/twoNodes.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
});

const open = async (node: TestServer) => {
  const res = await node.api<ScreenPairingOpened>('POST', '/api/screen-pairings');
  expect(res.status).toBe(201);
  return res.body;
};
const poll = (node: TestServer, { code, secret }: { code: string; secret: string }) =>
  node.api<ScreenPairPollReply>('POST', '/api/screen-pairings/poll', { body: { code, secret } });
const claim = (node: TestServer, token: string | undefined, sessionId: string, code: string) =>
  node.api<{ sessionId?: string; code?: string }>('POST', `/api/sessions/${sessionId}/screen-pairing`, {
    ...(token ? { token } : {}),
    body: { code },
  });

describe('screen pairing', () => {
  it('pairs a projector with a session by a six-character code; the token is collected once and opens the screen', async () => {
    const session = await server.createSession();
    const chair = await server.staffToken('chair');
    const opened = await open(server);
    expect(opened.code).toMatch(/^[A-HJKMNP-Z2-9]{6}$/);
    expect(opened.expiresAt - Date.now()).toBeGreaterThan(60_000);
    expect(opened.expiresAt - Date.now()).toBeLessThanOrEqual(5 * 60_000);

    const waiting = await poll(server, opened);
    expect(waiting).toMatchObject({ status: 200, body: { status: 'waiting' } });

    // Typed on a tablet: lower case and a space are fine.
    const code = `${opened.code.slice(0, 3).toLowerCase()} ${opened.code.slice(3)}`;
    expect(await claim(server, chair, session.id, code)).toMatchObject({
      status: 200,
      body: { sessionId: session.id },
    });
    // The same code cannot be claimed twice (say for another session).
    expect((await claim(server, chair, session.id, opened.code)).status).toBe(404);

    const paired = await poll(server, opened);
    expect(paired.status).toBe(200);
    if (paired.body.status !== 'paired') throw new Error('not paired');
    expect(paired.body.sessionId).toBe(session.id);
    expect(paired.body.path).toBe(`/screen/${session.id}?token=${encodeURIComponent(paired.body.token)}`);
    // Collected once: the next poll (or anyone replaying it) finds nothing.
    expect((await poll(server, opened)).status).toBe(404);

    const socket = await server.connect(paired.body.token);
    const reply: SyncReply = await socket.emitWithAck('sync', { sessionId: session.id, since: 0 });
    expect(reply.ok).toBe(true);
    socket.disconnect();
  });

  it('gives nothing to a poll without the projector’s secret', async () => {
    const session = await server.createSession();
    const opened = await open(server);
    const wrong = { code: opened.code, secret: randomBytes(24).toString('base64url') };
    expect((await poll(server, wrong)).status).toBe(404);
    expect((await claim(server, server.adminToken, session.id, opened.code)).status).toBe(200);
    expect((await poll(server, wrong)).status).toBe(404);
    // The projector still collects its token.
    expect((await poll(server, opened)).body).toMatchObject({ status: 'paired', sessionId: session.id });
  });

  it('refuses an expired code, to staff and projector alike', async () => {
    const session = await server.createSession();
    const opened = await open(server);
    const docs = server.app.ctx.store.docs;
    const doc = await docs.get<{ expiresAt: number }>('screenPairings', opened.code);
    expect(doc).not.toBeNull();
    await docs.put('screenPairings', opened.code, { ...doc, expiresAt: Date.now() - 1 });
    expect((await claim(server, server.adminToken, session.id, opened.code)).status).toBe(404);
    expect((await poll(server, opened)).status).toBe(404);
    // Gone from the store, not only refused.
    expect(await docs.get('screenPairings', opened.code)).toBeNull();
  });

  it('lets only the roles that may show the screen claim a code', async () => {
    const session = await server.createSession();
    const opened = await open(server);
    expect((await claim(server, undefined, session.id, opened.code)).status).toBe(401);
    const official = await server.staffToken('official', { fieldIds: ['dia-chinh'] });
    expect((await claim(server, official, session.id, opened.code)).status).toBe(403);
    const viceChair = await server.staffToken('vice_chair');
    expect((await claim(server, viceChair, session.id, opened.code)).status).toBe(403);
    const secretary = await server.staffToken('secretary');
    expect((await claim(server, secretary, session.id, opened.code)).status).toBe(200);
  });

  it('stops an account after five wrong codes for a while; a right code gives its try back', async () => {
    const session = await server.createSession();
    const chair = await server.staffToken('chair');
    const first = await open(server);
    for (let i = 0; i < 4; i++) expect((await claim(server, chair, session.id, 'ZZZZZZ')).status).toBe(404);
    expect((await claim(server, chair, session.id, first.code)).status).toBe(200);
    expect((await claim(server, chair, session.id, 'ZZZZZZ')).status).toBe(404);
    const refused = await claim(server, chair, session.id, 'ZZZZZZ');
    expect(refused).toMatchObject({ status: 429, body: { code: 'rate_limited' } });
    // Even the right code waits now; another account is not held back.
    const second = await open(server);
    expect((await claim(server, chair, session.id, second.code)).status).toBe(429);
    const secretary = await server.staffToken('secretary');
    expect((await claim(server, secretary, session.id, second.code)).status).toBe(200);
  });

  it('limits how many codes one address opens', async () => {
    const other = await startServer();
    try {
      for (let i = 0; i < 20; i++) expect((await other.api('POST', '/api/screen-pairings')).status).toBe(201);
      expect(await other.api('POST', '/api/screen-pairings')).toMatchObject({
        status: 429,
        body: { code: 'rate_limited' },
      });
    } finally {
      await other.close();
    }
  });
});

describe('screen pairing in scale-out', () => {
  const nodes = twoNodesOnRedis();

  it('opens on one node, is claimed on another, and collected on a third request anywhere', async () => {
    const { a, b } = nodes;
    const session = await a.createSession();
    const opened = await open(a);
    expect((await poll(b, opened)).body).toMatchObject({ status: 'waiting' });
    expect((await claim(b, b.adminToken, session.id, opened.code)).status).toBe(200);
    expect((await poll(a, opened)).body).toMatchObject({ status: 'paired', sessionId: session.id });
    expect((await poll(b, opened)).status).toBe(404);
  });

  it('counts wrong codes across nodes', async () => {
    const { a, b } = nodes;
    const session = await a.createSession();
    const chair = await a.staffToken('chair');
    for (let i = 0; i < 5; i++)
      expect((await claim(i % 2 ? a : b, chair, session.id, 'YYYYYY')).status).toBe(404);
    expect((await claim(a, chair, session.id, 'YYYYYY')).status).toBe(429);
    expect((await claim(b, chair, session.id, 'YYYYYY')).status).toBe(429);
  });
});
