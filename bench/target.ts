/**
 * The real server, as `npm start` runs it (createApp + listen), in its own process so that its RSS and CPU are its
 * own. Configured by environment like production (DATA_DIR, REDIS_URL, ADMIN_PASSWORD); port 0, loopback only.
 *
 * Bench hooks: `gc` calls `global.gc()` when the process was started with `--expose-gc`, so memory readings are not
 * inflated by garbage that has not been collected yet; `profileStart`/`profileStop` take a CPU profile of one phase
 * (`--profile <dir>`); `diagStart`/`diagStop` record, for one phase, how long each command took inside the server
 * (from socket.io handing over the parsed packet to the ack: decide + append + fsync, and whatever else the event loop
 * ran meanwhile), the event loop's delay, and the fan-out's batches (count, mean time to the last socket written). Nothing in server/ knows about them.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { createApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { serve, sleep } from './lib/rpc.ts';

await serve(async () => {
  const config = loadConfig({
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  });
  const app = await createApp(config);
  const port = await app.listen();
  const inspector = new Session();
  inspector.connect();
  let commandMs: number[] | null = null;
  let loop: IntervalHistogram | null = null;
  /** The fan-out lag histogram's count and sum (seconds) when the phase began. */
  let fanout0 = { count: 0, sum: 0 };
  const fanoutSoFar = async () => {
    // Read as an operator would (loopback may read /metrics without a token when none is set).
    const headers = config.metricsToken ? { authorization: `Bearer ${config.metricsToken}` } : undefined;
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`, { headers })).text();
    const of = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
    return { count: of('dialogue_fanout_lag_seconds_count'), sum: of('dialogue_fanout_lag_seconds_sum') };
  };
  app.io.on('connection', (socket) => {
    socket.use((packet, next) => {
      const ack = packet.at(-1);
      const times = commandMs;
      if (times && packet[0] === 'command' && typeof ack === 'function') {
        const t0 = performance.now();
        packet[packet.length - 1] = (...args: unknown[]) => {
          times.push(performance.now() - t0);
          (ack as (...a: unknown[]) => void)(...args);
        };
      }
      next();
    });
  });
  return {
    info: { port, pid: process.pid, redis: Boolean(config.redisUrl) },
    handlers: {
      async gc() {
        const gc = (globalThis as { gc?: () => void }).gc;
        if (gc) {
          gc();
          await sleep(100);
          gc();
        }
        return { collected: Boolean(gc), heapUsed: process.memoryUsage().heapUsed };
      },
      async profileStart() {
        await inspector.post('Profiler.enable');
        await inspector.post('Profiler.setSamplingInterval', { interval: 500 });
        await inspector.post('Profiler.start');
      },
      async profileStop(args: { file: string }) {
        const { profile } = await inspector.post('Profiler.stop');
        writeFileSync(args.file, JSON.stringify(profile));
        return args.file;
      },
      async diagStart() {
        fanout0 = await fanoutSoFar();
        commandMs = [];
        loop?.disable();
        loop = monitorEventLoopDelay({ resolution: 10 });
        loop.enable();
      },
      async diagStop() {
        const fanout = await fanoutSoFar();
        const batches = fanout.count - fanout0.count;
        const times = (commandMs ?? []).sort((a, b) => a - b);
        commandMs = null;
        loop?.disable();
        const at = (p: number) =>
          times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)] ?? Number.NaN;
        const ms = (ns: number) => ns / 1e6;
        return {
          command: { n: times.length, p50: at(50), p99: at(99), max: times.at(-1) ?? Number.NaN },
          loopDelay: loop
            ? { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) }
            : null,
          // Batches the fan-out sent in the phase, and their mean time from arrival to the last socket written.
          fanout: {
            batches,
            meanMs: batches > 0 ? ((fanout.sum - fanout0.sum) / batches) * 1000 : Number.NaN,
          },
        };
      },
      async stop() {
        await app.close();
      },
    },
  };
});
