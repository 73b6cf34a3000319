import { createClient } from 'redis';
import { appendEvents, appendUpdate, compactUpdates, saveSnapshot } from './scripts.ts';
import { connectTo, type RedisTarget } from './redisTarget.ts';

/**
 * The store's connection. RESP2, not node-redis' default RESP3: @socket.io/redis-streams-adapter (our socket.io
 * fan-out in scale-out mode) was written against the RESP2 reply shapes of node-redis v4 (XREAD as
 * `[{name, messages}]`, messages as plain objects), and the app should speak one dialect on all its connections so a
 * reply shape never depends on which client ran the command. node-redis 6.3 has a RESP3 "compat" transform for
 * XREAD, so RESP3 may work with the adapter too — to be checked in the scale-out task before switching.
 * The scripts are registered here so node-redis runs them with EVALSHA and falls back to EVAL after a restart
 * (NOSCRIPT), without us tracking whether the script cache survived.
 */
export function createStoreClient(target: RedisTarget) {
  const scripts = { appendEvents, saveSnapshot, compactUpdates, appendUpdate };
  return connectTo(target, { RESP: 2, scripts }, (url) => createClient({ url, RESP: 2, scripts }));
}

export type StoreClient = ReturnType<typeof createStoreClient>;
