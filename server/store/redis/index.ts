import type { Store } from '../EventStore.ts';
import { createStoreClient } from './redisClient.ts';
import { NO_WAIT, primaryChanges, toTarget, type RedisTarget, type ReplicationWait } from './redisTarget.ts';
import { RedisDocumentStore } from './RedisDocumentStore.ts';
import { RedisEventStore } from './RedisEventStore.ts';
import { RedisYDocStore } from './RedisYDocStore.ts';

export interface RedisStoreOptions {
  /**
   * Called for connection errors; node-redis keeps reconnecting on its own. Default: written to stderr. A listener is
   * required — without one the client's 'error' event would crash the process on the first dropped connection.
   */
  onError?: (error: unknown) => void;
  /** Acknowledge an append only once it reached this many replicas (default: none; see ReplicationWait). */
  wait?: ReplicationWait;
}

/**
 * The scale-out store. Appends are durable when they resolve only if the server runs with `appendonly yes` and
 * `appendfsync always` (Redis then fsyncs the AOF before it replies); docs/operations.md asks for exactly that. With
 * `wait`, an append also resolves only once that many replicas have it, so it survives losing the primary.
 */
export async function openRedisStore(
  target: RedisTarget | string,
  options: RedisStoreOptions = {},
): Promise<Store> {
  const report = options.onError ?? ((error: unknown) => console.error('redis store:', error));
  const client = createStoreClient(toTarget(target));
  client.on('error', report);
  await client.connect();
  const wait = options.wait ?? NO_WAIT;
  // Appends that WAIT for replicas get a connection of their own: WAIT holds its connection until the replicas
  // answer, and reads (a sync's head read, a snapshot load) should not queue behind it.
  const appender = wait.replicas > 0 ? client.duplicate() : client;
  if (appender !== client) {
    appender.on('error', report);
    await appender.connect();
  }
  return {
    events: new RedisEventStore(client, { appender, wait, primaryChanges: primaryChanges(appender) }),
    docs: new RedisDocumentStore(client),
    ydocs: new RedisYDocStore(client),
    async close() {
      if (appender !== client && appender.isOpen) await appender.close();
      if (client.isOpen) await client.close();
    },
  };
}
