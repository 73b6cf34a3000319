/**
 * Redis that survives losing its primary: a primary, two replicas and three sentinels on loopback ports; two app nodes
 * (in this process, each a full createApp) find the primary through the sentinels (REDIS_SENTINELS) and acknowledge a command only once its
 * events reached a replica (WAIT). The primary is SIGKILLed in the middle of a burst of 1,000 commands through both
 * nodes: Sentinel promotes a replica, the nodes follow it, every acknowledged command is in the log exactly once, and
 * the phones carry on.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { pool, readLog, rest, SyncedClient } from '../../helpers/scaleCluster.ts';
import { twoNodesOnSentinel } from '../../helpers/twoNodes.ts';

const clients: SyncedClient[] = [];
const nodes = twoNodesOnSentinel(() => {
  for (const client of clients) client.close();
});

const PHONES = 20;
const EACH = 50;

describe('the Redis primary dies (Sentinel)', () => {
  it(
    'promotes a replica, the nodes follow, and every acknowledged command of a 1,000-command burst is there exactly once',
    { timeout: 240_000 },
    async () => {
      const { a: nodeA, b: nodeB, ha, target } = nodes;
      const admin = await rest.adminToken(nodeA.url);
      const session = await rest.liveSession(nodeA.url, admin);
      // Half the phones start on A, half on B; each fails over to the other node if its own goes.
      const phones = await pool(
        Array.from({ length: PHONES }, (_, i) => i),
        5,
        async (i) => {
          const urls = i % 2 === 0 ? [nodeA.url, nodeB.url] : [nodeB.url, nodeA.url];
          const { token } = await rest.join(urls[0] ?? '', session.joinCode);
          const phone = new SyncedClient({ urls, token, sessionId: session.id });
          clients.push(phone);
          await phone.connected();
          return phone;
        },
      );
      const panel = new SyncedClient({ urls: [nodeB.url], token: admin, sessionId: session.id, staff: true });
      clients.push(panel);
      await panel.connected();
      const firstPrimary = await ha.primaryPort();

      const acked = new Set<string>();
      const burst = phones.map(async (phone, p) => {
        for (let i = 0; i < EACH; i++) {
          const questionId = randomUUID();
          const ack = await phone.send(
            {
              id: randomUUID(),
              type: 'question.submit',
              sessionId: session.id,
              questionId,
              text: `Điện thoại ${p}, câu ${i}`,
            },
            120_000,
          );
          expect(ack.ok).toBe(true);
          acked.add(questionId);
        }
      });
      await expect.poll(() => acked.size, { timeout: 60_000, interval: 5 }).toBeGreaterThanOrEqual(200);
      (await ha.primary()).kill();
      const killedAt = acked.size;
      await Promise.all(burst);

      expect(killedAt).toBeLessThan(PHONES * EACH);
      expect(await ha.primaryPort()).not.toBe(firstPrimary);
      const log = await readLog(target, session.id);
      const submitted = log
        .filter((e) => e.type === 'question.submitted')
        .map((e) => (e['question'] as { id: string }).id);
      // Every acknowledged command is in the promoted primary's log, exactly once; nothing else is.
      expect(submitted).toHaveLength(PHONES * EACH);
      expect(new Set(submitted)).toEqual(acked);
      expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
      // The phones carry on: every one catches up with the whole meeting, the panel saw no gap.
      const head = log.at(-1)?.seq;
      for (const c of [...phones, panel]) await expect.poll(() => c.seq, { timeout: 20_000 }).toBe(head);
      expect(panel.gaps).toEqual([]);
      expect(Object.keys(panel.state?.questions ?? {})).toHaveLength(PHONES * EACH);
      const resent = phones.reduce((sum, phone) => sum + (phone.retried['internal'] ?? 0), 0);
      console.info(
        `primary killed after ${killedAt} acks; ${resent} commands resent after a failed replication`,
      );
    },
  );
});
