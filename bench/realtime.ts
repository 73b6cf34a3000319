/**
 * The real-time figures of one store mode (embedded SQLite, or Redis): fan-out latency against the bare socket.io
 * baseline at each phone count, server memory per phone, command ack latency under a steady command rate, and the
 * vote storm. Servers and load generators are child processes; this module only orchestrates and triggers.
 *
 * Clock: fan-out latency is (receive time in a load generator) − (send time taken here, just before the trigger
 * socket emits). Both are `performance.timeOrigin + performance.now()`, i.e. the one system clock of this machine.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'socket.io-client';
import type { Ack, SyncReply } from '../shared/protocol.ts';
import { apiClient, connectSocket } from './lib/client.ts';
import { now, sleep, Worker } from './lib/rpc.ts';
import { summarise, type Summary } from './lib/stats.ts';
import { processCpuMs, type CpuMeter, type CpuUse } from './lib/machine.ts';
import { wardDay } from '../tests/helpers/wardDay.ts';

export type Mode = 'embedded' | 'redis';

export interface RealtimeOptions {
  phones: number[];
  trials: number;
  /** Audience load generators; one more "actor" process sends the ack-phase commands. */
  loadgens: number;
  /**
   * Niceness of the audience load generators (0 = the server's priority). The phones of a real hall have CPUs of
   * their own; here they share two cores with the server, and without a lower priority the processes parsing
   * 10,000 phones' messages take the CPU the server needs to read the next command. The actor (the measuring
   * client of the ack phase, 100 phones) and the trigger keep the normal priority.
   */
  loadgenNice: number;
  actorPhones: number;
  ackRate: number;
  ackSeconds: number;
  stormVotes: number;
  stormMs: number;
  /** Settling pause between steps (ms): 1,000 in a real run, shorter in --quick. */
  pauseMs: number;
  redisUrl?: string;
  profileDir?: string;
  verbose: boolean;
}

export interface FanoutTrial {
  /** ackMs: the trigger command's own ack round trip (decide + append + fsync), for reading the fan-out figure. */
  real: { p50: number; p99: number; max: number; missing: number; cpuMs: number; ackMs?: number };
  /** cpuMs: CPU time the server process used from the trigger until every phone had the message. */
  baseline: { p50: number; p99: number; max: number; missing: number; cpuMs: number };
}

export interface SizeResult {
  phones: number;
  joinMs: number;
  joinPerSec: number;
  connectMs: number;
  syncMs: Summary;
  real: Summary;
  baseline: Summary;
  trials: FanoutTrial[];
  missing: { real: number; baseline: number };
  payloadBytes: number;
  memory: {
    rssStartMiB: number;
    rssJoinedMiB: number;
    rssConnectedMiB: number;
    kbPerPhone: number;
    kbPerPhoneSocketsOnly: number;
    baselineKbPerSocket: number;
  };
  cpu: CpuUse;
}

/**
 * The ack phase's mix. Still far above a ward's hall (10 new questions a second, each published at once to every
 * phone, is more than such a meeting gets in an hour), but within what 10,000 phones can read: at 20 % questions
 * the fan-out is ~220 MB/s of JSON, more than the load generators can parse on what the server leaves of two cores —
 * they fell 30 s behind and the server dropped hundreds of them for missed pings (measured 2026-11-28).
 */
export const ACK_MIX = { question: 0.05, vote: 0.85, hand: 0.1 };

export interface AckResult {
  phones: number;
  rate: number;
  /** Shares of questions, vote toggles and hand raise/lower. */
  mix: typeof ACK_MIX;
  seconds: number;
  sent: number;
  achievedRate: number;
  summary: Summary;
  byType: Record<string, Summary>;
  failures: Record<string, number>;
  timeouts: number;
  /** Inside the server: parsed packet → ack, and the event loop's delay, during the phase. */
  server: ServerDiag;
  /** Question sent by the actor → seen by every 50th phone of each audience process (spread over the join order), during the phase. */
  fanoutLag: Summary;
  /**
   * The bare socket.io baseline broadcasting the messages a phone received during the phase, at the times it received
   * them: question broadcast → seen by the same sample phones.
   */
  baselineLag: { messages: number; lag: Summary; undelivered: number };
  /** Sample phones that never saw a question of the phase (before the drain check below ended). */
  undelivered: number;
  /** After the phase: a new question's time until every phone had it (how far behind the fan-out was). */
  drainMs: number;
  /** Phones that did not have that question within the 180 s limit. */
  drainMissing: number;
  /** Server RSS after the drain (socket buffers of phones that fell behind would show here). */
  rssAfterMiB: number;
  /** Server process CPU time per command sent, fan-out included (less sensitive to a shared machine than latency). */
  serverCpuMsPerCommand: number;
  serverCores: number;
  cpu: CpuUse;
}

export interface ServerDiag {
  command: { n: number; p50: number; p99: number; max: number };
  loopDelay: { p50: number; p99: number; max: number } | null;
  fanout: { batches: number; meanMs: number };
}

export interface StormResult {
  phones: number;
  votes: number;
  windowMs: number;
  acked: number;
  failures: Record<string, number>;
  timeouts: number;
  finalVotes: number | null;
  ackSummary: Summary;
  idlePhones: number;
  /** Idle phones whose last public count for the question equals the final count. */
  idleWithFinalCount: number;
  /** From the end of the storm window until every idle phone showed the final count (or the 60 s limit). */
  convergedMs: number;
  /** The storm question's own fan-out, sent right after the ack phase (how far behind the fan-out still was). */
  openingFanoutMs: number;
  openingMissing: number;
  idleMessages: { median: number; max: number; min: number };
  cpu: CpuUse;
}

export interface ModeResult {
  mode: Mode;
  /** Steps that failed (the others' results are kept). */
  errors: string[];
  sizes: SizeResult[];
  ack: AckResult | null;
  storm: StormResult | null;
  disconnects: { real: number; baseline: number; reasons: Record<string, number> };
  loadgenRssMiB: number[];
}

const ADMIN_PASSWORD = 'bench-admin-password';
/**
 * The load generators stand in for up to 10,000 phones on many networks, but all come from loopback: the join
 * budgets per source address (sized for one hall) are lifted so the benchmark measures joining, not the budget.
 */
export const BENCH_JOIN_BUDGETS = {
  JOIN_NEW_BUDGET: '1000000/600',
  JOIN_NEW_DAILY_BUDGET: '1000000/86400',
  JOIN_CODE_BUDGET: '1000000/600',
} as const;
const STAFF_PASSWORD = 'bench-staff-password';
const QUESTION_TEXT =
  'Thủ tục cấp giấy chứng nhận quyền sử dụng đất ở phường mất bao lâu, và hồ sơ nộp trực tuyến có được không?';

interface ServerInfo {
  port: number;
  pid: number;
}
interface StatusReply {
  phones: number;
  real: number;
  baseline: number;
  disconnects: { real: number; baseline: number };
  disconnectReasons: Record<string, number>;
  rssMiB: number;
}
interface CollectReply {
  latencies: number[];
  missing: number;
  sample?: unknown;
}
interface CommandStats {
  questions: Record<string, number>;
  sent: number;
  latencies: number[];
  byType: Record<string, number[]>;
  failures: Record<string, number>;
  timeouts: number;
}

/** VmRSS of a process in MiB, read from /proc like `ps` does. */
export function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.match(/(\d+)/)?.[1] ?? Number.NaN) / 1024;
}

/** Splits `total` as evenly as possible over `parts`. */
const split = (total: number, parts: number) =>
  Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));

const log = (msg: string) => process.stdout.write(`  ${msg}\n`);

export async function runRealtime(
  mode: Mode,
  options: RealtimeOptions,
  cpu: CpuMeter,
  track: (w: { pid: number } | null, remove?: boolean) => void,
): Promise<ModeResult> {
  const dataDir = mkdtempSync(join(tmpdir(), `bench-${mode}-`));
  const workers: Worker[] = [];
  const sockets: Socket[] = [];
  const start = async <I>(name: string, file: string, opts: Parameters<typeof Worker.start>[2] = {}) => {
    const w = await Worker.start<I>(name, new URL(file, import.meta.url).href, {
      verbose: options.verbose,
      ...opts,
    });
    workers.push(w);
    track(w);
    return w;
  };
  try {
    const [realServer, baseline] = await Promise.all([
      start<ServerInfo>('server', './target.ts', {
        execArgv: ['--expose-gc'],
        env: {
          DATA_DIR: dataDir,
          ADMIN_PASSWORD,
          REDIS_URL: options.redisUrl,
          LOG_LEVEL: 'warn',
          ...BENCH_JOIN_BUDGETS,
        },
      }),
      start<ServerInfo>('baseline', './baseline.ts', { execArgv: ['--expose-gc'] }),
    ]);
    const url = `http://127.0.0.1:${realServer.info.port}`;
    const baseUrl = `http://127.0.0.1:${baseline.info.port}`;
    const gens = await Promise.all(
      Array.from({ length: options.loadgens + 1 }, (_, i) =>
        start<{ pid: number }>(i === 0 ? 'actor' : `loadgen${i}`, './loadgen.ts'),
      ),
    );
    const [actor, ...audience] = gens as [Worker, ...Worker[]];
    for (const g of audience) setPriority(g.pid, options.loadgenNice);

    // ---- set-up through the public API, as an admin would ----
    const api = apiClient(url);
    const login = async (username: string, password: string) =>
      (await api<{ token: string }>('POST', '/api/login', undefined, { username, password })).token;
    const admin = await login('admin', ADMIN_PASSWORD);
    await api('POST', '/api/users', admin, {
      username: 'bench-chair',
      password: STAFF_PASSWORD,
      role: 'chair',
      name: 'Chủ tọa',
    });
    const chair = await login('bench-chair', STAFF_PASSWORD);
    const session = await api<{ id: string; joinCode: string }>('POST', '/api/sessions', admin, {
      title: 'Hội nghị đối thoại (benchmark)',
      date: wardDay(),
      venue: 'Hội trường UBND phường',
      moderation: 'open',
    });
    const connect = (base: string, auth?: { token: string }) => connectSocket(base, sockets, auth?.token);
    const command = async (socket: Socket, body: Record<string, unknown>) => {
      const ack = (await socket
        .timeout(30_000)
        .emitWithAck('command', { id: randomUUID(), sessionId: session.id, ...body })) as Ack;
      if (!ack.ok) throw new Error(`${String(body.type)}: ${ack.code} ${ack.message}`);
      return ack;
    };
    const staff = await connect(url, { token: chair });
    await command(await connect(url, { token: admin }), { type: 'session.set_status', status: 'live' });
    // The trigger: one phone that asks the questions (open moderation: published at once), and a bare client.
    const asker = await api<{ token: string }>('POST', '/api/join', undefined, {
      joinCode: session.joinCode,
      name: 'Người hỏi',
    });
    const trigger = await connect(url, { token: asker.token });
    await trigger.timeout(30_000).emitWithAck('sync', { sessionId: session.id, since: 0 });
    const bareTrigger = await connect(baseUrl);

    const memory = async () => {
      await Promise.all([realServer.call('gc'), baseline.call('gc')]);
      return { server: rssMiB(realServer.pid), baseline: rssMiB(baseline.pid) };
    };
    const m0 = await memory();
    log(
      `${mode}: server ${url} (pid ${realServer.pid}), baseline ${baseUrl}; RSS at start ${m0.server.toFixed(1)} MiB`,
    );

    const sizes: SizeResult[] = [];
    const markers: string[] = [];
    let sample: unknown = null;
    let current = 0;
    let label = 0;
    const actorTarget = Math.min(options.actorPhones, Math.floor((options.phones[0] ?? 0) / 2));

    const fanoutTrial = async (target: 'real' | 'baseline', wantSample = false, timeoutMs = 20_000) => {
      const marker = randomUUID();
      await Promise.all(gens.map((g) => g.call('arm', { target, marker })));
      const serverPid = target === 'real' ? realServer.pid : baseline.pid;
      const cpu0 = processCpuMs(serverPid);
      const sentAt = now();
      let ackMs = Number.NaN;
      if (target === 'real') {
        trigger.emit(
          'command',
          {
            id: randomUUID(),
            sessionId: session.id,
            type: 'question.submit',
            questionId: marker,
            text: QUESTION_TEXT,
            anonymous: false,
          },
          () => {
            ackMs = now() - sentAt;
          },
        );
        markers.push(marker);
      } else {
        bareTrigger.emit('broadcast', withMarker(sample, marker));
      }
      const replies = await Promise.all(
        gens.map((g, i) =>
          g.call<CollectReply>(
            'collect',
            { sentAt, timeoutMs, wantSample: wantSample && i === 1 },
            timeoutMs + 10_000,
          ),
        ),
      );
      if (wantSample) sample = replies[1]?.sample ?? replies[0]?.sample ?? null;
      const cpuMs = processCpuMs(serverPid) - cpu0;
      const latencies = replies.flatMap((r) => r.latencies);
      return { latencies, missing: replies.reduce((n, r) => n + r.missing, 0), ackMs, cpuMs };
    };

    /** Broadcasts `recorded` through the bare baseline at its original pace; the lag of each question in it. */
    const replayOnBaseline = async (recorded: LagReply['recorded']): Promise<AckResult['baselineLag']> => {
      await Promise.all(audience.map((g) => g.call('lagStart')));
      const first = recorded[0]?.at ?? 0;
      const start = now() + 200;
      const sent = new Map<string, number>();
      for (const { at, message } of recorded) {
        const wait = start + (at - first) - now();
        if (wait > 0) await sleep(wait);
        const t = now();
        for (const id of questionsIn(message)) if (!sent.has(id)) sent.set(id, t);
        bareTrigger.emit('broadcast', message);
      }
      await sleep(5_000);
      const stopped = await Promise.all(
        audience.map((g) => g.call<LagReply>('lagStop', { target: 'baseline' })),
      );
      const lags: number[] = [];
      let undelivered = 0;
      for (const [id, t] of sent) undelivered += lagsOf(stopped, id, t, lags);
      return { messages: recorded.length, lag: summarise(lags), undelivered };
    };

    const errors: string[] = [];
    /** With --profile: a CPU profile of the real server for the duration of `fn`, one file per phase. */
    const profiled = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
      if (!options.profileDir) return fn();
      mkdirSync(options.profileDir, { recursive: true });
      await realServer.call('profileStart');
      try {
        return await fn();
      } finally {
        const file = join(options.profileDir, `${mode}-${name}.cpuprofile`);
        await realServer.call('profileStop', { file }, 120_000);
        log(`  profile: ${file}`);
      }
    };
    const step = async (what: string, fn: () => Promise<void>) => {
      try {
        await fn();
        return true;
      } catch (err) {
        const text = err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err);
        errors.push(`${what}: ${text}`);
        log(`${mode} ${what} failed: ${text}`);
        return false;
      }
    };
    /**
     * Waits until the session's command queue is idle again (a no-op command answers within 200 ms), at most 120 s:
     * a phase that overloads the server must not spill into the next one's numbers.
     */
    const quiesce = async () => {
      const probe = markers[0];
      if (!probe) return;
      const deadline = now() + 120_000;
      while (now() < deadline) {
        const t0 = now();
        const ack = (await trigger.timeout(120_000).emitWithAck('command', {
          id: randomUUID(),
          sessionId: session.id,
          type: 'question.vote',
          questionId: probe,
          value: false,
        })) as Ack;
        // Only a decided no-op counts (a rate-limited probe is answered before the queue).
        if (ack.ok && now() - t0 < 200) return;
        await sleep(ack.ok ? 500 : 2_000);
      }
    };

    for (const n of options.phones) {
      const ok = await step(`${n} phones`, async () => {
        const mark = cpu.mark();
        // New phones: the actor process is filled first (up to its share), the rest go to the audience processes.
        const toActor = Math.max(0, Math.min(actorTarget - current, n - current));
        const perAudience = split(n - current - toActor, audience.length);
        const t0 = now();
        await profiled(`join-${n}`, () =>
          Promise.all([
            toActor > 0
              ? actor.call(
                  'join',
                  { url, joinCode: session.joinCode, count: toActor, concurrency: 8, label },
                  900_000,
                )
              : null,
            ...audience.map((g, i) =>
              (perAudience[i] ?? 0) > 0
                ? g.call(
                    'join',
                    {
                      url,
                      joinCode: session.joinCode,
                      count: perAudience[i],
                      concurrency: 8,
                      label: label + 1_000_000 * (i + 1),
                    },
                    900_000,
                  )
                : null,
            ),
          ]),
        );
        label += n;
        const joinMs = now() - t0;
        const mJoined = await memory();
        const t1 = now();
        const realConnect = await Promise.all(
          gens.map((g) =>
            g.call<{ connected: number; failed: number; errors: Record<string, number>; syncMs: number[] }>(
              'connect',
              { target: 'real', url, sessionId: session.id, concurrency: 32 },
              900_000,
            ),
          ),
        );
        const connectMs = now() - t1;
        const baseConnect = await Promise.all(
          gens.map((g) =>
            g.call<{ connected: number; failed: number }>(
              'connect',
              { target: 'baseline', url: baseUrl, concurrency: 32 },
              900_000,
            ),
          ),
        );
        const realConnected = realConnect.reduce((a, r) => a + r.connected, 0);
        const baseConnected = baseConnect.reduce((a, r) => a + r.connected, 0);
        const failed =
          realConnect.reduce((a, r) => a + r.failed, 0) + baseConnect.reduce((a, r) => a + r.failed, 0);
        if (failed > 0)
          log(`  ${failed} connections failed: ${JSON.stringify(realConnect.map((r) => r.errors))}`);
        const mConnected = await memory();
        current = n;
        log(
          `${mode} ${n} phones: joined in ${(joinMs / 1000).toFixed(1)} s, connected+synced ${realConnected} in ${(connectMs / 1000).toFixed(1)} s ` +
            `(baseline ${baseConnected}); server RSS ${mConnected.server.toFixed(0)} MiB`,
        );

        // Warm-up on the real server (also gives the exact message the phones receive, replayed by the baseline).
        await fanoutTrial('real', true);
        const payloadBytes = Buffer.byteLength(JSON.stringify(sample));
        const trials: FanoutTrial[] = [];
        const pooled = { real: [] as number[], baseline: [] as number[] };
        const missing = { real: 0, baseline: 0 };
        await profiled(`fanout-${n}`, async () => {
          for (let t = 0; t < options.trials; t++) {
            const order: Array<'real' | 'baseline'> =
              t % 2 === 0 ? ['baseline', 'real'] : ['real', 'baseline'];
            const trial: Partial<FanoutTrial> = {};
            for (const which of order) {
              await sleep(options.pauseMs * 0.3);
              const r = await fanoutTrial(which);
              const s = summarise(r.latencies);
              trial[which] = {
                p50: s.p50,
                p99: s.p99,
                max: s.max,
                missing: r.missing,
                cpuMs: r.cpuMs,
                ...(which === 'real' ? { ackMs: r.ackMs } : {}),
              };
              pooled[which].push(...r.latencies);
              missing[which] += r.missing;
            }
            trials.push(trial as FanoutTrial);
            log(
              `  trial ${t + 1}: baseline p99 ${trial.baseline?.p99.toFixed(1)} ms (server CPU ${trial.baseline?.cpuMs.toFixed(0)} ms), ` +
                `real p99 ${trial.real?.p99.toFixed(1)} ms (server CPU ${trial.real?.cpuMs.toFixed(0)} ms, trigger ack ${trial.real?.ackMs?.toFixed(1)} ms)`,
            );
          }
        });
        sizes.push({
          phones: n,
          joinMs,
          joinPerSec: ((n - (sizes.at(-1)?.phones ?? 0)) / joinMs) * 1000,
          connectMs,
          syncMs: summarise(realConnect.flatMap((r) => r.syncMs)),
          real: summarise(pooled.real),
          baseline: summarise(pooled.baseline),
          trials,
          missing,
          payloadBytes,
          memory: {
            rssStartMiB: m0.server,
            rssJoinedMiB: mJoined.server,
            rssConnectedMiB: mConnected.server,
            kbPerPhone: ((mConnected.server - m0.server) * 1024) / n,
            kbPerPhoneSocketsOnly: ((mConnected.server - mJoined.server) * 1024) / n,
            baselineKbPerSocket: ((mConnected.baseline - m0.baseline) * 1024) / n,
          },
          cpu: cpu.since(mark),
        });
      });
      if (!ok) break;
    }

    // ---- command acks at a steady rate, all phones connected ----
    let ack: AckResult | null = null;
    if (options.ackRate > 0 && options.ackSeconds > 0 && sizes.length > 0)
      await step('acks', async () => {
        await quiesce();
        await sleep(options.pauseMs);
        const mark = cpu.mark();
        const cpu0 = processCpuMs(realServer.pid);
        await realServer.call('diagStart');
        await Promise.all(audience.map((g, i) => g.call('lagStart', { record: i === 0 })));
        const startAt = now() + 500;
        const stats = await profiled('acks', () =>
          actor.call<CommandStats>(
            'act',
            {
              sessionId: session.id,
              rate: options.ackRate,
              durationMs: options.ackSeconds * 1000,
              startAt,
              questionIds: markers,
              mix: ACK_MIX,
              seed: 7,
            },
            options.ackSeconds * 1000 + 60_000,
          ),
        );
        const elapsed = (now() - startAt) / 1000;
        const serverCpuMs = processCpuMs(realServer.pid) - cpu0;
        const diag = await realServer.call<ServerDiag>('diagStop');
        // The fan-out may still be behind when the last ack is in: how long until a new question reaches everyone.
        await quiesce();
        const drain = await fanoutTrial('real', false, 180_000);
        const stopped = await Promise.all(audience.map((g) => g.call<LagReply>('lagStop')));
        const lags: number[] = [];
        let undelivered = 0;
        for (const [questionId, sentAt] of Object.entries(stats.questions))
          undelivered += lagsOf(stopped, questionId, sentAt, lags);
        // The bare baseline under the same load: the messages a phone got from the real server during the phase,
        // broadcast by the bare server at the times they arrived (the same messages at the same rate).
        await sleep(options.pauseMs);
        const baselineLag = await replayOnBaseline(stopped[0]?.recorded ?? []);
        const byType: Record<string, Summary> = {};
        for (const [type, list] of Object.entries(stats.byType)) byType[type] = summarise(list);
        ack = {
          phones: current,
          rate: options.ackRate,
          mix: ACK_MIX,
          seconds: options.ackSeconds,
          sent: stats.sent,
          achievedRate: stats.latencies.length / elapsed,
          summary: summarise(stats.latencies),
          byType,
          failures: stats.failures,
          timeouts: stats.timeouts,
          serverCpuMsPerCommand: serverCpuMs / Math.max(1, stats.sent),
          server: diag,
          fanoutLag: summarise(lags),
          baselineLag,
          undelivered,
          drainMs: drain.latencies.length ? Math.max(...drain.latencies) : Number.NaN,
          drainMissing: drain.missing,
          rssAfterMiB: rssMiB(realServer.pid),
          serverCores: serverCpuMs / 1000 / elapsed,
          cpu: cpu.since(mark),
        };
        log(
          `${mode} acks at ${options.ackRate}/s, ${current} phones: p50 ${ack.summary.p50} ms, p99 ${ack.summary.p99} ms, failures ${JSON.stringify(stats.failures)}, ` +
            `timeouts ${stats.timeouts}; server CPU ${ack.serverCpuMsPerCommand.toFixed(1)} ms per command (${ack.serverCores.toFixed(2)} cores); ` +
            `inside the server p50 ${diag.command.p50.toFixed(1)} / p99 ${diag.command.p99.toFixed(1)} ms; event-loop delay p99 ${diag.loopDelay?.p99.toFixed(1)} ms, max ${diag.loopDelay?.max.toFixed(0)} ms; ` +
            `fan-out ${diag.fanout.batches} batches, each on every socket after ${diag.fanout.meanMs.toFixed(0)} ms on average; ` +
            `questions reached phones after p50 ${ack.fanoutLag.p50.toFixed(0)} / p99 ${ack.fanoutLag.p99.toFixed(0)} ms ` +
            `(bare baseline, same messages at the same rate: p50 ${ack.baselineLag.lag.p50.toFixed(0)} / p99 ${ack.baselineLag.lag.p99.toFixed(0)} ms); a question right after the phase reached all in ${ack.drainMs.toFixed(0)} ms`,
        );
      });

    // ---- vote storm: distinct phones vote once each on one fresh question ----
    let storm: StormResult | null = null;
    const votes = Math.min(options.stormVotes, current);
    if (votes > 0 && sizes.length > 0)
      await step('vote storm', async () => {
        await quiesce();
        await sleep(options.pauseMs);
        // The storm's question, sent like a fan-out trial: when every phone has it, the fan-out has caught up.
        const opening = await fanoutTrial('real', false, 180_000);
        const questionId = markers.at(-1) ?? '';
        await sleep(options.pauseMs / 2);
        const mark = cpu.mark();
        await Promise.all(gens.map((g) => g.call('countStart', { questionId })));
        const startAt = now() + 500;
        const statuses = await Promise.all(gens.map((g) => g.call<StatusReply>('status')));
        const perGen = splitWeighted(
          votes,
          statuses.map((s) => s.real),
        );
        const results = await profiled('storm', () =>
          Promise.all(
            gens.map((g, i) =>
              g.call<CommandStats>(
                'storm',
                { sessionId: session.id, questionId, count: perGen[i], startAt, windowMs: options.stormMs },
                options.stormMs + 60_000,
              ),
            ),
          ),
        );
        // Every vote decided (acked or not: a client timeout does not cancel a queued command), then the count.
        await quiesce();
        const reply = (await staff
          .timeout(60_000)
          .emitWithAck('sync', { sessionId: session.id, since: 0 })) as SyncReply;
        const finalVotes =
          reply.ok && reply.mode === 'snapshot' ? (reply.state.questions[questionId]?.votes ?? null) : null;
        // Until every idle phone shows the final count (at most 60 s).
        const deadline = now() + 60_000;
        let converged: { seen: number; idle: number } = { seen: 0, idle: 0 };
        while (now() < deadline) {
          const parts = await Promise.all(
            gens.map((g) => g.call<{ seen: number; idle: number }>('countSeen', { votes: finalVotes ?? -1 })),
          );
          converged = parts.reduce((a, p) => ({ seen: a.seen + p.seen, idle: a.idle + p.idle }), {
            seen: 0,
            idle: 0,
          });
          if (converged.seen === converged.idle) break;
          await sleep(100);
        }
        const convergedMs = Math.max(0, now() - (startAt + options.stormMs));
        const counted = await Promise.all(gens.map((g) => g.call<{ idle: number[] }>('countStop')));
        const idle = counted.flatMap((c) => c.idle);
        const idleSummary = summarise(idle);
        const failures: Record<string, number> = {};
        for (const r of results)
          for (const [k, v] of Object.entries(r.failures)) failures[k] = (failures[k] ?? 0) + v;
        storm = {
          phones: current,
          votes,
          windowMs: options.stormMs,
          acked: results.reduce((a, r) => a + r.latencies.length, 0),
          failures,
          timeouts: results.reduce((a, r) => a + r.timeouts, 0),
          finalVotes,
          ackSummary: summarise(results.flatMap((r) => r.latencies)),
          idlePhones: idle.length,
          idleWithFinalCount: converged.seen,
          convergedMs,
          openingFanoutMs: opening.latencies.length ? Math.max(...opening.latencies) : Number.NaN,
          openingMissing: opening.missing,
          idleMessages: {
            median: idleSummary.p50,
            max: idleSummary.max,
            min: idle.length ? Math.min(...idle) : Number.NaN,
          },
          cpu: cpu.since(mark),
        };
        log(
          `${mode} vote storm: ${votes} votes in ${options.stormMs} ms → final count ${finalVotes}; ${converged.seen} of ${idle.length} idle phones show it ` +
            `${(convergedMs / 1000).toFixed(1)} s after the storm's end, having got median ${idleSummary.p50} messages (max ${idleSummary.max})`,
        );
      });

    const statuses = await Promise.all(gens.map((g) => g.call<StatusReply>('status')));
    const reasons: Record<string, number> = {};
    for (const s of statuses)
      for (const [k, v] of Object.entries(s.disconnectReasons)) reasons[k] = (reasons[k] ?? 0) + v;
    return {
      mode,
      errors,
      sizes,
      ack,
      storm,
      disconnects: {
        real: statuses.reduce((a, s) => a + s.disconnects.real, 0),
        baseline: statuses.reduce((a, s) => a + s.disconnects.baseline, 0),
        reasons,
      },
      loadgenRssMiB: statuses.map((s) => s.rssMiB),
    };
  } finally {
    for (const s of sockets) s.close();
    // Load generators first (their sockets close), then the servers (the real one flushes and closes its store).
    await Promise.all(workers.slice(2).map((w) => w.stop()));
    await Promise.all(workers.slice(0, 2).map((w) => w.stop()));
    for (const w of workers) track(w, true);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

interface LagReply {
  /** Question id → when each sample phone first saw it. */
  seen: Record<string, number[]>;
  samples: number;
  recorded: Array<{ at: number; message: unknown }>;
}

/** Pushes each sample phone's lag for one question onto `lags`; returns how many sample phones never saw it. */
function lagsOf(replies: LagReply[], questionId: string, sentAt: number, lags: number[]): number {
  let missing = 0;
  for (const { seen, samples } of replies) {
    const times = seen[questionId] ?? [];
    for (const at of times) lags.push(at - sentAt);
    missing += samples - times.length;
  }
  return missing;
}

/** The ids of the questions submitted in an `events` message. */
function questionsIn(message: unknown): string[] {
  const events = (message as { events?: Array<{ type?: string; question?: { id?: string } }> } | null)
    ?.events;
  return (events ?? []).flatMap((e) =>
    e.type === 'question.submitted' && e.question?.id ? [e.question.id] : [],
  );
}

/** Splits `total` proportionally to `weights`, never giving a part more than its weight. */
function splitWeighted(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const parts = weights.map((w) => Math.min(w, Math.floor((total * w) / Math.max(1, sum))));
  let rest = total - parts.reduce((a, b) => a + b, 0);
  for (let i = 0; rest > 0 && i < parts.length * 2; i++) {
    const k = i % parts.length;
    if ((parts[k] ?? 0) < (weights[k] ?? 0)) {
      parts[k] = (parts[k] ?? 0) + 1;
      rest -= 1;
    }
  }
  return parts;
}

/** The captured real message with the baseline trial's marker as the question id (same shape and size). */
function withMarker(sample: unknown, marker: string): unknown {
  const copy = structuredClone(sample) as {
    events?: Array<{ type?: string; question?: { id?: string } }>;
  } | null;
  const event = copy?.events?.find((e) => e.type === 'question.submitted');
  if (event?.question) event.question.id = marker;
  else return { events: [{ type: 'question.submitted', question: { id: marker, text: QUESTION_TEXT } }] };
  return copy;
}
