import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../../server/store/EventStore.ts';
import { openRedisStore } from '../../../server/store/redis/index.ts';
import { startRedis } from '../../helpers/redisServer.ts';
import type { RedisServer } from '../../helpers/redisServer.ts';
import { describeStoreContract } from './storeContract.ts';

let server: RedisServer | undefined;

function running(): RedisServer {
  if (!server) throw new Error('redis-server not started');
  return server;
}

/** Connection errors are expected while a test kills the server; they are collected, not printed. */
const connectionErrors: unknown[] = [];
const open = (url: string) => openRedisStore(url, { onError: (error) => connectionErrors.push(error) });

async function flushAll(url: string): Promise<void> {
  const client = createClient({ url, RESP: 2 });
  await client.connect();
  try {
    await client.flushAll();
  } finally {
    await client.close();
  }
}

beforeAll(async () => {
  server = await startRedis();
});

afterAll(async () => {
  await server?.stop();
});

describeStoreContract('redis', async () => {
  const redis = running();
  await flushAll(redis.url);
  const opened: Store[] = [];
  const track = (store: Store) => {
    opened.push(store);
    return store;
  };
  return {
    store: track(await open(redis.url)),
    // A reopen here is a crash of the server: SIGKILL, then a new redis-server that replays the AOF.
    async reopen() {
      redis.kill();
      await redis.restart();
      return track(await open(redis.url));
    },
    async cleanup() {
      for (const store of opened) await store.close();
    },
  };
});

describe('redis store connection', () => {
  it('keeps working across a server restart while open (reconnect, script cache lost)', async () => {
    const redis = running();
    const store = await open(redis.url);
    try {
      const session = randomUUID();
      expect(await store.events.append(session, 0, randomUUID(), [{ type: 'a' }])).toMatchObject({ seq: 1 });
      redis.kill();
      await redis.restart();
      // The restarted server has an empty script cache: this append goes EVALSHA → NOSCRIPT → EVAL.
      expect(await store.events.append(session, 1, randomUUID(), [{ type: 'b' }])).toMatchObject({ seq: 2 });
      expect((await store.events.read(session, 0)).map((event) => event.type)).toEqual(['a', 'b']);
    } finally {
      await store.close();
    }
  });
});

describe('redis ydoc store across nodes', () => {
  it('loses no row when two nodes compact one document at the same time', async () => {
    const redis = running();
    const [nodeA, nodeB] = [await open(redis.url), await open(redis.url)];
    try {
      const doc = `race-${randomUUID()}`;
      const row = (n: number) => Uint8Array.of(n);
      for (const n of [1, 2, 3]) await nodeA.ydocs.appendUpdate(doc, row(n));
      const readByA = await nodeA.ydocs.loadUpdates(doc);
      const readByB = await nodeB.ydocs.loadUpdates(doc);
      // B compacts first; then A's client writes two more rows; then A compacts what it read before.
      await nodeB.ydocs.compact(doc, Uint8Array.of(...readByB.map((r) => r[0] ?? 0)), readByB.length);
      for (const n of [4, 5]) await nodeA.ydocs.appendUpdate(doc, row(n));
      await nodeA.ydocs.compact(doc, Uint8Array.of(...readByA.map((r) => r[0] ?? 0)), readByA.length);
      // Rows 4 and 5 were read by neither compaction: they must still be there, after the merged state.
      const rows = (await nodeA.ydocs.loadUpdates(doc)).map((r) => [...r]);
      expect(rows.slice(-2)).toEqual([[4], [5]]);
      expect(rows.flat().sort()).toEqual(expect.arrayContaining([1, 2, 3, 4, 5]));
    } finally {
      await nodeA.close();
      await nodeB.close();
    }
  });
});
