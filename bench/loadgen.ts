/**
 * A load generator: a few thousand simulated phones in one process. The orchestrator runs several of these (one
 * Node process decoding 10,000 sockets' messages would itself be the bottleneck) and drives them over IPC.
 *
 * A phone joins through the REST API like the attendee page (`POST /api/join`), opens a socket.io connection with
 * its token (websocket transport, as the client does), sends `sync` and then listens to `events`. The same phone may
 * also hold a socket to the bare baseline server, so the two servers are measured with the same clients, in the same
 * processes, trial for trial.
 *
 * Fan-out: after `arm(marker)`, every socket of the armed target records the wall-clock time at which it first sees
 * a `question.submitted` event whose question id is the marker; `collect(sentAt)` turns those into latencies
 * against the send time taken by the trigger process. The handler is the same for both servers, and so is the way a
 * phone reads: an `events` message stays text until the phone needs what is in it (bench/lib/lazyParser.ts).
 */
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type { Ack, SyncReply } from '../shared/protocol.ts';
import { lazyParser, type Unread } from './lib/lazyParser.ts';
import { now, serve, sleep } from './lib/rpc.ts';

type Target = 'real' | 'baseline';

interface Phone {
  token: string;
  participantId: string;
  real?: Socket;
  baseline?: Socket;
  /** Open hand (id) of this phone, for the raise/lower toggle. */
  hand?: string;
  /** Questions this phone has voted for, for the vote toggle. */
  votes: Set<string>;
}

interface EventsMessage {
  events?: Array<{ type?: string; question?: { id?: string }; questionId?: string; votes?: number }>;
}

interface Armed {
  target: Target;
  marker: string;
  expected: number;
  received: number;
  done: () => void;
  finished: Promise<void>;
}

const phones: Phone[] = [];
let recvAt = new Float64Array(0);
let counts = new Uint32Array(0);
let stormVoters = new Set<number>();
/** The storm's question, and the last public count each phone has seen for it. */
let watchedQuestion: string | null = null;
let lastVotes = new Int32Array(0);
/**
 * Lag sampler: every LAG_EVERY-th phone of this process (phone 0 first), spread over the join order and so over the
 * order in which a broadcast reaches the sockets; for each question, when each sample phone first saw it, per target.
 */
const LAG_EVERY = 50;
let lagSeen: Record<Target, Map<string, Map<number, number>>> | null = null;
/** While on (one process is asked to): every `events` message phone 0 got from the real server, with its time. */
let recording: Array<{ at: number; message: unknown }> | null = null;
let armed: Armed | null = null;
let sample: unknown = null;
const disconnects: Record<Target, number> = { real: 0, baseline: 0 };
const disconnectReasons: Record<string, number> = {};

const QUESTION_TEXT =
  'Thủ tục cấp giấy chứng nhận quyền sử dụng đất ở phường mất bao lâu, và hồ sơ nộp trực tuyến có được không?';

function grow(n: number): void {
  const r = new Float64Array(n).fill(Number.NaN);
  r.set(recvAt.subarray(0, Math.min(recvAt.length, n)));
  recvAt = r;
  const c = new Uint32Array(n);
  c.set(counts.subarray(0, Math.min(counts.length, n)));
  counts = c;
  lastVotes = new Int32Array(n).fill(-1);
}

function onEvents(i: number, target: Target) {
  return (raw: Unread<EventsMessage>) => {
    const t = now();
    if (target === 'real') {
      counts[i] = (counts[i] ?? 0) + 1;
      if (watchedQuestion !== null && raw.includes(watchedQuestion))
        for (const e of raw.value.events ?? [])
          if (e.type === 'question.voted' && e.questionId === watchedQuestion) lastVotes[i] = e.votes ?? -1;
      if (recording !== null && i === 0) recording.push({ at: t, message: raw.value });
    }
    const seen = lagSeen?.[target];
    if (seen && i % LAG_EVERY === 0)
      for (const e of raw.value.events ?? [])
        if (e.type === 'question.submitted' && e.question?.id) {
          // Each sample phone's first sight only (a resync may bring the question again).
          const phonesSeen = seen.get(e.question.id) ?? new Map<number, number>();
          if (!phonesSeen.has(i)) seen.set(e.question.id, phonesSeen.set(i, t));
        }
    const a = armed;
    if (a === null || a.target !== target || !Number.isNaN(recvAt[i]) || !raw.includes(a.marker)) return;
    for (const e of raw.value.events ?? []) {
      if (e.type === 'question.submitted' && e.question?.id === a.marker) {
        recvAt[i] = t;
        sample ??= raw.value;
        if (++a.received === a.expected) a.done();
        return;
      }
    }
  };
}

/** How many phones of this process sample the lag. */
function lagSamples(): number {
  return Math.ceil(phones.length / LAG_EVERY);
}

/** Runs `fn(i)` for i in [from, to) with at most `concurrency` in flight. */
async function pool(
  from: number,
  to: number,
  concurrency: number,
  fn: (i: number) => Promise<void>,
): Promise<void> {
  let next = from;
  const worker = async () => {
    while (next < to) await fn(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, to - from) }, worker));
}

function openSocket(url: string, i: number, target: Target, token?: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(url, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      timeout: 30_000,
      parser: lazyParser,
      ...(token ? { auth: { token } } : {}),
    });
    socket.on('events', onEvents(i, target));
    socket.once('connect', () => {
      socket.on('disconnect', (reason) => {
        disconnects[target] += 1;
        disconnectReasons[reason] = (disconnectReasons[reason] ?? 0) + 1;
      });
      resolve(socket);
    });
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

async function join(url: string, joinCode: string, i: number): Promise<Phone> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const res = await fetch(`${url}/api/join`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ joinCode, name: `Người dự ${i}`, group: (i % 22) + 1 }),
        signal: AbortSignal.timeout(30_000),
      });
      if (res.status !== 201) throw new Error(`join: HTTP ${res.status} ${await res.text()}`);
      const body = (await res.json()) as { token: string; participantId: string };
      return { token: body.token, participantId: body.participantId, votes: new Set() };
    } catch (err) {
      lastError = err;
      await sleep(200);
    }
  }
  throw lastError;
}

const socketOf = (p: Phone, target: Target) => (target === 'real' ? p.real : p.baseline);
const connectedCount = (target: Target) => phones.filter((p) => socketOf(p, target)?.connected).length;

interface CommandStats {
  /** Send time of each question.submit, by question id (for the fan-out lag). */
  questions: Record<string, number>;
  sent: number;
  latencies: number[];
  byType: Record<string, number[]>;
  failures: Record<string, number>;
  timeouts: number;
}

/** Emits a command with an ack timeout and records its round trip. */
function send(
  phone: Phone,
  command: Record<string, unknown>,
  stats: CommandStats,
  timeoutMs: number,
): Promise<void> {
  const socket = phone.real;
  if (!socket?.connected) {
    stats.failures.disconnected = (stats.failures.disconnected ?? 0) + 1;
    return Promise.resolve();
  }
  stats.sent += 1;
  const type = String(command.type);
  const t0 = now();
  if (type === 'question.submit') stats.questions[String(command.questionId)] = t0;
  return new Promise((resolve) => {
    socket.timeout(timeoutMs).emit('command', command, (err: Error | null, ack: Ack) => {
      const ms = now() - t0;
      if (err) stats.timeouts += 1;
      else if (!ack.ok) stats.failures[ack.code] = (stats.failures[ack.code] ?? 0) + 1;
      else {
        stats.latencies.push(Math.round(ms * 100) / 100);
        (stats.byType[type] ??= []).push(Math.round(ms * 100) / 100);
      }
      resolve();
    });
  });
}

const newStats = (): CommandStats => ({
  questions: {},
  sent: 0,
  latencies: [],
  byType: {},
  failures: {},
  timeouts: 0,
});

/**
 * Sends `total` commands at `rate` per second, spread evenly in time (a due-count schedule, so a late timer catches
 * up instead of drifting), each from `pick(k)`; waits for the acks, at most `drainMs` after the last send.
 */
async function paced(
  total: number,
  rate: number,
  startAt: number,
  make: (k: number) => [Phone, Record<string, unknown>] | null,
  ackTimeoutMs: number,
): Promise<CommandStats> {
  const stats = newStats();
  const inflight: Promise<void>[] = [];
  let k = 0;
  const deadline = startAt + (total / rate) * 1000 + 5_000;
  while (now() < startAt) await sleep(Math.min(5, Math.max(0, startAt - now())));
  while (k < total && now() < deadline) {
    const due = Math.min(total, Math.floor(((now() - startAt) * rate) / 1000) + 1);
    while (k < due) {
      const next = make(k++);
      if (next) inflight.push(send(next[0], next[1], stats, ackTimeoutMs));
    }
    await sleep(2);
  }
  await Promise.all(inflight);
  return stats;
}

await serve(async () => ({
  info: { pid: process.pid },
  handlers: {
    async join(args: { url: string; joinCode: string; count: number; concurrency: number; label: number }) {
      const t0 = now();
      const base = phones.length;
      const joined: Phone[] = new Array(args.count);
      await pool(0, args.count, args.concurrency, async (k) => {
        joined[k] = await join(args.url, args.joinCode, args.label + base + k);
      });
      phones.push(...joined);
      grow(phones.length);
      return { phones: phones.length, ms: now() - t0 };
    },

    async connect(args: { target: Target; url: string; sessionId?: string; concurrency: number }) {
      const t0 = now();
      let failed = 0;
      const errors: Record<string, number> = {};
      const syncMs: number[] = [];
      await pool(0, phones.length, args.concurrency, async (i) => {
        const phone = phones[i]!;
        if (socketOf(phone, args.target)) return;
        try {
          const socket = await openSocket(
            args.url,
            i,
            args.target,
            args.target === 'real' ? phone.token : undefined,
          );
          if (args.target === 'real') {
            phone.real = socket;
            const s0 = now();
            const reply = (await socket
              .timeout(30_000)
              .emitWithAck('sync', { sessionId: args.sessionId, since: 0 })) as SyncReply;
            if (!reply.ok) throw new Error(`sync: ${reply.code}`);
            syncMs.push(now() - s0);
          } else phone.baseline = socket;
        } catch (err) {
          failed += 1;
          const key = err instanceof Error ? err.message.slice(0, 60) : String(err);
          errors[key] = (errors[key] ?? 0) + 1;
        }
      });
      return { connected: connectedCount(args.target), failed, errors, ms: now() - t0, syncMs };
    },

    arm(args: { target: Target; marker: string }) {
      recvAt.fill(Number.NaN);
      sample = null;
      let done = () => {};
      const finished = new Promise<void>((r) => (done = r));
      armed = {
        target: args.target,
        marker: args.marker,
        expected: connectedCount(args.target),
        received: 0,
        done,
        finished,
      };
      if (armed.expected === 0) done();
      return { expected: armed.expected };
    },

    async collect(args: { sentAt: number; timeoutMs: number; wantSample?: boolean }) {
      const a = armed;
      if (!a) throw new Error('not armed');
      await Promise.race([a.finished, sleep(args.timeoutMs)]);
      armed = null;
      const latencies: number[] = [];
      for (let i = 0; i < phones.length; i++) {
        const t = recvAt[i]!;
        if (!Number.isNaN(t)) latencies.push(Math.round((t - args.sentAt) * 100) / 100);
      }
      return { latencies, missing: a.expected - a.received, sample: args.wantSample ? sample : undefined };
    },

    /** A realistic mix of commands from many phones at `rate`/s: questions, vote toggles, hand raise/lower. */
    async act(args: {
      sessionId: string;
      rate: number;
      durationMs: number;
      startAt: number;
      questionIds: string[];
      mix: { question: number; vote: number; hand: number };
      seed: number;
    }) {
      const withSocket = phones.filter((p) => p.real?.connected);
      if (withSocket.length === 0 || args.rate <= 0) return newStats();
      const total = Math.round((args.rate * args.durationMs) / 1000);
      const sum = args.mix.question + args.mix.vote + args.mix.hand;
      let x = args.seed || 1;
      const random = () => (x = (x * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
      return paced(
        total,
        args.rate,
        args.startAt,
        (k) => {
          // A large stride walks through all phones, so no phone gets near the per-participant rate limit.
          const phone = withSocket[(k * 7919 + args.seed) % withSocket.length]!;
          const base = { id: randomUUID(), sessionId: args.sessionId };
          const r = random() * sum;
          if (r < args.mix.question || args.questionIds.length === 0)
            return [
              phone,
              {
                ...base,
                type: 'question.submit',
                questionId: randomUUID(),
                text: QUESTION_TEXT,
                anonymous: false,
              },
            ];
          if (r < args.mix.question + args.mix.vote) {
            const questionId = args.questionIds[Math.floor(random() * args.questionIds.length)]!;
            const value = !phone.votes.has(questionId);
            if (value) phone.votes.add(questionId);
            else phone.votes.delete(questionId);
            return [phone, { ...base, type: 'question.vote', questionId, value }];
          }
          if (phone.hand) {
            const handId = phone.hand;
            delete phone.hand;
            return [phone, { ...base, type: 'hand.lower', handId }];
          }
          phone.hand = randomUUID();
          return [phone, { ...base, type: 'hand.raise', handId: phone.hand, topic: 'Đất đai' }];
        },
        15_000,
      );
    },

    /** `count` distinct phones of this process vote once each, evenly spread over [startAt, startAt + windowMs). */
    async storm(args: {
      sessionId: string;
      questionId: string;
      count: number;
      startAt: number;
      windowMs: number;
    }) {
      const voters = phones
        .map((p, i) => [p, i] as const)
        .filter(([p]) => p.real?.connected)
        .slice(0, args.count);
      stormVoters = new Set(voters.map(([, i]) => i));
      const rate = (voters.length / args.windowMs) * 1000;
      return paced(
        voters.length,
        rate,
        args.startAt,
        (k) => {
          const [phone] = voters[k]!;
          return [
            phone,
            {
              id: randomUUID(),
              sessionId: args.sessionId,
              type: 'question.vote',
              questionId: args.questionId,
              value: true,
            },
          ];
        },
        15_000,
      );
    },

    /** Starts counting `events` messages per phone, and following the public count of `questionId`. */
    countStart(args: { questionId: string }) {
      counts.fill(0);
      lastVotes.fill(-1);
      watchedQuestion = args.questionId;
      return null;
    },

    /** How many idle phones (connected, not storm voters) have seen `votes` as the count, and how many there are. */
    countSeen(args: { votes: number }) {
      let seen = 0;
      let idle = 0;
      phones.forEach((p, i) => {
        if (!p.real?.connected || stormVoters.has(i)) return;
        idle += 1;
        if (lastVotes[i] === args.votes) seen += 1;
      });
      return { seen, idle };
    },

    /** `events` messages each idle phone (connected, not a storm voter) received since `countStart`. */
    countStop() {
      const idle: number[] = [];
      phones.forEach((p, i) => {
        if (p.real?.connected && !stormVoters.has(i)) idle.push(counts[i] ?? 0);
      });
      watchedQuestion = null;
      return { idle };
    },

    /** The sample phones of this process note when they first see each question: the fan-out lag under load. */
    lagStart(args: { record?: boolean } = {}) {
      lagSeen = { real: new Map(), baseline: new Map() };
      recording = args.record ? [] : null;
      return null;
    },
    /** What the sample phones saw of `target` (question id → times), how many they are, and phone 0's messages. */
    lagStop(args: { target?: Target } = {}) {
      const seen = Object.fromEntries(
        [...(lagSeen?.[args.target ?? 'real'] ?? [])].map(([id, phonesSeen]) => [
          id,
          [...phonesSeen.values()],
        ]),
      );
      const recorded = recording ?? [];
      lagSeen = null;
      recording = null;
      return { seen, samples: lagSamples(), recorded };
    },

    status() {
      return {
        phones: phones.length,
        real: connectedCount('real'),
        baseline: connectedCount('baseline'),
        disconnects,
        disconnectReasons,
        rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
      };
    },

    async stop() {
      for (const p of phones) {
        p.real?.close();
        p.baseline?.close();
      }
    },
  },
}));
