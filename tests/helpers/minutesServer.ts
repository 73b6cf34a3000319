/**
 * Child-process entry for the restart and crash tests:
 *   node --import tsx tests/helpers/minutesServer.ts --port <port> --dir <dataDir>
 * Prints "READY <port>" once listening; SIGTERM closes gracefully (flushing every document) and exits 0.
 */
import { parseArgs } from 'node:util';
import { startMinutesTestServer } from './minutesTestServer.ts';

const { values } = parseArgs({ options: { port: { type: 'string' }, dir: { type: 'string' } } });
if (!values.dir) throw new Error('--dir is required');

const server = await startMinutesTestServer({ dataDir: values.dir, port: Number(values.port ?? 0) });
process.stdout.write(`READY ${server.port}\n`);

let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  server.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
