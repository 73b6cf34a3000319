import { createApp } from './app.ts';
import { loadConfig } from './config.ts';

const config = loadConfig();
const app = await createApp(config);
const port = await app.listen();
app.ctx.logger.info(
  { port, dataDir: config.dataDir, redis: config.redis?.kind ?? false },
  `Dialogue Board on http://localhost:${port}`,
);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    app.ctx.logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        app.ctx.logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
