/**
 * A join storm shares commits. With the embedded store an append is a synchronous fsync that holds the event loop;
 * the joins that arrive meanwhile are read together in the next turn, and they must go into the store together (one
 * group commit) rather than one fsync each — on a busy disk one each is what made 1,000 phones joining within 10 s
 * wait for tens of seconds (docs/benchmarks.md, "Join storm"). The real server on a SQLite file; the store is wrapped
 * only to count its appends and to hold the loop 5 ms in each (a commit on a busy disk). The phones are another
 * process, as in a hall: their requests keep arriving while the server's loop is held.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../helpers/server.ts';

let server: TestServer;

beforeAll(async () => {
  // Every phone comes from loopback: the per-address join budgets are lifted, as for a benchmark.
  server = await startServer({
    env: {
      JOIN_NEW_BUDGET: '1000000/600',
      JOIN_NEW_DAILY_BUDGET: '1000000/86400',
      JOIN_CODE_BUDGET: '1000000/600',
    },
  });
});

afterAll(async () => {
  await server?.close();
});

const PHONES = 200;

describe('a join storm on the embedded store', () => {
  it(
    'acknowledges every join and commits them in far fewer appends than joins',
    { timeout: 120_000 },
    async () => {
      const session = await server.createSession();
      await server.setStatus(session.id, 'live');
      const events = server.app.ctx.store.events;
      const appendMany = events.appendMany.bind(events);
      const sizes: number[] = [];
      events.appendMany = (sessionId, expectedSeq, commands, probes) => {
        if (sessionId === session.id) {
          sizes.push(commands.length);
          const until = performance.now() + 5;
          while (performance.now() < until);
        }
        return appendMany(sessionId, expectedSeq, commands, probes);
      };
      const statuses = await joinFromAnotherProcess(server.url, session.joinCode, PHONES);
      expect(statuses).toEqual(statuses.map(() => 201));
      const joined = sizes.reduce((a, b) => a + b, 0);
      expect(joined).toBe(PHONES);
      // One append each would be PHONES appends; requests read in one turn of the event loop share one.
      expect(sizes.length).toBeLessThan(PHONES / 2);
    },
  );
});

/** `count` joins sent at once by a child process; their HTTP statuses. */
function joinFromAnotherProcess(url: string, joinCode: string, count: number): Promise<number[]> {
  const script = `
    const joins = Array.from({ length: ${count} }, () =>
      fetch(${JSON.stringify(url)} + '/api/join', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ joinCode: ${JSON.stringify(joinCode)} }),
      }).then((r) => r.status, () => 0));
    Promise.all(joins).then((s) => process.stdout.write(JSON.stringify(s)));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('exit', () => {
      try {
        resolve(JSON.parse(out) as number[]);
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  });
}
