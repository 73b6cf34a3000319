import { resolve } from 'node:path';

export interface Config {
  /** PORT, default 3000; 0 picks a free port (tests). */
  port: number;
  /** HOST, default all interfaces. */
  host: string;
  /** DATA_DIR, default ./data: the SQLite file and the generated admin password and secret live here. */
  dataDir: string;
  /** REDIS_URL: when set, events, documents and minutes live in Redis and nodes fan out through it. */
  redisUrl?: string;
  /** ADMIN_PASSWORD: the bootstrap admin's password; unset, one is generated, stored in DATA_DIR and printed once. */
  adminPassword?: string;
  /** AUTH_SECRET: token-signing key shared by all nodes; unset, generated once and kept in the store. */
  authSecret?: string;
  /** Where the built client is served from. */
  clientDir: string;
  /** LOG_LEVEL, default info ('silent' in tests). */
  logLevel: string;
  /** PUBLIC_URL: the address phones use (printed in QR codes); default: the Host header of the request. */
  publicUrl?: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, got ${env.PORT}`);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir: resolve(env.DATA_DIR ?? './data'),
    ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}),
    ...(env.ADMIN_PASSWORD ? { adminPassword: env.ADMIN_PASSWORD } : {}),
    ...(env.AUTH_SECRET ? { authSecret: env.AUTH_SECRET } : {}),
    clientDir: resolve(env.CLIENT_DIR ?? 'dist/client'),
    logLevel: env.LOG_LEVEL ?? 'info',
    ...(env.PUBLIC_URL ? { publicUrl: env.PUBLIC_URL } : {}),
  };
}
