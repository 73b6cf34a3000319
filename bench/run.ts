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
 *          --replay-events n  --minutes-edits n  --redis auto|on|off|only
 *          --flood-seconds n  --flood-frames n  --flood-questions n
 *          --only fanout,ack,storm,replay,minutes,bundle,readhead,flood,login,joinstorm,history   (a run of only flood,
 *          joinstorm and/or history updates only those sections and their summary rows of an existing docs/benchmarks.md;
 *          history is not part of the default run: 20 fault schedules take a long while)
 *          --login-guesses n  --joinstorm-phones n  --joinstorm-ms n
 *          --history-runs n  --history-seed n  --history-dir dir (each history and the verdict; a tmp dir by default)
 *          --out file  --json file  --profile dir (CPU profile of the real server)  --verbose
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { spawnSync } from 'node:child_process';
import { format, resolveConfig } from 'prettier';
import { bundleFigure, minutesFigure, replayFigure } from './figures.ts';
import { loginFigure } from './login.ts';
import { readHeadFigure } from './readHead.ts';
import { floodFigure } from './flood.ts';
import { historyFigure } from './history.ts';
import { joinStormFigure } from './joinStorm.ts';
import { historySection, joinStormSection, withSection, type Section } from './sections.ts';
import { apiClient } from './lib/client.ts';
import { CpuMeter, describeMachine, probeCommits } from './lib/machine.ts';
import { Worker } from './lib/rpc.ts';
import { runRealtime, type Mode, type RealtimeOptions } from './realtime.ts';
import {
  consoleTable,
  FLOOD_BEGIN,
  FLOOD_END,
  floodMarkdown,
  floodRows,
  markdown,
  summaryRow,
  type Results,
} from './report.ts';
import { wardDay } from '../tests/helpers/wardDay.ts';

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
    'flood-seconds': { type: 'string' },
    'flood-frames': { type: 'string' },
    'flood-questions': { type: 'string' },
    'login-guesses': { type: 'string' },
    'joinstorm-phones': { type: 'string' },
    'joinstorm-ms': { type: 'string' },
    'history-runs': { type: 'string' },
    'history-seed': { type: 'string' },
    'history-dir': { type: 'string' },
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
// The flood takes a minute and a server of its own: in a full run, not in --quick unless asked for.
const only = new Set(
  (
    values.only ?? `fanout,ack,storm,replay,minutes,bundle,readhead,login,joinstorm${quick ? '' : ',flood'}`
  ).split(','),
);
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
  readHead: null,
  flood: null,
  login: null,
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

if (only.has('readhead') && redisChoice !== 'off') {
  results.readHead = await phase('read-your-writes: the head read per sync', () =>
    readHeadFigure(quick ? 200 : 5_000).catch((err: unknown) => ({ error: errorText(err) })),
  );
  const h = results.readHead;
  console.log(
    'error' in h
      ? `  failed: ${h.error}`
      : `  catchUp p50 ${h.cached.p50.toFixed(2)} → ${h.fresh.p50.toFixed(2)} ms, p99 ${h.cached.p99.toFixed(2)} → ${h.fresh.p99.toFixed(2)} ms`,
  );
}

if (only.has('flood')) {
  results.flood = await phase('one phone flooding sync without reading', () =>
    floodFigure(
      {
        questions: num(values['flood-questions'], 3_000, 300),
        frames: num(values['flood-frames'], 20_000, 2_000),
        seconds: num(values['flood-seconds'], 60, 5),
        phones: quick ? 5 : 50,
        everyMs: 500,
        verbose,
      },
      track,
    ).catch((err: unknown) => ({ error: errorText(err) })),
  );
}

if (only.has('login')) {
  results.login = await phase('sign-in throttling', () =>
    loginFigure(num(values['login-guesses'], 10_000, 40), quick ? 3 : 40).catch((err: unknown) => ({
      error: errorText(err),
    })),
  );
  const l = results.login;
  console.log(
    'error' in l
      ? `  failed: ${l.error}`
      : `  ${l.guesses} guesses in ${l.seconds.toFixed(0)} s: ${l.checked} checked, ${l.refused} refused; owner elsewhere ${l.owner.status}`,
  );
}

const sections: Section[] = [];
if (only.has('joinstorm')) {
  const phones = num(values['joinstorm-phones'], 1_000, 50);
  const windowMs = num(values['joinstorm-ms'], 10_000, 2_000);
  const j = await phase(`join storm: ${phones} phones within ${windowMs / 1000} s`, () =>
    joinStormFigure(
      { phones, windowMs, verbose, ...(values.profile ? { profileDir: resolve(values.profile) } : {}) },
      track,
    ).catch((err: unknown) => ({
      error: errorText(err),
    })),
  );
  console.log(
    'error' in j
      ? `  failed: ${j.error}`
      : `  ${j.joined} of ${j.phones} acked: join p50 ${j.joinMs.p50.toFixed(0)} / p99 ${j.joinMs.p99.toFixed(0)} ms; synced p99 ${j.syncedMs.p99.toFixed(0)} ms; failures ${JSON.stringify(j.failed)}`,
  );
  sections.push(joinStormSection(j, results.startedAt, results.command));
}

if (only.has('history')) {
  const h = await phase('randomized faults and the history checker', () =>
    historyFigure({
      runs: num(values['history-runs'], 20, 2),
      firstSeed: num(values['history-seed'], 1, 1),
      ...(values['history-dir'] ? { dir: values['history-dir'] } : {}),
      nodes: 3,
      phonesPerNode: quick ? 2 : 3,
      loadMs: quick ? 20_000 : 45_000,
      faults: quick ? 3 : 5,
      verbose,
    }).catch((err: unknown) => ({ error: errorText(err) })),
  );
  sections.push(historySection(h, results.startedAt, results.command));
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
const SECTION_ONLY = new Set(['flood', 'joinstorm', 'history']);
const previous = existsSync(out) ? readFileSync(out, 'utf8') : null;
let doc: string;
if (previous !== null && [...only].every((x) => SECTION_ONLY.has(x))) {
  // A partial run: only its sections (and their summary rows) change.
  doc = only.has('flood') ? withFlood(previous, results) : previous;
} else {
  doc = markdown(results);
  // Sections this run did not measure (e.g. the long history run) are kept from the previous document.
  for (const name of ['joinstorm', 'history'])
    if (!sections.some((x) => x.name === name) && previous !== null) doc = keepSection(previous, doc, name);
}
for (const section of sections) doc = withSection(doc, section, summaryRow);
// Laid out as `npm run lint` wants it (prettier --check covers docs/).
writeFileSync(out, await format(doc, { ...(await resolveConfig(out)), filepath: out }));
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
    const api = apiClient(url);
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
      date: wardDay(),
      venue: 'Hội trường',
    });
    return await minutesFigure(edits, 20, { url, sessionId: session.id, tokens }, track, verbose);
  } finally {
    await w.stop();
    track(w, true);
  }
}

/**
 * An earlier full run's document with only the flood figures replaced: its section (between the markers, or before
 * "## Machine load" the first time) and its rows of the summary table (after the table's last row).
 */
function withFlood(doc: string, r: Results): string {
  const section = floodMarkdown(r).join('\n');
  const begin = doc.indexOf(FLOOD_BEGIN);
  const end = doc.indexOf(FLOOD_END);
  let text =
    begin >= 0 && end > begin
      ? doc.slice(0, begin) + section.trimEnd() + doc.slice(end + FLOOD_END.length)
      : doc.replace('## Machine load', `${section}\n## Machine load`);
  const lines = text.split('\n').filter((l) => !l.startsWith('| sync flood'));
  let row = lines.indexOf('## Summary');
  while (row + 1 < lines.length && !lines[row + 1]?.startsWith('|')) row++;
  while (row + 1 < lines.length && lines[row + 1]?.startsWith('|')) row++;
  lines.splice(row + 1, 0, ...floodRows(r.flood).map(summaryRow));
  text = lines.join('\n');
  return text;
}

/** `doc` with the section `name` (its marked text and its summary rows) of `previous`, when `previous` has one. */
function keepSection(previous: string, doc: string, name: string): string {
  const begin = `<!-- bench: ${name} -->`;
  const end = `<!-- /bench: ${name} -->`;
  const b = previous.indexOf(begin);
  const e = previous.indexOf(end);
  if (b < 0 || e < b) return doc;
  const lines = previous
    .slice(b + begin.length, e)
    .trim()
    .split('\n');
  const prefix = name === 'history' ? '| randomized faults' : '| join storm';
  const rows = previous.split('\n').filter((l) => l.startsWith(prefix));
  const kept: Section = { name, lines, rows: [], rowPrefix: prefix };
  const text = withSection(doc, kept, summaryRow);
  // The old rows as they were (their pass marks included).
  const out = text.split('\n');
  let row = out.indexOf('## Summary');
  while (row + 1 < out.length && !out[row + 1]?.startsWith('|')) row++;
  while (row + 1 < out.length && out[row + 1]?.startsWith('|')) row++;
  out.splice(row + 1, 0, ...rows);
  return out.join('\n');
}
