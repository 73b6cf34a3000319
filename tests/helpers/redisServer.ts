import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createClient } from 'redis';
import { freePort } from './freePort.ts';

export interface RedisServer {
  url: string;
  port: number;
  /** Working directory holding the AOF and the log; kept across `kill()`/`restart()`, removed by `stop()`. */
  dir: string;
  /** Graceful shutdown (SIGTERM, which fsyncs the AOF) and removal of `dir`. The end of this server's life. */
  stop(): Promise<void>;
  /** SIGKILL, like a power cut for the process; `restart()` afterwards replays the AOF. */
  kill(): void;
  /**
   * Stops the process if it still runs (gracefully), then starts a new one on the same port and dir; `extra`
   * command-line settings (e.g. `--replicaof host port`) override its config file for this start.
   */
  restart(extra?: string[]): Promise<void>;
}

const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 10_000;

/** Every redis-server this test process started and has not seen exit: killed if the test process exits first. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts a private redis-server for a test. `appendfsync always` makes Redis fsync the AOF before replying, which is
 * what the store's durability promise relies on; `--save ''` turns off RDB snapshots so the AOF is the only copy.
 *
 * The settings go into a config file of the server's own, as on a real machine: Sentinel rewrites it when it turns
 * the server into a primary or a replica (`CONFIG REWRITE`), so a server killed and started again comes back in the
 * role it last had. Started again from its first command line instead, a promoted replica came back as the replica of
 * the first primary — by then its own replica — and synced from it: a restart no real machine does (the long fault
 * run's seed 18 lost acknowledged commands right after one). Under Sentinel a killed server starts again through
 * `RedisHA.restart` (scripts/redis-start-role.sh), as docs/operations.md says a real one must.
 */
export async function startRedis(
  options: { appendonly?: boolean; args?: string[] } = {},
): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'dialogue-board-redis-'));
  // prettier-ignore
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', dir,
    '--save', '',
    '--appendonly', options.appendonly === false ? 'no' : 'yes',
    '--appendfsync', 'always',
    '--logfile', join(dir, 'redis.log'),
    ...(options.args ?? []),
  ];
  const conf = join(dir, 'redis.conf');
  writeFileSync(conf, configFile(args));
  return managed([conf], port, dir);
}

/** `--name value…` arguments as the lines of a redis.conf (an empty value written as ""). */
function configFile(args: string[]): string {
  const lines: string[][] = [];
  for (const arg of args) {
    if (arg.startsWith('--')) lines.push([arg.slice(2)]);
    else lines.at(-1)?.push(arg === '' ? '""' : arg);
  }
  return lines.map((line) => line.join(' ')).join('\n') + '\n';
}

/** A redis-server (data server or sentinel) started with `args`, and the one way every test stops and restarts it. */
async function managed(args: string[], port: number, dir: string): Promise<RedisServer> {
  let child = await launch(args, port, dir);
  let stopped = false;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await terminate(child);
      rmSync(dir, { recursive: true, force: true });
    },
    kill() {
      child.kill('SIGKILL');
    },
    async restart(extra: string[] = []) {
      if (stopped) throw new Error('restart() after stop(): the server and its dir are gone');
      await terminate(child);
      child = await launch([...args, ...extra], port, dir);
    },
  };
}

export interface RedisHA {
  /** The REDIS_SENTINELS value (`127.0.0.1:port,…`) and REDIS_MASTER_NAME of this set-up. */
  sentinels: string;
  masterName: string;
  /** The data servers: [0] starts as the primary, the others as its replicas. */
  servers: RedisServer[];
  /** The sentinels (three: a quorum of two). */
  sentinelServers: RedisServer[];
  /** The port of the primary the sentinels currently name. */
  primaryPort(): Promise<number>;
  /** The data server the sentinels currently name as primary. */
  primary(): Promise<RedisServer>;
  /** Whether the current primary takes writes: it has a replica in sync (min-replicas-to-write 1). */
  writable(): Promise<boolean>;
  /**
   * Starts a data server again as docs/operations.md says a Redis machine must start, with the settings
   * scripts/redis-start-role.sh prints: as a replica of the primary the sentinels name, or as it was when they still
   * name this server and no failover can be under way (the script waits while one may be).
   */
  restart(server: RedisServer): Promise<{ replicaOf?: number }>;
  stop(): Promise<void>;
}

const MASTER_NAME = 'dialogue-board';
const START_ROLE = fileURLToPath(new URL('../../scripts/redis-start-role.sh', import.meta.url));
const execFileAsync = promisify(execFile);

/**
 * A primary, `replicas` replicas and three sentinels on loopback ports, as docs/operations.md describes: every data
 * server has `min-replicas-to-write 1` (a primary cut off from every replica refuses writes rather than accept
 * what a failover would discard) and AOF `appendfsync always`. Resolves once every sentinel knows the primary, its
 * replicas and the other sentinels, so a failover can happen from the first moment.
 */
export async function startRedisHA(
  options: { replicas?: number; downAfterMs?: number } = {},
): Promise<RedisHA> {
  // A replica that (re)connects gets its full copy at once (repl-diskless-sync-delay 0, not 5 s): until it has it, it
  // holds only its own past, and a failover in those seconds promoted such a replica (long fault run, seed 3).
  // prettier-ignore
  const safety = ['--min-replicas-to-write', '1', '--min-replicas-max-lag', '5', '--repl-diskless-sync-delay', '0'];
  const primary = await startRedis({ args: safety });
  const servers = [primary];
  for (let i = 0; i < (options.replicas ?? 1); i++)
    servers.push(await startRedis({ args: [...safety, '--replicaof', '127.0.0.1', String(primary.port)] }));
  const sentinelServers: RedisServer[] = [];
  for (let i = 0; i < 3; i++)
    sentinelServers.push(await startSentinel(primary.port, options.downAfterMs ?? 1_000));
  const ha: RedisHA = {
    sentinels: sentinelServers.map((x) => `127.0.0.1:${x.port}`).join(','),
    masterName: MASTER_NAME,
    servers,
    sentinelServers,
    async primaryPort() {
      for (const sentinel of sentinelServers) {
        const reply = await command(sentinel.port, ['SENTINEL', 'get-master-addr-by-name', MASTER_NAME]);
        const port = Number(reply?.[1]);
        if (port > 0) return port;
      }
      throw new Error('no sentinel answered');
    },
    async primary() {
      const port = await ha.primaryPort();
      const server = servers.find((x) => x.port === port);
      if (!server) throw new Error(`the sentinels name an unknown primary ${port}`);
      return server;
    },
    async writable() {
      return (await goodReplicas(await ha.primaryPort())) >= 1;
    },
    async restart(server) {
      const { stdout } = await execFileAsync(
        'bash',
        [START_ROLE, ha.sentinels, MASTER_NAME, '127.0.0.1', String(server.port)],
        { timeout: 60_000 },
      );
      const extra = stdout.split(/\s+/).filter(Boolean);
      await server.restart(extra);
      return extra[0] === '--replicaof' ? { replicaOf: Number(extra[2]) } : {};
    },
    async stop() {
      for (const x of [...sentinelServers, ...servers]) await x.stop();
    },
  };
  const deadline = Date.now() + READY_TIMEOUT_MS * 3;
  for (;;) {
    const known = await Promise.all(
      sentinelServers.map(async (x) => {
        const replicasKnown = await command(x.port, ['SENTINEL', 'replicas', MASTER_NAME]);
        const sentinelsKnown = await command(x.port, ['SENTINEL', 'sentinels', MASTER_NAME]);
        return replicasKnown?.length === servers.length - 1 && sentinelsKnown?.length === 2;
      }),
    );
    // The primary takes writes only once its replicas have synced and acknowledged (min-replicas-to-write): a
    // sentinel may know a replica before that, and the first write of a node then fails with NOREPLICAS.
    if (known.every(Boolean) && (await goodReplicas(primary.port)) === servers.length - 1) return ha;
    if (Date.now() > deadline) {
      await ha.stop();
      throw new Error('the sentinels did not discover each other and the replicas in time');
    }
    await sleep(200);
  }
}

async function startSentinel(primaryPort: number, downAfterMs: number): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'dialogue-board-sentinel-'));
  const conf = join(dir, 'sentinel.conf');
  // A sentinel rewrites its own config file (what it learnt of the topology): it must be its own, writable.
  writeFileSync(
    conf,
    [
      `port ${port}`,
      'bind 127.0.0.1',
      `dir ${dir}`,
      `logfile ${join(dir, 'redis.log')}`,
      `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${primaryPort} 2`,
      `sentinel down-after-milliseconds ${MASTER_NAME} ${downAfterMs}`,
      `sentinel failover-timeout ${MASTER_NAME} 10000`,
      `sentinel parallel-syncs ${MASTER_NAME} 1`,
      '',
    ].join('\n'),
  );
  return managed([conf, '--sentinel'], port, dir);
}

/** How many replicas the primary counts as good for `min-replicas-to-write` (synced, lag within the limit). */
async function goodReplicas(port: number): Promise<number> {
  const client = createClient({ socket: { host: '127.0.0.1', port, reconnectStrategy: false } });
  client.on('error', () => {});
  try {
    await client.connect();
    const info = await client.info('replication');
    return Number(/min_slaves_good_slaves:(\d+)/.exec(info)?.[1] ?? 0);
  } catch {
    return 0;
  } finally {
    if (client.isOpen) client.destroy();
  }
}

/** One command over raw RESP, the reply parsed as flat arrays of strings (enough for SENTINEL's answers). */
async function command(port: number, args: string[]): Promise<unknown[] | null> {
  const client = createClient({ socket: { host: '127.0.0.1', port, reconnectStrategy: false } });
  client.on('error', () => {});
  try {
    await client.connect();
    const reply: unknown = await client.sendCommand(args);
    return Array.isArray(reply) ? reply : null;
  } catch {
    return null;
  } finally {
    if (client.isOpen) client.destroy();
  }
}

async function launch(args: string[], port: number, dir: string): Promise<ChildProcess> {
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  running.add(child);
  child.once('exit', () => running.delete(child));
  try {
    await waitUntilReady(child, port);
    return child;
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`redis-server on port ${port} did not start: ${String(error)}\n${readLog(dir)}`, {
      cause: error,
    });
  }
}

async function waitUntilReady(child: ChildProcess, port: number): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`exited with ${child.exitCode ?? child.signalCode}`);
    }
    // Redis answers PING with LOADING while it replays the AOF, so only PONG means "serving".
    if ((await ping(port)) === '+PONG') return;
    await sleep(50);
  }
  throw new Error(`no PONG within ${READY_TIMEOUT_MS} ms`);
}

/** A raw PING over TCP: a client library would retry and log on its own while the server is still booting. */
function ping(port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const finish = (result: string | null) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(1_000, () => finish(null));
    socket.on('error', () => finish(null));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) finish(reply.slice(0, reply.indexOf('\r\n')));
    });
  });
}

/** SIGTERM and wait for the exit; SIGKILL if Redis has not exited in time. Only ever signals our own child. */
async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/** The last `lines` lines of a server's or sentinel's log. */
export function readLog(dir: string, lines = 20): string {
  try {
    return readFileSync(join(dir, 'redis.log'), 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no redis.log)';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
