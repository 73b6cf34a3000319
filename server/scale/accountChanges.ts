/**
 * Account changes between nodes (see server/auth/AccountWatch.ts): when the admin disables an account or changes its
 * role, fields or password on one node, every node closes that account's open sockets and minutes connections.
 *
 * Redis pub/sub rather than a stream: an announcement only matters for the connections open at that moment, and a
 * node that was cut off from Redis when it was sent finds the change anyway — its AccountWatch compares the tracked
 * accounts with the store every few seconds, and every new connection and REST call reads the account from the store.
 */
import type { AccountChanges } from '../auth/AccountWatch.ts';
import { throttledErrors, type ScaleClient } from './redisClients.ts';

const CHANNEL = 'db:accounts:changed';

export async function createRedisAccountChanges(
  redis: ScaleClient,
  onError: (err: unknown) => void = () => {},
): Promise<AccountChanges> {
  const report = throttledErrors(onError);
  const subscriber = redis.duplicate();
  subscriber.on('error', report);
  await subscriber.connect();
  const listeners = new Set<(username: string, version: number) => void>();
  await subscriber.subscribe(CHANNEL, (message) => {
    const change = parse(message);
    if (change) for (const listener of [...listeners]) listener(change.username, change.version);
  });
  return {
    async publish(username, version) {
      // A failed announcement does not undo the change: the store has it, and every node's sweep finds it.
      await redis.publish(CHANNEL, JSON.stringify({ username, version })).catch(report);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
      if (subscriber.isReady) await subscriber.close();
      else subscriber.destroy();
    },
  };
}

function parse(message: string): { username: string; version: number } | null {
  try {
    const value: unknown = JSON.parse(message);
    if (typeof value !== 'object' || value === null) return null;
    const { username, version } = value as Record<string, unknown>;
    return typeof username === 'string' && typeof version === 'number' ? { username, version } : null;
  } catch {
    return null;
  }
}
