/**
 * `npm run bench`: the performance budget of issue "10,000 phones on one node". Starts the real server and a bare
 * socket.io baseline, drives them from load-generator processes, measures every figure, prints a table and writes
 * docs/benchmarks.md (or --out). Not a test: tests/unit/benchSmoke.test.ts only checks that `--quick` runs.
 *
 *   npm run bench                                   full size: 1,000 / 5,000 / 10,000 phones, embedded + Redis
 *   npm run bench -- --quick --out /tmp/b.md         tiny sizes, a few seconds
 *   npm run bench -- --phones 2000 --only fanout,ack --redis off
 *
 * Options: --phones a,b,c  --trials n  --loadgens n  --loadgen-nice n  --ack-rate n  --ack-seconds n  --storm-votes n  --storm-ms n
 *          --replay-events n  --minutes-edits n  --redis auto|on|off|only  --only fanout,ack,storm,replay,minutes,bundle
 *          --out file  --json file  --profile dir (CPU profile of the real server)  --verbose
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { spawnSync } from 'node:child_process';
import { bundleFigure, minutesFigure, replayFigure } from './figures.ts';
import { CpuMeter, describeMachine, probeCommits } from './lib/machine.ts';
import { Worker } from './lib/rpc.ts';
import { runRealtime, type Mode, type RealtimeOptions } from './realtime.ts';
import { consoleTable, markdown, type Results } from './report.ts';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    phones: { type: 'string' },
    trials: { type: 'string' },
    loadgens: { type: 'string' },
    'loadgen-nice': { type: 'string' },
    'actor-phones': { type: 'string' },
    'ack-rate': { type: 'string' },
    'ack-seconds': { type: 'string' },
    'storm-votes': { type: 'string' },
    'storm-ms': { type: 'string' },
    'replay-events': { type: 'string' },
    'replay-runs': { type: 'string' },
    'minutes-edits': { type: 'string' },
    redis: { type: 'string' },
    only: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'string' },
    profile: { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
  allowPositionals: false,
});

const quick = values.quick ?? false;
const num = (v: string | undefined, full: number, small: number) => {
  const n = v === undefined ? (quick ? small : full) : Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`not a number: ${v}`);
  return n;
};
const phones = (values.phones ?? (quick ? '50' : '1000,5000,10000'))
  .split(',')
  .map(Number)
  .filter((n) => n > 0)
  .sort((a, b) => a - b);
const only = new Set((values.only ?? 'fanout,ack,storm,replay,minutes,bundle').split(','));
const redisChoice = values.redis ?? (quick ? 'off' : 'auto');
const out = resolve(values.out ?? 'docs/benchmarks.md');
const verbose = values.verbose ?? false;
const realtime: RealtimeOptions = {
  phones,
  trials: num(values.trials, 5, 1),
  loadgens: Math.max(1, num(values.loadgens, 4, 2)),
  loadgenNice: Math.min(19, num(values['loadgen-nice'], 10, 10)),
  actorPhones: num(values['actor-phones'], 100, 10),
  ackRate: only.has('ack') ? num(values['ack-rate'], 200, 20) : 0,
  ackSeconds: num(values['ack-seconds'], 10, 1),
  stormVotes: only.has('storm') ? num(values['storm-votes'], 2000, 40) : 0,
  stormMs: num(values['storm-ms'], 2000, 500),
  pauseMs: quick ? 200 : 1000,
  ...(values.profile ? { profileDir: resolve(values.profile) } : {}),
  verbose,
};

const pids = new Set<number>();
const track = (w: { pid: number } | null, remove = false) => {
  if (!w) return;
  if (remove) pids.delete(w.pid);
  else pids.add(w.pid);
};
const cpu = new CpuMeter(() => [...pids]);
const results: Results = {
  startedAt: new Date().toISOString(),
  finishedAt: '',
  command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
  quick,
  loadgenNice: realtime.loadgenNice,
  machine: describeMachine(),
  noise: [],
  modes: [],
  skipped: [],
  replay: null,
  minutes: null,
  bundle: null,
};

async function phase<T>(name: string, fn: () => Promise<T>): Promise<T> {
  console.log(`\n▸ ${name}`);
  const mark = cpu.mark();
  try {
    return await fn();
  } finally {
    const use = cpu.since(mark);
    results.noise.push({ phase: name, ...use });
    console.log(
      `  (${use.seconds.toFixed(0)} s; bench ${use.ours.toFixed(2)} cores, other processes ${use.foreign.toFixed(2)} cores, load ${use.load1.toFixed(1)})`,
    );
  }
}

const errorText = (err: unknown) =>
  err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err);

results.machine.commitMs = probeCommits(quick ? 50 : 300);
console.log(
  `Dialogue Board benchmark${quick ? ' (quick)' : ''} — ${results.machine.cpuModel}, ${results.machine.cores} cores, Node ${results.machine.node}; ` +
    `SQLite commit (fsync) p50 ${results.machine.commitMs.p50.toFixed(2)} ms, p99 ${results.machine.commitMs.p99.toFixed(1)} ms`,
);

if (only.has('bundle')) results.bundle = await phase('bundle sizes', async () => bundleFigure());

if (only.has('replay')) {
  results.replay = await phase('start-up replay', () =>
    replayFigure(
      num(values['replay-events'], 100_000, 2_000),
      num(values['replay-runs'], 3, 1),
      track,
      verbose,
    ).catch((err: unknown) => ({ error: errorText(err) })),
  );
}

if (only.has('minutes')) {
  results.minutes = await phase('minutes propagation', () =>
    minutesWithApp(num(values['minutes-edits'], 600, 30)).catch((err: unknown) => ({
      error: errorText(err),
    })),
  );
}

if (only.has('fanout') || only.has('ack') || only.has('storm')) {
  const modes: Mode[] = redisChoice === 'only' ? [] : ['embedded'];
  const hasRedis = spawnSync('redis-server', ['--version']).status === 0;
  if (redisChoice === 'on' || redisChoice === 'only' || (redisChoice === 'auto' && hasRedis))
    modes.push('redis');
  else
    results.skipped.push({
      what: 'Redis mode (fan-out, acks, memory, storm)',
      reason: redisChoice === 'off' ? '--redis off' : 'redis-server not installed',
    });
  for (const mode of modes) {
    try {
      const result = await phase(`real-time, ${mode}`, async () => {
        if (mode === 'embedded') return runRealtime(mode, realtime, cpu, track);
        const { startRedis } = await import('../tests/helpers/redisServer.ts');
        const redis = await startRedis();
        try {
          return await runRealtime(mode, { ...realtime, redisUrl: redis.url }, cpu, track);
        } finally {
          await redis.stop();
        }
      });
      results.modes.push(result);
    } catch (err) {
      console.error(`  ${mode} failed: ${err instanceof Error ? err.stack : String(err)}`);
      results.skipped.push({ what: `real-time figures, ${mode} store`, reason: `failed: ${errorText(err)}` });
    }
  }
}

results.finishedAt = new Date().toISOString();
console.log('\n' + consoleTable(results));
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, markdown(results));
console.log(`\nwritten ${out}`);
if (values.json) writeFileSync(resolve(values.json), JSON.stringify(results, null, 2));
process.exit(0);

/**
 * Minutes against the app's own endpoint when it serves y-websocket at /yjs/ (a real server with a session and three
 * staff who may write: the secretary and two chairs); otherwise against a standalone createMinutesServer.
 */
async function minutesWithApp(edits: number) {
  const w = await Worker.start<{ port: number; pid: number }>(
    'minutes-app',
    new URL('./target.ts', import.meta.url).href,
    {
      env: {
        DATA_DIR: `/tmp/bench-minutes-app-${randomUUID()}`,
        ADMIN_PASSWORD: 'bench-admin-password',
        REDIS_URL: undefined,
      },
      verbose,
    },
  );
  track(w);
  try {
    const url = `http://127.0.0.1:${w.info.port}`;
    const api = async <T>(method: string, path: string, token?: string, body?: unknown) => {
      const res = await fetch(url + path, {
        method,
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: body === undefined ? null : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status}`);
      return (await res.json()) as T;
    };
    const login = async (username: string) =>
      (
        await api<{ token: string }>('POST', '/api/login', undefined, {
          username,
          password: 'bench-staff-password',
        })
      ).token;
    const admin = (
      await api<{ token: string }>('POST', '/api/login', undefined, {
        username: 'admin',
        password: 'bench-admin-password',
      })
    ).token;
    const tokens: string[] = [];
    for (const [username, role] of [
      ['bench-secretary', 'secretary'],
      ['bench-chair', 'chair'],
      ['bench-chair-2', 'chair'],
    ] as const) {
      await api('POST', '/api/users', admin, {
        username,
        password: 'bench-staff-password',
        role,
        name: username,
      });
      tokens.push(await login(username));
    }
    const session = await api<{ id: string }>('POST', '/api/sessions', admin, {
      title: 'Hội nghị đối thoại (minutes benchmark)',
      date: new Date().toISOString().slice(0, 10),
      venue: 'Hội trường',
    });
    return await minutesFigure(edits, 20, { url, sessionId: session.id, tokens }, track, verbose);
  } finally {
    await w.stop();
    track(w, true);
  }
}
