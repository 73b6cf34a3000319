/**
 * The socket.io adapter for scale-out: @socket.io/redis-streams-adapter on a node-redis connection of its own.
 *
 * Chosen over the pub/sub adapter because its cluster messages go through a Redis stream read with a cursor: a node
 * whose connection drops, or a Redis restart, loses no broadcast — the reader resumes from its last id. With it,
 * `io.to(room)`, `io.in(room).disconnectSockets()`, `fetchSockets()` and `serverSideEmit()` reach every node.
 *
 * The adapter duplicates the given client twice (a blocking stream reader and a pub/sub subscriber) and ignores
 * their errors; the client given here publishes (XADD, PUBLISH) and reports its errors to `onError`.
 * It reads with `XREAD BLOCK blockTimeInMs` (default 5 s in the library); we use 2 s, below node-redis' 5 s command
 * timeout (see redisClients.ts for why that timeout does not in fact cut a blocking read short in node-redis 6), and
 * because a closed adapter's reader only notices the close when its current read returns.
 */
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { RedisTarget } from '../store/redis/redisTarget.ts';
import { createScaleClient } from './redisClients.ts';

export interface RedisAdapterOptions {
  /** Stream of the cluster messages (default `db:socket.io`). */
  streamName?: string;
  /** Approximate length the stream is trimmed to (default 10,000): a node offline longer than that misses broadcasts. */
  maxLen?: number;
  /** XREAD BLOCK time of the adapter's reader (default 2,000 ms; must stay below 5,000). */
  blockTimeInMs?: number;
  onError?: (err: unknown) => void;
}

export interface RedisAdapter {
  /** Pass as socket.io's `adapter` option. */
  adapter: ReturnType<typeof createAdapter>;
  /** Closes the publishing connection; call after `io.close()` (which stops the adapter's own reader). */
  close(): Promise<void>;
}

export async function createRedisAdapter(
  target: RedisTarget | string,
  options: RedisAdapterOptions = {},
): Promise<RedisAdapter> {
  const client = createScaleClient(target);
  client.on('error', options.onError ?? (() => {}));
  await client.connect();
  const adapter = createAdapter(client, {
    streamName: options.streamName ?? 'db:socket.io',
    channelPrefix: 'db:socket.io',
    sessionKeyPrefix: 'db:socket.io:session:',
    maxLen: options.maxLen ?? 10_000,
    blockTimeInMs: options.blockTimeInMs ?? 2_000,
  });
  return {
    adapter,
    async close() {
      if (client.isReady) await client.close();
      else client.destroy();
    },
  };
}
