/**
 * Two app nodes as separate processes on one redis-server. Node A is killed with SIGKILL in the middle of a burst of
 * questions: its phones fail over to node B, catch up from their last seq and resend what was not acknowledged.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readLog, rest, SyncedClient } from '../../helpers/scaleCluster.ts';
import { twoNodeProcessesOnRedis } from '../../helpers/twoNodes.ts';

const clients: SyncedClient[] = [];
const nodes = twoNodeProcessesOnRedis(() => {
  for (const client of clients) client.close();
});

const PHONES = 10;
const QUESTIONS_EACH = 30;

describe('a node dies', () => {
  it(
    'loses nothing acknowledged and applies nothing twice when node A is SIGKILLed mid-burst',
    { timeout: 90_000 },
    async () => {
      const { a: nodeA, b: nodeB, redis } = nodes;
      const admin = await rest.adminToken(nodeA.url);
      const session = await rest.liveSession(nodeA.url, admin);
      const phones = await Promise.all(
        Array.from({ length: PHONES }, async () => {
          const { token } = await rest.join(nodeA.url, session.joinCode);
          const phone = new SyncedClient({ urls: [nodeA.url, nodeB.url], token, sessionId: session.id });
          clients.push(phone);
          await phone.connected();
          return phone;
        }),
      );
      const panel = new SyncedClient({ urls: [nodeB.url], token: admin, sessionId: session.id, staff: true });
      clients.push(panel);
      await panel.connected();

      let acked = 0;
      const sent: string[] = [];
      const burst = phones.map(async (phone, p) => {
        for (let i = 0; i < QUESTIONS_EACH; i++) {
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
      });
      await expect.poll(() => acked, { timeout: 20_000, interval: 5 }).toBeGreaterThanOrEqual(60);
      nodeA.kill('SIGKILL');
      const killedAt = acked;
      await nodeA.exited;
      await Promise.all(burst);

      const total = PHONES * QUESTIONS_EACH;
      expect(killedAt).toBeLessThan(total);
      const log = await readLog(redis.url, session.id);
      const submitted = log
        .filter((e) => e.type === 'question.submitted')
        .map((e) => (e['question'] as { id: string }).id);
      // Every question acknowledged is in the log exactly once: nothing lost, nothing applied twice.
      expect(submitted).toHaveLength(total);
      expect(new Set(submitted)).toEqual(new Set(sent));
      expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));

      // Every phone failed over to node B and caught up with the whole meeting.
      const head = log.at(-1)?.seq;
      for (const phone of [...phones, panel])
        await expect.poll(() => phone.seq, { timeout: 10_000 }).toBe(head);
      for (const phone of phones) {
        expect(phone.connections[0]).toBe(nodeA.url);
        expect(phone.connections.at(-1)).toBe(nodeB.url);
        expect(Object.keys(phone.state?.questions ?? {})).toHaveLength(total);
      }
      expect(panel.gaps).toEqual([]);
      expect(Object.keys(panel.state?.questions ?? {})).toHaveLength(total);
    },
  );
});
