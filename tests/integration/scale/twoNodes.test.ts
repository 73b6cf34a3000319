/**
 * Two app nodes (in this process, each a full createApp) on one redis-server: clients on either node see the same
 * meeting, in the same order, with every vote counted once.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDeviceSecret } from '../../../shared/deviceSecret.ts';
import { projectState } from '../../../shared/domain/projection.ts';
import { startRedis, type RedisServer } from '../../helpers/redisServer.ts';
import { pool, readLog, SyncedClient } from '../../helpers/scaleCluster.ts';
import { startServer, type TestServer } from '../../helpers/server.ts';

let redis: RedisServer;
let a: TestServer;
let b: TestServer;
const clients: SyncedClient[] = [];

beforeAll(async () => {
  redis = await startRedis();
  const env = {
    REDIS_URL: redis.url,
    AUTH_SECRET: randomBytes(32).toString('base64url'),
    // 1,000 voters join from this one address: more new identities than a hall's budget allows (issue 12).
    JOIN_NEW_BUDGET: '5000/600',
    JOIN_NEW_DAILY_BUDGET: '5000/86400',
  };
  // One after the other: the first creates the admin account the second finds.
  a = await startServer({ env });
  b = await startServer({ env });
});

afterAll(async () => {
  for (const client of clients) client.close();
  await a?.close();
  await b?.close();
  await redis?.stop();
});

function client(
  node: TestServer,
  token: string,
  sessionId: string,
  staff = false,
  listen = true,
): SyncedClient {
  const c = new SyncedClient({ urls: [node.url], token, sessionId, staff, listen });
  clients.push(c);
  return c;
}

async function liveSession(node: TestServer) {
  const session = await node.createSession({ moderation: 'open' });
  await node.setStatus(session.id, 'live');
  return session;
}

const submitted = (c: SyncedClient) =>
  Object.values(c.state?.questions ?? {})
    .sort((x, y) => x.createdAt - y.createdAt || x.id.localeCompare(y.id))
    .map((q) => q.id);

describe('two nodes, one Redis', () => {
  it('lets phones on node A and node B see each other’s questions, in the same order', async () => {
    const session = await liveSession(a);
    const [pa, pb] = await Promise.all([a.join(session.joinCode), b.join(session.joinCode)]);
    const phoneA = client(a, pa.token, session.id);
    const phoneB = client(b, pb.token, session.id);
    const panelA = client(a, await a.staffToken('chair'), session.id, true);
    const panelB = client(b, await b.staffToken('chair'), session.id, true);
    await Promise.all([phoneA, phoneB, panelA, panelB].map((c) => c.connected()));

    // Both phones ask at the same time, several questions each, so the two nodes' appends interleave and conflict.
    const ask = (phone: SyncedClient, who: string) =>
      pool(
        Array.from({ length: 15 }, (_, i) => i),
        3,
        (i) =>
          phone.send({
            id: randomUUID(),
            type: 'question.submit',
            sessionId: session.id,
            questionId: randomUUID(),
            text: `Câu hỏi ${who} số ${i}`,
          }),
      );
    const acks = (await Promise.all([ask(phoneA, 'A'), ask(phoneB, 'B')])).flat();
    expect(acks.every((ack) => ack.ok)).toBe(true);

    const log = await readLog(redis.url, session.id);
    const order = log
      .filter((e) => e.type === 'question.submitted')
      .map((e) => (e['question'] as { id: string }).id);
    expect(order).toHaveLength(30);
    const head = log.at(-1)?.seq;
    for (const c of [phoneA, phoneB, panelA, panelB])
      await expect.poll(() => c.seq, { timeout: 10_000 }).toBe(head);
    // The order of arrival (seq) is the same everywhere: on each phone and panel, pushed in seq order.
    const pushedOrder = (c: SyncedClient) => {
      const bySeq = new Map(log.map((e) => [e.seq, e]));
      return c.pushed
        .map((seq) => bySeq.get(seq))
        .filter((e) => e?.type === 'question.submitted')
        .map((e) => (e?.['question'] as { id: string }).id);
    };
    for (const c of [phoneA, phoneB, panelA, panelB]) {
      expect(pushedOrder(c)).toEqual(order);
      expect([...c.pushed].sort((x, y) => x - y)).toEqual(c.pushed);
    }
    expect(panelA.gaps).toEqual([]);
    expect(panelB.gaps).toEqual([]);
    expect(submitted(phoneA)).toEqual(submitted(phoneB));
  });

  it(
    'counts 1,000 votes sent half to each node exactly, and both panels agree',
    { timeout: 120_000 },
    async () => {
      const session = await liveSession(a);
      const asker = await a.join(session.joinCode);
      const questionId = randomUUID();
      const asked = await a.command(asker.token, {
        type: 'question.submit',
        sessionId: session.id,
        questionId,
        text: 'Bao giờ sửa đường tổ 5?',
      });
      expect(asked.ok).toBe(true);
      const panelA = client(a, await a.staffToken('chair'), session.id, true);
      const panelB = client(b, await b.staffToken('chair'), session.id, true);
      const watcherB = client(b, (await b.join(session.joinCode)).token, session.id);
      await Promise.all([panelA.connected(), panelB.connected(), watcherB.connected()]);

      let joinConflicts = 0;
      // As the phone does: the device secret is made on the device, so a join refused under contention is resent.
      const join = async (node: TestServer) => {
        const secret = makeDeviceSecret();
        for (let attempt = 0; attempt < 20; attempt++) {
          const res = await node.api<{ token: string }>('POST', '/api/join', {
            body: { joinCode: session.joinCode, secret },
          });
          if (res.status === 201) return res.body;
          if (res.status !== 409) throw new Error(`join: ${res.status} ${JSON.stringify(res.body)}`);
          joinConflicts++;
        }
        throw new Error('join kept conflicting');
      };
      const started = Date.now();
      const VOTERS = 1_000;
      // The voters only send: 1,000 listening sockets in this one process would measure the test's own client work.
      const voters = await pool(
        Array.from({ length: VOTERS }, (_, i) => i),
        50,
        async (i) => {
          const node = i % 2 === 0 ? a : b;
          const joined = await join(node);
          const voter = client(node, joined.token, session.id, false, false);
          await voter.connected();
          return voter;
        },
      );
      const joinedMs = Date.now() - started;
      const voteStarted = Date.now();
      const acks = await Promise.all(
        voters.map((voter) =>
          voter.send({
            id: randomUUID(),
            type: 'question.vote',
            sessionId: session.id,
            questionId,
            value: true,
          }),
        ),
      );
      const votedMs = Date.now() - voteStarted;
      expect(acks.filter((ack) => !ack.ok)).toEqual([]);

      const votes = async (node: TestServer) =>
        (await node.app.ctx.sessions.state(session.id))?.questions[questionId]?.votes;
      await expect.poll(() => votes(a), { timeout: 10_000 }).toBe(VOTERS);
      await expect.poll(() => votes(b), { timeout: 10_000 }).toBe(VOTERS);
      const log = await readLog(redis.url, session.id);
      expect(log.filter((e) => e.type === 'question.voted')).toHaveLength(VOTERS);
      expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));

      const head = log.at(-1)?.seq;
      for (const c of [panelA, panelB, watcherB])
        await expect.poll(() => c.seq, { timeout: 10_000 }).toBe(head);
      expect(panelA.state?.questions[questionId]?.votes).toBe(VOTERS);
      expect(watcherB.state?.questions[questionId]?.votes).toBe(VOTERS);
      expect(panelA.gaps).toEqual([]);
      expect(panelB.gaps).toEqual([]);
      // The panels folded every event they were pushed, and agree with each other and with both nodes' state.
      expect(panelA.state).toEqual(panelB.state);
      const stateA = await a.app.ctx.sessions.state(session.id);
      const stateB = await b.app.ctx.sessions.state(session.id);
      expect(stateA).toEqual(stateB);
      if (!stateA) throw new Error('no state');
      expect(panelA.state).toEqual(projectState(stateA, { audience: 'staff' }));

      const retried = voters.reduce((sum, v) => sum + (v.retried['conflict'] ?? 0), 0);
      console.info(
        `1,000 joins: ${joinedMs} ms (${joinConflicts} resent after 'conflict'); ` +
          `1,000 votes over two nodes: ${votedMs} ms (${retried} resent after 'conflict')`,
      );
    },
  );
});
