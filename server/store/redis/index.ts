import type { Store } from '../EventStore.ts';
import { createStoreClient } from './redisClient.ts';
import { RedisDocumentStore } from './RedisDocumentStore.ts';
import { RedisEventStore } from './RedisEventStore.ts';
import { RedisYDocStore } from './RedisYDocStore.ts';

export interface RedisStoreOptions {
  /**
   * Called for connection errors; node-redis keeps reconnecting on its own. Default: written to stderr. A listener is
   * required — without one the client's 'error' event would crash the process on the first dropped connection.
   */
  onError?: (error: unknown) => void;
}

/**
 * The scale-out store. Appends are durable when they resolve only if the server runs with `appendonly yes` and
 * `appendfsync always` (Redis then fsyncs the AOF before it replies); docs/operations.md asks for exactly that.
 */
export async function openRedisStore(url: string, options: RedisStoreOptions = {}): Promise<Store> {
  const client = createStoreClient(url);
  client.on('error', options.onError ?? ((error: unknown) => console.error('redis store:', error)));
  await client.connect();
  return {
    events: new RedisEventStore(client),
    docs: new RedisDocumentStore(client),
    ydocs: new RedisYDocStore(client),
    async close() {
      if (client.isOpen) await client.close();
    },
  };
}
