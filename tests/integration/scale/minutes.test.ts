/**
 * The minutes on two app nodes sharing one redis-server: edits through node A and node B converge, presence crosses
 * over, the template is inserted once though both nodes open the empty document at the same moment, and every
 * update is stored once — by the node whose client made it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'redis';
import * as Y from 'yjs';
import { minutesDocName } from '../../../server/minutes/MinutesServer.ts';
import {
  appendParagraph,
  minutesText,
  openMinutesClient,
  sleep,
  waitFor,
  type MinutesClient,
} from '../../helpers/minutesClient.ts';
import { minutesTestServerOnRedis } from '../../helpers/scaleCluster.ts';
import { startRedis, type RedisServer } from '../../helpers/redisServer.ts';
import { startServer, type TestServer } from '../../helpers/server.ts';

let redis: RedisServer;
let a: TestServer;
let b: TestServer;
const opened: MinutesClient[] = [];

beforeAll(async () => {
  redis = await startRedis();
  const env = { REDIS_URL: redis.url, AUTH_SECRET: randomBytes(32).toString('base64url') };
  a = await startServer({ env });
  b = await startServer({ env });
});

afterAll(async () => {
  for (const client of opened) client.destroy();
  await a?.close();
  await b?.close();
  await redis?.stop();
});

function minutesOn(node: TestServer, sessionId: string, token: string): MinutesClient {
  const client = openMinutesClient(`${node.url.replace('http', 'ws')}/yjs`, sessionId, token);
  opened.push(client);
  return client;
}

/** (client, clock) ranges of the items in one stored update. */
function ranges(update: Uint8Array): Array<{ client: number; from: number; to: number }> {
  return Y.decodeUpdate(update)
    .structs.filter((s) => !(s instanceof Y.Skip))
    .map((s) => ({ client: s.id.client, from: s.id.clock, to: s.id.clock + s.length }));
}

describe('minutes across nodes', () => {
  it(
    'converges edits made through node A and node B, and stores each update once',
    { timeout: 60_000 },
    async () => {
      const session = await a.createSession();
      const [chair, secretary] = await Promise.all([a.staffToken('chair'), b.staffToken('secretary')]);
      // Both nodes open the empty document at the same moment.
      const onA = minutesOn(a, session.id, chair);
      const onB = minutesOn(b, session.id, secretary);
      await Promise.all([onA.synced(), onB.synced()]);
      await waitFor(
        () => minutesText(onA.doc).length > 0 && minutesText(onB.doc).length > 0,
        5_000,
        'the template',
      );
      expect(minutesText(onA.doc).filter((t) => t === 'BIÊN BẢN')).toHaveLength(1);
      expect(minutesText(onB.doc).filter((t) => t === 'BIÊN BẢN')).toHaveLength(1);

      // Typing on both sides at once.
      for (let i = 0; i < 20; i++) {
        appendParagraph(onA.doc, `Thư ký ghi ${i}`);
        appendParagraph(onB.doc, `Chủ tọa bổ sung ${i}`);
        if (i % 5 === 0) await sleep(30);
      }
      await waitFor(
        () =>
          JSON.stringify(minutesText(onA.doc)) === JSON.stringify(minutesText(onB.doc)) &&
          minutesText(onA.doc).includes('Chủ tọa bổ sung 19') &&
          minutesText(onA.doc).includes('Thư ký ghi 19'),
        10_000,
        'both documents to converge',
      );
      expect(Y.encodeStateVector(onA.doc)).toEqual(Y.encodeStateVector(onB.doc));

      // Presence crosses nodes too (its name is the account's, stamped by the server; the colour is the client's).
      onA.provider.awareness.setLocalStateField('user', { name: 'Chủ tịch', color: '#aa0000' });
      await waitFor(
        () => onB.provider.awareness.getStates().get(onA.doc.clientID)?.['user']?.color === '#aa0000',
        5_000,
        "A's presence on B",
      );

      // The store: the same content, written once. Each stored row holds one client's updates (the node that accepted
      // them wrote it), the template's writer is one node, and no item is stored twice.
      const store = a.app.ctx.store.ydocs;
      await sleep(600); // the nodes write accepted updates within 200 ms
      const rows = await store.loadUpdates(minutesDocName(session.id));
      const stored = new Y.Doc();
      Y.applyUpdate(stored, Y.mergeUpdates(rows));
      expect(minutesText(stored)).toEqual(minutesText(onA.doc));
      const all = rows.flatMap(ranges);
      for (const row of rows) {
        const clients = new Set(ranges(row).map((r) => r.client));
        expect(clients.size).toBe(1);
      }
      const templateClients = new Set(all.map((r) => r.client));
      templateClients.delete(onA.doc.clientID);
      templateClients.delete(onB.doc.clientID);
      expect(templateClients.size).toBe(1);
      const byClient = new Map<number, typeof all>();
      for (const r of all) byClient.set(r.client, [...(byClient.get(r.client) ?? []), r]);
      for (const list of byClient.values()) {
        const sorted = list.sort((x, y) => x.from - y.from);
        sorted.slice(1).forEach((r, i) => expect(r.from).toBeGreaterThanOrEqual(sorted[i]?.to ?? 0));
      }
    },
  );

  it(
    "keeps both nodes' minutes together while Redis refuses writes, as a primary just promoted refuses them",
    { timeout: 60_000 },
    async () => {
      const session = await a.createSession();
      const [chair, secretary] = await Promise.all([a.staffToken('chair'), b.staffToken('secretary')]);
      const onA = minutesOn(a, session.id, chair);
      const onB = minutesOn(b, session.id, secretary);
      await Promise.all([onA.synced(), onB.synced()]);
      await waitFor(() => minutesText(onB.doc).includes('BIÊN BẢN'), 5_000, 'the template on node B');

      // What a primary promoted by Sentinel answers to every write until one of its replicas has attached.
      const admin = createClient({ url: redis.url });
      await admin.connect();
      try {
        await admin.configSet('min-replicas-to-write', '1');
        appendParagraph(onA.doc, 'Ghi trong lúc Redis từ chối');
        await sleep(1_000);
      } finally {
        await admin.configSet('min-replicas-to-write', '0');
        await admin.close();
      }
      // Nothing typed after it: the edit reaches node B on its own, and the store.
      await waitFor(
        () => minutesText(onB.doc).includes('Ghi trong lúc Redis từ chối'),
        10_000,
        'the edit made while Redis refused writes, on node B',
      );
      expect(minutesText(onB.doc)).toEqual(minutesText(onA.doc));
      await sleep(1_500); // node A's write is retried with a backoff
      const rows = await a.app.ctx.store.ydocs.loadUpdates(minutesDocName(session.id));
      const stored = new Y.Doc();
      Y.applyUpdate(stored, Y.mergeUpdates(rows));
      expect(minutesText(stored)).toEqual(minutesText(onA.doc));
    },
  );

  it('inserts the template once when two nodes find the new document empty at the same moment', async () => {
    const sessionId = `tpl-${randomUUID()}`;
    // Both nodes' loads wait for each other, so both see an empty store: only the claim keeps it to one template.
    let arrived = 0;
    let release: () => void = () => {};
    const bothLoading = new Promise<void>((resolve) => (release = resolve));
    const barrier = async () => {
      if (++arrived === 2) release();
      await Promise.race([bothLoading, sleep(3_000)]);
    };
    const dirs = [mkdtempSync(join(tmpdir(), 'minutes-a-')), mkdtempSync(join(tmpdir(), 'minutes-b-'))];
    const nodes = await Promise.all(dirs.map((dir) => minutesTestServerOnRedis(redis.url, dir, barrier)));
    try {
      const clients = nodes.map((node, i) => openMinutesClient(node.url, sessionId, i === 0 ? 'w1' : 'w2'));
      opened.push(...clients);
      await Promise.all(clients.map((c) => c.synced()));
      expect(arrived).toBe(2);
      for (const c of clients) {
        await waitFor(() => minutesText(c.doc).includes('BIÊN BẢN'), 5_000, 'the template');
        await sleep(300);
        expect(minutesText(c.doc).filter((t) => t === 'BIÊN BẢN')).toHaveLength(1);
      }
    } finally {
      for (const node of nodes) await node.close();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    }
  });
});
