/**
 * The real server, as `npm start` runs it (createApp + listen), in its own process so that its RSS and CPU are its
 * own. Configured by environment like production (DATA_DIR, REDIS_URL, ADMIN_PASSWORD); port 0, loopback only.
 *
 * Bench hooks: `gc` calls `global.gc()` when the process was started with `--expose-gc`, so memory readings are not
 * inflated by garbage that has not been collected yet; `profileStart`/`profileStop` take a CPU profile of one phase
 * (`--profile <dir>`). Nothing in server/ knows about them.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
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
      async stop() {
        await app.close();
      },
    },
  };
});
