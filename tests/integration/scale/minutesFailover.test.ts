/**
 * The minutes through a Redis failover: two app nodes on a primary with two replicas and three sentinels, a writer on
 * each node typing through a failover. For seconds after it Redis refuses writes (NOREPLICAS: a promoted primary
 * before a replica has attached to it, an old primary back before the sentinels demote it); edits relayed between the
 * nodes then must not be lost, or each node would keep its own writer's text and never the other's — the fault run's
 * history checker found exactly that (FAULT_SEED=20261202 FAULT_FAULTS=1 FAULT_LOAD_MS=20000 FAULT_MINUTES=1).
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { minutesDocName } from '../../../server/minutes/MinutesServer.ts';
import { openRedisStore } from '../../../server/store/redis/index.ts';
import {
  appendParagraph,
  minutesText,
  openMinutesClient,
  sleep,
  waitFor,
  type MinutesClient,
} from '../../helpers/minutesClient.ts';
import { twoNodesOnSentinel } from '../../helpers/twoNodes.ts';
import type { TestServer } from '../../helpers/server.ts';

const opened: MinutesClient[] = [];
const nodes = twoNodesOnSentinel();
afterEach(() => {
  for (const client of opened.splice(0)) client.destroy();
});

function minutesOn(node: TestServer, sessionId: string, token: string): MinutesClient {
  const client = openMinutesClient(`${node.url.replace('http', 'ws')}/yjs`, sessionId, token);
  opened.push(client);
  return client;
}

const same = (x: Y.Doc, y: Y.Doc) => JSON.stringify(minutesText(x)) === JSON.stringify(minutesText(y));

describe('the Redis primary dies while the minutes are written', () => {
  it(
    'keeps one text on both nodes and in the store when writers on both nodes type through a failover',
    { timeout: 180_000 },
    async () => {
      const { a, b, ha, target } = nodes;
      const session = await a.createSession();
      const [chair, secretary] = await Promise.all([a.staffToken('chair'), b.staffToken('secretary')]);
      const onA = minutesOn(a, session.id, chair);
      const onB = minutesOn(b, session.id, secretary);
      await Promise.all([onA.synced(10_000), onB.synced(10_000)]);
      await waitFor(
        () => minutesText(onB.doc).includes('BIÊN BẢN') && same(onA.doc, onB.doc),
        10_000,
        'the template',
      );

      // Both type through the failover and the seconds after it in which Redis refuses every write: the primary and
      // one replica are SIGKILLed, the sentinels promote the other replica, and that one has no replica of its own
      // until the two are started again (min-replicas-to-write 1: NOREPLICAS).
      const firstPrimary = await ha.primaryPort();
      let typing = true;
      const typed = (async () => {
        for (let i = 0; typing; i++) {
          appendParagraph(onA.doc, `Thư ký ghi ${i}`);
          appendParagraph(onB.doc, `Chủ tọa bổ sung ${i}`);
          await sleep(100);
        }
      })();
      await sleep(1_000);
      const primary = await ha.primary();
      const replica = ha.servers.find((server) => server !== primary);
      if (!replica) throw new Error('no replica');
      primary.kill();
      replica.kill();
      await expect.poll(() => ha.primaryPort(), { timeout: 30_000, interval: 200 }).not.toBe(firstPrimary);
      await sleep(2_000);
      await Promise.all([primary.restart(), replica.restart()]);
      // The sentinels make the two replicas of the new primary (they look at each server every 10 s or so).
      await expect.poll(() => ha.writable(), { timeout: 60_000, interval: 500 }).toBe(true);
      await sleep(1_000);
      typing = false;
      await typed;

      await waitFor(() => same(onA.doc, onB.doc), 30_000, 'the writers to converge').catch(() => undefined);
      const [onAText, onBText] = [minutesText(onA.doc), minutesText(onB.doc)];
      expect(onBText.filter((t) => t.startsWith('Thư ký ghi'))).toEqual(
        onAText.filter((t) => t.startsWith('Thư ký ghi')),
      );
      expect(onAText.filter((t) => t.startsWith('Chủ tọa bổ sung'))).toEqual(
        onBText.filter((t) => t.startsWith('Chủ tọa bổ sung')),
      );
      expect(onAText).toEqual(onBText);

      // The store holds the same text: every edit was written by the node that accepted it (a write Redis refused
      // is retried with a backoff of up to 5 s).
      const store = await openRedisStore(target, { onError: () => {} });
      try {
        const storedText = async () => {
          const stored = new Y.Doc();
          Y.applyUpdate(stored, Y.mergeUpdates(await store.ydocs.loadUpdates(minutesDocName(session.id))));
          return minutesText(stored);
        };
        await expect.poll(storedText, { timeout: 15_000, interval: 500 }).toEqual(onAText);
        expect((await storedText()).filter((t) => t === 'BIÊN BẢN')).toHaveLength(1);
      } finally {
        await store.close();
      }
    },
  );
});
