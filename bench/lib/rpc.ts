/**
 * Request/reply over the IPC channel of a forked child: every bench process (servers, load generators, replay and
 * minutes workers) is a `Worker` seen from the orchestrator and calls `serve()` on its side. Every call has a timeout,
 * and a child that dies fails its pending calls at once (with the tail of its stderr), so no step can hang the run.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

interface Request {
  id: number;
  op: string;
  args: unknown;
}
type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
type Ready = { ready: true; info: unknown } | { ready: false; error: string };

/** Node's IPC serialisation would drop typed arrays' shape; everything we send is plain JSON anyway. */
const SERIALIZATION = 'json';
const TAIL_BYTES = 8 * 1024;

export interface WorkerOptions {
  args?: string[];
  env?: Record<string, string | undefined>;
  /** Extra Node flags (e.g. `--expose-gc`, `--cpu-prof`); `--import tsx` is always there. */
  execArgv?: string[];
  /** How long the child may take to report ready (default 60 s). */
  readyTimeoutMs?: number;
  /** Print the child's stdout/stderr as it comes (default: keep only a tail for error messages). */
  verbose?: boolean;
}

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export class Worker<Info = unknown> {
  readonly name: string;
  readonly info: Info;
  readonly #child: ChildProcess;
  readonly #pending = new Map<
    number,
    { resolve(v: unknown): void; reject(e: Error): void; timer: NodeJS.Timeout }
  >();
  readonly #exited: Promise<void>;
  #nextId = 1;

  private constructor(
    name: string,
    child: ChildProcess,
    info: Info,
    tail: () => string,
    exited: Promise<void>,
  ) {
    this.name = name;
    this.#child = child;
    this.info = info;
    this.#exited = exited;
    child.on('message', (msg: Reply) => {
      const pending = this.#pending.get(msg.id);
      if (!pending) return;
      this.#pending.delete(msg.id);
      clearTimeout(pending.timer);
      if (msg.ok) pending.resolve(msg.result);
      else pending.reject(new Error(`${name}: ${msg.error}`));
    });
    void exited.then(() => {
      for (const [, p] of this.#pending) {
        clearTimeout(p.timer);
        p.reject(new Error(`${name} exited (${child.exitCode ?? child.signalCode})\n${tail()}`));
      }
      this.#pending.clear();
    });
  }

  static async start<Info>(name: string, file: string, options: WorkerOptions = {}): Promise<Worker<Info>> {
    const path = file.startsWith('file:') ? fileURLToPath(file) : file;
    const child = fork(path, options.args ?? [], {
      execArgv: ['--import', 'tsx', ...(options.execArgv ?? [])],
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: SERIALIZATION,
    });
    live.add(child);
    let tail = '';
    const keep = (chunk: Buffer) => {
      if (options.verbose) process.stderr.write(`[${name}] ${chunk.toString()}`);
      tail = (tail + chunk.toString()).slice(-TAIL_BYTES);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const exited = new Promise<void>((resolve) => child.once('exit', () => (live.delete(child), resolve())));
    const readyTimeout = options.readyTimeoutMs ?? 60_000;
    const info = await new Promise<Info>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${name} not ready within ${readyTimeout} ms\n${tail}`));
      }, readyTimeout);
      child.once('message', (msg: Ready) => {
        clearTimeout(timer);
        if (msg.ready) resolve(msg.info as Info);
        else reject(new Error(`${name} failed to start: ${msg.error}\n${tail}`));
      });
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`${name} exited before ready (${child.exitCode ?? child.signalCode})\n${tail}`));
      });
    });
    return new Worker(name, child, info, () => tail, exited);
  }

  get pid(): number {
    return this.#child.pid ?? -1;
  }

  call<T>(op: string, args: unknown = {}, timeoutMs = 60_000): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      if (!this.#child.connected) {
        reject(new Error(`${this.name} is not running`));
        return;
      }
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`${this.name}.${op} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.#child.send({ id, op, args } satisfies Request);
    });
  }

  /** Asks the child to finish (`stop` op, if it has one), then SIGTERM, then SIGKILL: bounded at ~10 s. */
  async stop(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    await this.call('stop', {}, 5_000).catch(() => {});
    const killer = setTimeout(() => this.#child.kill('SIGKILL'), 5_000);
    this.#child.kill('SIGTERM');
    await this.#exited;
    clearTimeout(killer);
  }
}

export type Handlers = Record<string, (args: never) => unknown>;

/**
 * The child's side: runs `init` (its result is the `info` the parent sees), then answers calls by op name. `stop`
 * runs the optional handler and exits. The child also exits when the parent goes away (IPC disconnect).
 */
export async function serve(init: () => Promise<{ info: unknown; handlers: Handlers }>): Promise<void> {
  const send = (msg: Reply | Ready) => {
    if (process.connected) process.send?.(msg);
  };
  process.on('disconnect', () => process.exit(0));
  let handlers: Handlers;
  try {
    const ready = await init();
    handlers = ready.handlers;
    send({ ready: true, info: ready.info });
  } catch (err) {
    send({ ready: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    process.exit(1);
  }
  process.on('message', async (msg: Request) => {
    try {
      const handler = handlers[msg.op];
      if (!handler && msg.op !== 'stop') throw new Error(`unknown op ${msg.op}`);
      const result = handler ? await handler(msg.args as never) : undefined;
      send({ id: msg.id, ok: true, result: result ?? null });
      if (msg.op === 'stop') setTimeout(() => process.exit(0), 50);
    } catch (err) {
      send({ id: msg.id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    }
  });
}

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes on one machine. */
export const now = (): number => performance.timeOrigin + performance.now();

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
