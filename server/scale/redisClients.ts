import { createClient } from 'redis';
import { connectTo, toTarget, type RedisTarget } from '../store/redis/redisTarget.ts';

/**
 * The connections of the scale-out module. RESP2 like the store's (server/store/redis/redisClient.ts): the socket.io
 * streams adapter reads XREAD replies in the RESP2 shape `[{name, messages: [{id, message}]}]`, and one dialect on
 * every connection means a reply's shape never depends on which connection ran the command.
 *
 * node-redis' default command timeout (5 s) counts only while a command waits to be written — e.g. queued while
 * the connection is down — and stops once the command is on the wire (checked in
 * tests/integration/scale/redisClient.test.ts). So a blocking XREAD is never cut short by it; our blocking reads
 * still use a block time below it, so that a future client that timed written commands too would not break them.
 */
export function createScaleClient(target: RedisTarget | string, options: { waitForRedis?: boolean } = {}) {
  // For publishes that must not be dropped during a Redis restart: no timeout while queued, a bounded queue instead.
  const waiting = options.waitForRedis
    ? { commandOptions: { timeout: 0 }, commandsQueueMaxLength: 10_000 }
    : undefined;
  return connectTo(
    toTarget(target),
    {
      RESP: 2,
      ...(waiting
        ? { commandOptions: waiting.commandOptions, node: { commandsQueueMaxLength: 10_000 } }
        : {}),
    },
    (url) => createClient({ url, RESP: 2, ...waiting }),
  );
}

export type ScaleClient = ReturnType<typeof createScaleClient>;

/** node-redis' default command timeout; every XREAD BLOCK here must stay below it. */
export const COMMAND_TIMEOUT_MS = 5_000;

/**
 * An 'error' listener is required (without one a dropped connection crashes the process); node-redis reconnects on
 * its own. An outage produces one error per reconnect attempt, so this reports the first one and then at most one
 * per `everyMs`.
 */
export function throttledErrors(report: (err: unknown) => void, everyMs = 10_000): (err: unknown) => void {
  let last = -Infinity;
  return (err) => {
    const now = Date.now();
    if (now - last < everyMs) return;
    last = now;
    report(err);
  };
}
