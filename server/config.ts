import { resolve } from 'node:path';
import { parseNodes, type RedisTarget, type ReplicationWait } from './store/redis/redisTarget.ts';
import type { JoinBudgetConfig } from './limits/joinBudgets.ts';
import type { Budget } from './limits/RateLimits.ts';

export interface Config {
  /** PORT, default 3000; 0 picks a free port (tests). */
  port: number;
  /** HOST, default all interfaces. */
  host: string;
  /** DATA_DIR, default ./data: the SQLite file and the generated admin password and secret live here. */
  dataDir: string;
  /** REDIS_URL: when set, events, documents and minutes live in Redis and nodes fan out through it. */
  redisUrl?: string;
  /**
   * Scale-out's Redis: REDIS_URL (one server), or REDIS_SENTINELS (`host:port,…`, three sentinels for a quorum of
   * two) with REDIS_MASTER_NAME (default `dialogue-board`) — the primary is asked of the sentinels and followed
   * through failovers. Unset: embedded mode (SQLite).
   */
  redis?: RedisTarget;
  /**
   * REDIS_WAIT_REPLICAS (default 1 with Sentinel, 0 with REDIS_URL) and REDIS_WAIT_TIMEOUT_MS (default 1,000): a
   * command is acknowledged only once its events reached that many replicas (`WAIT`); not within the timeout, it is
   * answered with a retryable failure and the client resends it. See docs/operations.md.
   */
  redisWait: ReplicationWait;
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
  /** METRICS_TOKEN: a bearer token for `GET /metrics`; unset, only direct loopback requests may read it. */
  metricsToken?: string;
  /** What one socket may cost the server (docs/security.md, "Hostile clients"). */
  sockets: SocketLimits;
  /**
   * TRUST_PROXY, default `loopback`: whose X-Forwarded-For names the client (Express' `trust proxy`: addresses or
   * subnets, comma-separated, or a hop count). With a proxy on another host, name it here: otherwise every request
   * seems to come from the proxy, and the per-address budgets would count the whole audience as one address.
   */
  trustProxy: string | number;
  /** Sign-in throttling (server/auth/LoginGuard.ts, docs/security.md). */
  login: LoginBudgets;
  /** Join budgets per source address (server/limits/joinBudgets.ts), each `POINTS/SECONDS` in its variable. */
  joinBudgets: JoinBudgetConfig;
  /**
   * CONTACT_RETENTION_DAYS, default 90: how long an asker's contact for the written reply is kept after the reply was
   * delivered (Decree 13/2023: no longer than its purpose needs; 90 days leaves time for a reply that comes back
   * undelivered or is disputed). 0 erases it at the next purge after delivery (server/replies/ContactBook.ts).
   */
  contactRetentionDays: number;
}

/**
 * Limits on one socket, so that a phone (or a script with a join code) cannot stop the server for the hall. The
 * defaults leave the SPA far inside them: it sends one sync per (re)connect and one command at a time.
 */
export interface SocketLimits {
  /** SYNC_PER_SOCKET, default 10: syncs one socket may send per 10 s; beyond, `rate_limited`. */
  syncPerSocket: number;
  /** SYNC_PER_PARTICIPANT, default 20: syncs per attendee (or screen) per 10 s, all their sockets and nodes together. */
  syncPerParticipant: number;
  /** SYNC_PER_STAFF, default 60: syncs per staff account per 10 s (one account may hold several tablets). */
  syncPerStaff: number;
  /** SOCKET_MAX_IN_FLIGHT, default 32: requests a socket may have waiting for their answer; one more disconnects it. */
  maxInFlight: number;
  /** SOCKET_MAX_BUFFERED_BYTES, default 8 MiB: a socket whose unsent output passes this is disconnected at once. */
  maxBufferedBytes: number;
  /** SOCKET_SLOW_BUFFERED_BYTES, default 1 MiB, for SOCKET_SLOW_SECONDS, default 15: a socket that stays above it is disconnected. */
  slowBufferedBytes: number;
  slowSeconds: number;
}

/**
 * Failed sign-ins let through before delays start, per kind of key. Past its budget every attempt on that key
 * waits longer than the one before (1 s, 1 s, 2 s, 3 s, 5 s … up to `maxDelaySec`); a success clears the delays
 * of its account and address. Nothing is ever locked for good.
 */
export interface LoginBudgets {
  /** LOGIN_BUDGET_ACCOUNT_ADDRESS, default 5 a day: one username from one address (a person's own typos). */
  perAccountAddress: number;
  /**
   * LOGIN_BUDGET_ADDRESS, default 50 an hour: any usernames from one address. A whole ward office sits behind one
   * NAT address, so this is sized for 20–30 staff mistyping, not for one person.
   */
  perAddress: number;
  /**
   * LOGIN_BUDGET_ACCOUNT, default 50 an hour: one username from all addresses together (guessing spread over many
   * addresses; ASVS V2.2.1 allows at most 100 an hour). Addresses the account signed in from in the last two weeks
   * are exempt, so such an attack cannot keep the admin out of the office.
   */
  perAccount: number;
  /** LOGIN_MAX_DELAY_SEC, default 900: the longest wait between two attempts. */
  maxDelaySec: number;
}

/**
 * Defaults of the join budgets. A ward's hall holds 200–400 people, often all behind the one public address of the
 * Wi-Fi: 500 phones joining within two minutes must all get in, so the burst budget is 600 per 10 minutes (20 %
 * headroom, and a hall that joins over two windows has twice that). A day allows 1,000 — a full hall twice — so a
 * script reaches at most that many identities per address per day, not thousands. Retried joins and right codes are
 * cheap (no identity is made): generous. Wrong codes are guesses: 50 per 10 minutes leaves room for people who
 * mistype and gives a guesser ~7,000 tries a day against ~887 million codes.
 */
export const JOIN_BUDGET_DEFAULTS: Record<keyof JoinBudgetConfig, { env: string; budget: Budget }> = {
  newIdentity: { env: 'JOIN_NEW_BUDGET', budget: { points: 600, durationSec: 600 } },
  newIdentityDaily: { env: 'JOIN_NEW_DAILY_BUDGET', budget: { points: 1000, durationSec: 86_400 } },
  rejoin: { env: 'JOIN_AGAIN_BUDGET', budget: { points: 3000, durationSec: 600 } },
  codeLookup: { env: 'JOIN_CODE_BUDGET', budget: { points: 3000, durationSec: 600 } },
  codeGuess: { env: 'JOIN_GUESS_BUDGET', budget: { points: 50, durationSec: 600 } },
};

/** `POINTS/SECONDS`, e.g. `600/600`; unset: the default. */
function parseBudget(name: string, value: string | undefined, fallback: Budget): Budget {
  if (value === undefined || value === '') return fallback;
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  const points = Number(m?.[1]);
  const durationSec = Number(m?.[2]);
  if (!m || points < 1 || durationSec < 1)
    throw new Error(`${name} must be POINTS/SECONDS with both at least 1 (e.g. 600/600), got ${value}`);
  return { points, durationSec };
}

function loadJoinBudgets(env: NodeJS.ProcessEnv): JoinBudgetConfig {
  const entries = Object.entries(JOIN_BUDGET_DEFAULTS).map(([key, d]) => [
    key,
    parseBudget(d.env, env[d.env], d.budget),
  ]);
  return Object.fromEntries(entries) as JoinBudgetConfig;
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
    ...redisConfig(env),
    ...(env.ADMIN_PASSWORD ? { adminPassword: env.ADMIN_PASSWORD } : {}),
    ...(env.AUTH_SECRET ? { authSecret: env.AUTH_SECRET } : {}),
    clientDir: resolve(env.CLIENT_DIR ?? 'dist/client'),
    logLevel: env.LOG_LEVEL ?? 'info',
    ...(env.PUBLIC_URL ? { publicUrl: env.PUBLIC_URL } : {}),
    ...(env.METRICS_TOKEN ? { metricsToken: env.METRICS_TOKEN } : {}),
    sockets: {
      syncPerSocket: count(env, 'SYNC_PER_SOCKET', 10, 1),
      syncPerParticipant: count(env, 'SYNC_PER_PARTICIPANT', 20, 1),
      syncPerStaff: count(env, 'SYNC_PER_STAFF', 60, 1),
      maxInFlight: count(env, 'SOCKET_MAX_IN_FLIGHT', 32, 1),
      maxBufferedBytes: count(env, 'SOCKET_MAX_BUFFERED_BYTES', 8 << 20, 1),
      slowBufferedBytes: count(env, 'SOCKET_SLOW_BUFFERED_BYTES', 1 << 20, 1),
      slowSeconds: count(env, 'SOCKET_SLOW_SECONDS', 15, 1),
    },
    trustProxy: /^\d+$/.test(env.TRUST_PROXY ?? '') ? Number(env.TRUST_PROXY) : env.TRUST_PROXY || 'loopback',
    joinBudgets: loadJoinBudgets(env),
    contactRetentionDays: count(env, 'CONTACT_RETENTION_DAYS', 90),
    login: {
      perAccountAddress: count(env, 'LOGIN_BUDGET_ACCOUNT_ADDRESS', 5),
      perAddress: count(env, 'LOGIN_BUDGET_ADDRESS', 50),
      perAccount: count(env, 'LOGIN_BUDGET_ACCOUNT', 50),
      maxDelaySec: count(env, 'LOGIN_MAX_DELAY_SEC', 900, 1),
    },
  };
}

function redisConfig(env: NodeJS.ProcessEnv): Pick<Config, 'redis' | 'redisWait'> {
  if (env.REDIS_URL && env.REDIS_SENTINELS) throw new Error('set REDIS_URL or REDIS_SENTINELS, not both');
  const redis: RedisTarget | undefined = env.REDIS_SENTINELS
    ? {
        kind: 'sentinel',
        sentinels: parseNodes(env.REDIS_SENTINELS),
        masterName: env.REDIS_MASTER_NAME ?? 'dialogue-board',
      }
    : env.REDIS_URL
      ? { kind: 'url', url: env.REDIS_URL }
      : undefined;
  const replicas = count(env, 'REDIS_WAIT_REPLICAS', redis?.kind === 'sentinel' ? 1 : 0);
  // 0 would make WAIT block for ever.
  const timeoutMs = count(env, 'REDIS_WAIT_TIMEOUT_MS', 1_000, 1);
  return { ...(redis ? { redis } : {}), redisWait: { replicas, timeoutMs } };
}

/** A whole number ≥ `min` from the environment, or the default; anything else stops the start with a clear error. */
function count(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${name} must be a whole number ≥ ${min}, got ${raw}`);
  return value;
}
