import type { Config } from '../config.ts';
import type { Store } from './EventStore.ts';
import { openSqliteStore } from './sqlite/index.ts';

/** The embedded SQLite store by default; Redis when REDIS_URL is set (scale-out). */
export async function openStore(config: Config, onError: (err: unknown) => void): Promise<Store> {
  if (config.redisUrl) {
    const { openRedisStore } = await import('./redis/index.ts');
    return openRedisStore(config.redisUrl, { onError });
  }
  return openSqliteStore(config.dataDir);
}
