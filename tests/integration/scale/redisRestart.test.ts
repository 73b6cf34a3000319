/**
 * Two app nodes on one redis-server (AOF, fsync always) that is killed and restarted in the middle of a burst: the
 * nodes recover by themselves, and every command acknowledged before, during or after is in the log exactly once.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisServer } from '../../helpers/redisServer.ts';
import { readLog, sleep, SyncedClient } from '../../helpers/scaleCluster.ts';
import { startServer, type TestServer } from '../../helpers/server.ts';

let redis: RedisServer;
let a: TestServer;
let b: TestServer;
const clients: SyncedClient[] = [];

beforeAll(async () => {
  redis = await startRedis();
  const env = { REDIS_URL: redis.url, AUTH_SECRET: randomBytes(32).toString('base64url') };
  a = await startServer({ env });
  b = await startServer({ env });
});

afterAll(async () => {
  for (const client of clients) client.close();
  await a?.close();
  await b?.close();
  await redis?.stop();
});

function client(node: TestServer, token: string, sessionId: string, staff = false): SyncedClient {
  const c = new SyncedClient({ urls: [node.url], token, sessionId, staff });
  clients.push(c);
  return c;
}

describe('Redis restarts under load', () => {
  it('recovers without help and loses nothing acknowledged', { timeout: 90_000 }, async () => {
    const session = await a.createSession({ moderation: 'open' });
    await a.setStatus(session.id, 'live');
    const phones = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const node = i % 2 === 0 ? a : b;
        const phone = client(node, (await node.join(session.joinCode)).token, session.id);
        await phone.connected();
        return phone;
      }),
    );
    const panelA = client(a, await a.staffToken('chair'), session.id, true);
    const panelB = client(b, await b.staffToken('chair'), session.id, true);
    await Promise.all([panelA.connected(), panelB.connected()]);

    const sent: string[] = [];
    let acked = 0;
    let stop = false;
    const ask = async (phone: SyncedClient, p: number) => {
      for (let i = 0; !stop; i++) {
        const questionId = randomUUID();
        sent.push(questionId);
        const ack = await phone.send({
          id: randomUUID(),
          type: 'question.submit',
          sessionId: session.id,
          questionId,
          text: `Điện thoại ${p}, câu hỏi ${i}`,
        });
        expect(ack.ok).toBe(true);
        acked++;
      }
    };
    const burst = phones.map(ask);
    await expect.poll(() => acked, { timeout: 20_000, interval: 5 }).toBeGreaterThanOrEqual(40);
    redis.kill();
    const beforeOutage = acked;
    await sleep(500);
    await redis.restart();
    // The burst goes on through the outage (commands fail with `internal` and are resent) and after it.
    await expect
      .poll(() => acked, { timeout: 30_000, interval: 20 })
      .toBeGreaterThanOrEqual(beforeOutage + 80);
    stop = true;
    await Promise.all(burst);

    const log = await readLog(redis.url, session.id);
    const submitted = log
      .filter((e) => e.type === 'question.submitted')
      .map((e) => (e['question'] as { id: string }).id);
    expect(submitted).toHaveLength(sent.length);
    expect(new Set(submitted)).toEqual(new Set(sent));
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));

    const head = log.at(-1)?.seq;
    for (const c of [...phones, panelA, panelB])
      await expect.poll(() => c.seq, { timeout: 10_000 }).toBe(head);
    expect(panelA.gaps).toEqual([]);
    expect(panelB.gaps).toEqual([]);
    expect(panelA.state).toEqual(panelB.state);
    for (const phone of phones) expect(Object.keys(phone.state?.questions ?? {})).toHaveLength(sent.length);
    expect(await a.app.ctx.sessions.state(session.id)).toEqual(await b.app.ctx.sessions.state(session.id));
    const resent = phones.reduce((sum, p) => sum + (p.retried['internal'] ?? 0), 0);
    console.info(
      `${sent.length} questions, ${beforeOutage} before the outage, ${resent} resends after 'internal'`,
    );
  });
});
