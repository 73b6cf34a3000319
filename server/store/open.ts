import type { Config } from '../config.ts';
import type { Store } from './EventStore.ts';
import { openSqliteStore } from './sqlite/index.ts';

/** The embedded SQLite store by default; Redis when REDIS_URL or REDIS_SENTINELS is set (scale-out). */
export async function openStore(config: Config, onError: (err: unknown) => void): Promise<Store> {
  if (config.redis) {
    const { openRedisStore } = await import('./redis/index.ts');
    return openRedisStore(config.redis, { onError, wait: config.redisWait });
  }
  return openSqliteStore(config.dataDir);
}
