/**
 * What scale-out relies on in node-redis 6 and @socket.io/redis-streams-adapter 0.3.1, checked against a real
 * redis-server: the command timeout vs. a blocking read, the XREAD reply shape in RESP2 and RESP3, the adapter across
 * two socket.io servers and across a Redis restart, and our StreamTailer.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from 'redis';
import { Server as IoServer } from 'socket.io';
import { io as connectClient, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisAdapter } from '../../../server/scale/redisAdapter.ts';
import { createScaleClient } from '../../../server/scale/redisClients.ts';
import { StreamTailer, type StreamEntry } from '../../../server/scale/StreamTailer.ts';
import { startRedis, type RedisServer } from '../../helpers/redisServer.ts';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function client(options: { RESP?: 2 | 3; timeout?: number } = {}) {
  const c = createClient({
    url: redis.url,
    RESP: options.RESP ?? 2,
    ...(options.timeout !== undefined ? { commandOptions: { timeout: options.timeout } } : {}),
  });
  c.on('error', () => {});
  await c.connect();
  cleanups.push(() => c.destroy());
  return c;
}

describe('node-redis 6', () => {
  it('does not time out a blocking read that is already on the wire (the timeout covers queued commands only)', async () => {
    const c = await client({ timeout: 300 });
    const started = Date.now();
    const reply = await c.xRead({ key: 'scale:test:empty', id: '$' }, { BLOCK: 1_000 });
    expect(reply).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('fails a command queued while Redis is down after the command timeout, and reconnects by itself', async () => {
    const c = await client({ timeout: 500 });
    await c.set('scale:test:k', 'v');
    redis.kill();
    try {
      // A command written just before the connection dropped fails with "Socket closed unexpectedly" instead.
      await expect.poll(() => c.isReady).toBe(false);
      const started = Date.now();
      const error: unknown = await c.get('scale:test:k').catch((err: unknown) => err);
      expect(error?.constructor.name).toBe('TimeoutError');
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await redis.restart();
    }
    await expect.poll(() => c.get('scale:test:k').catch(() => null), { timeout: 10_000 }).toBe('v');
  });

  it('gives the XREAD shape the streams adapter reads ([{name, messages: [{id, message}]}]) in RESP2 and RESP3', async () => {
    const resp2 = await client({ RESP: 2 });
    const resp3 = await client({ RESP: 3 });
    await resp2.xAdd('scale:test:shape', '*', { a: '1' });
    const expected = [
      { name: 'scale:test:shape', messages: [{ id: expect.any(String), message: { a: '1' } }] },
    ];
    expect(await resp2.xRead({ key: 'scale:test:shape', id: '0-0' })).toEqual(expected);
    expect(JSON.parse(JSON.stringify(await resp3.xRead({ key: 'scale:test:shape', id: '0-0' })))).toEqual(
      expected,
    );
  });
});

interface Node {
  io: IoServer;
  url: string;
  close(): Promise<void>;
}

async function ioNode(): Promise<Node> {
  const adapter = await createRedisAdapter(redis.url, { blockTimeInMs: 1_000 });
  const http = createServer();
  const io = new IoServer(http, { adapter: adapter.adapter });
  io.on('connection', (socket) => {
    void socket.join(String(socket.handshake.auth['room']));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const node: Node = {
    io,
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    async close() {
      await io.close();
      await adapter.close();
    },
  };
  cleanups.push(() => node.close());
  return node;
}

async function socketOn(node: Node, room: string): Promise<{ socket: Socket; got: string[] }> {
  const socket = connectClient(node.url, { auth: { room }, transports: ['websocket'], forceNew: true });
  cleanups.push(() => socket.disconnect());
  const got: string[] = [];
  socket.on('msg', (text: string) => got.push(text));
  await new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(undefined));
    socket.once('connect_error', reject);
  });
  return { socket, got };
}

describe('@socket.io/redis-streams-adapter on node-redis 6 (RESP2)', () => {
  it('broadcasts across nodes, keeps io.local local, and keeps working across a Redis restart', async () => {
    const a = await ioNode();
    const b = await ioNode();
    const onA = await socketOn(a, 'r1');
    const onB = await socketOn(b, 'r1');
    // The adapter's reader starts with XREAD `$`: a message sent before its first read reaches Redis is not seen.
    await expect
      .poll(
        async () => {
          a.io.to('r1').emit('msg', 'warm-up');
          return onB.got.includes('warm-up');
        },
        { timeout: 5_000, interval: 200 },
      )
      .toBe(true);

    a.io.to('r1').emit('msg', 'to all');
    await expect.poll(() => onB.got.includes('to all')).toBe(true);
    expect(onA.got).toContain('to all');
    a.io.local.to('r1').emit('msg', 'local only');
    await expect.poll(() => onA.got.includes('local only')).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(onB.got).not.toContain('local only');
    expect((await a.io.fetchSockets()).length).toBe(2);

    redis.kill();
    await redis.restart();
    // Recovers without help: the reader resumes from its last stream id once the connection is back.
    await expect
      .poll(
        async () => {
          a.io.to('r1').emit('msg', 'after restart');
          return onB.got.includes('after restart');
        },
        { timeout: 15_000, interval: 500 },
      )
      .toBe(true);
  });
});

describe('StreamTailer', () => {
  it('delivers entries after the cursor in order, wakes a blocked read for a new stream, and resumes after a restart', async () => {
    const writer = createScaleClient(redis.url);
    writer.on('error', () => {});
    await writer.connect();
    cleanups.push(() => writer.destroy());
    const reader = writer.duplicate();
    reader.on('error', () => {});
    const tailer = await StreamTailer.start(reader, writer, { blockMs: 4_000 });
    cleanups.push(() => tailer.close());
    const got = new Map<string, string[]>();
    const collect = (key: string) => (entries: StreamEntry[]) =>
      got.set(key, [...(got.get(key) ?? []), ...entries.map((e) => e.message['v'] ?? '')]);

    await writer.xAdd('scale:t:1', '1-1', { v: 'old' });
    await writer.xAdd('scale:t:1', '2-1', { v: 'a' });
    tailer.follow('scale:t:1', '1-1', collect('scale:t:1'));
    await expect.poll(() => got.get('scale:t:1')).toEqual(['a']);

    // The tailer is now blocked for up to 4 s on scale:t:1 alone; a second stream must not wait for that.
    await writer.xAdd('scale:t:2', '1-1', { v: 'b' });
    const started = Date.now();
    tailer.follow('scale:t:2', '0-0', collect('scale:t:2'));
    await expect.poll(() => got.get('scale:t:2'), { timeout: 2_000, interval: 10 }).toEqual(['b']);
    expect(Date.now() - started).toBeLessThan(1_000);

    redis.kill();
    await redis.restart();
    await expect
      .poll(() => writer.xAdd('scale:t:1', '3-1', { v: 'c' }).catch(() => null), { timeout: 10_000 })
      .toBe('3-1');
    await expect.poll(() => got.get('scale:t:1'), { timeout: 10_000 }).toEqual(['a', 'c']);
    expect(tailer.size).toBe(2);
  });
});
