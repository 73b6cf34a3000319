/**
 * Child process for tests/integration/store/crash.test.ts: appends to a SQLite store as fast as it can and prints
 * `acked <seq> <commandId>` only after `append` has resolved, so every printed line is a promise of durability the
 * store made. The test SIGKILLs this process at an arbitrary moment.
 * Usage: node --import tsx tests/helpers/sqliteAppendLoop.ts <dataDir> <sessionId> <maxAppends>
 */
import { writeSync } from 'node:fs';
import { openSqliteStore } from '../../server/store/sqlite/index.ts';

const [dataDir, sessionId, maxAppendsArg] = process.argv.slice(2);
if (!dataDir || !sessionId || !maxAppendsArg)
  throw new Error('usage: sqliteAppendLoop <dataDir> <sessionId> <maxAppends>');
const maxAppends = Number(maxAppendsArg);

const store = openSqliteStore(dataDir);
let head = await store.events.head(sessionId);
// Bounded so that a test that forgets to kill this process does not leave it running forever.
for (let round = 0; round < maxAppends; round += 1) {
  const commandId = `${process.pid}-${round}`;
  // Two events per command: a crash must never leave half of a command in the log.
  const result = await store.events.append(sessionId, head, commandId, [
    { type: 'tick', commandId, part: 1 },
    { type: 'tick', commandId, part: 2 },
  ]);
  if (!result.ok) throw new Error(`unexpected conflict at ${head}: only this process writes`);
  head = result.seq;
  // writeSync: the line is in the pipe before the next append starts, never buffered behind it.
  writeSync(1, `acked ${result.seq} ${commandId}\n`);
}
await store.close();
