import { createApp } from './app.ts';
import { loadConfig } from './config.ts';

/**
 * A node that has not started within a minute (seen once in the long fault run: a node that never listened, nothing
 * logged) exits with the step it was stuck in, so that its supervisor (systemd `Restart=always`) starts it again.
 */
const START_TIMEOUT_MS = 60_000;
let starting = 'creating the app: store, accounts, minutes';
const watchdog = setTimeout(() => {
  process.stderr.write(`not started within ${START_TIMEOUT_MS / 1000} s (${starting}): exiting\n`);
  process.exit(1);
}, START_TIMEOUT_MS);

const config = loadConfig();
const app = await createApp(config);
starting = 'listening';
const port = await app.listen();
clearTimeout(watchdog);
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
