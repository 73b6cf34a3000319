import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RedisServer {
  url: string;
  port: number;
  /** Working directory holding the AOF and the log; kept across `kill()`/`restart()`, removed by `stop()`. */
  dir: string;
  /** Graceful shutdown (SIGTERM, which fsyncs the AOF) and removal of `dir`. The end of this server's life. */
  stop(): Promise<void>;
  /** SIGKILL, like a power cut for the process; `restart()` afterwards replays the AOF. */
  kill(): void;
  /** Stops the process if it still runs (gracefully), then starts a new one on the same port and dir. */
  restart(): Promise<void>;
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
 */
export async function startRedis(options: { appendonly?: boolean } = {}): Promise<RedisServer> {
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
  ];
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
    async restart() {
      if (stopped) throw new Error('restart() after stop(): the server and its dir are gone');
      await terminate(child);
      child = await launch(args, port, dir);
    },
  };
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

/** Port 0 makes the kernel pick a free port; there is a small window before redis-server binds it. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('no TCP address'));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

function readLog(dir: string): string {
  try {
    return readFileSync(join(dir, 'redis.log'), 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '(no redis.log)';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
