/**
 * One randomized fault run, in the spirit of Jepsen: app nodes as processes on Redis (a primary, two replicas and
 * three sentinels, or one plain redis-server), phones and a chair on every node sending random commands (questions,
 * votes, hands raised and lowered, answers) with their own ids, two minutes writers typing, and a nemesis that
 * follows a schedule drawn from a seed: SIGKILL a node and start it again on its port, SIGSTOP one for longer than
 * any client timeout and SIGCONT it, SIGKILL the Redis primary (Sentinel promotes a replica) and start it again.
 * Every command, ack, sync and pushed event of every client is recorded; at the end everything is healed, the
 * clients drain their outboxes and catch up, and `checkHistory` judges the history against the log in Redis.
 *
 * Used by tests/integration/scale/faultHistory.test.ts (one short schedule) and `npm run bench -- --only history`
 * (bench/history.ts: many schedules, each history and verdict written out). The same seed gives the same schedule
 * and the same commands per client; the interleaving is the machine's.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { minutesDocName } from '../../../server/minutes/MinutesServer.ts';
import type { Store } from '../../../server/store/EventStore.ts';
import { openRedisStore } from '../../../server/store/redis/index.ts';
import { parseNodes, type RedisTarget } from '../../../server/store/redis/redisTarget.ts';
import { appendParagraph, minutesText, openMinutesClient, type MinutesClient } from '../minutesClient.ts';
import {
  readLog as readRedisLog,
  startRedis,
  startRedisHA,
  type RedisHA,
  type RedisServer,
} from '../redisServer.ts';
import type { Ack } from '../../../shared/protocol.ts';
import { readLog, rest, sleep, spawnNode, SyncedClient, type NodeProcess } from '../scaleCluster.ts';
import { checkHistory, type ClientStep, type History, type MinutesOutcome, type Violation } from './check.ts';

export type NemesisOp =
  | { kind: 'kill-node'; node: number; downMs: number }
  | { kind: 'pause-node'; node: number; pauseMs: number }
  | { kind: 'kill-redis-primary'; downMs: number };

export interface ScheduledOp {
  /** Not before this many ms after the load starts (ops run one after the other, each healed before the next). */
  at: number;
  op: NemesisOp;
}

export interface FaultRunOptions {
  seed: number;
  /** App nodes (2 or 3). */
  nodes: number;
  phonesPerNode: number;
  /** How long the clients send commands. */
  loadMs: number;
  /** Nemesis operations in the schedule. */
  faults: number;
  /** Redis with two replicas and Sentinel (the primary may be killed), or one redis-server (it is not). */
  sentinel: boolean;
  /** Two minutes writers (a chair and a secretary) on different nodes. */
  minutes: boolean;
  log?: (line: string) => void;
}

export interface FaultRunResult {
  seed: number;
  schedule: ScheduledOp[];
  /** What the nemesis did, with the times (ms since the load started). */
  done: Array<{ at: number; what: string }>;
  history: History;
  violations: Violation[];
  /** When the checker found violations on Sentinel: each Redis server's and sentinel's log, to see what failed over. */
  redisLogs?: Record<string, string>;
  stats: {
    commands: number;
    acked: number;
    refused: Record<string, number>;
    resent: number;
    logLength: number;
    ms: number;
  };
}

/** A small seeded generator (mulberry32): the same seed, the same schedule and the same commands. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The nemesis' schedule for a seed: `faults` operations spread over the load, each on a random node (or the Redis
 * primary when there is Sentinel). A pause lasts 6–9 s: longer than the clients' 5 s command and sync timeouts, so
 * they give up on the node and move, and the node wakes to a meeting that went on without it.
 */
export function scheduleFor(
  seed: number,
  options: Pick<FaultRunOptions, 'nodes' | 'loadMs' | 'faults' | 'sentinel'>,
): ScheduledOp[] {
  const random = seeded(seed ^ 0x5eed);
  const kinds: Array<NemesisOp['kind']> = ['kill-node', 'pause-node'];
  if (options.sentinel) kinds.push('kill-redis-primary');
  const schedule: ScheduledOp[] = [];
  // Every kind once, in a seeded order, before kinds repeat.
  const firstRound = [...kinds].sort(() => random() - 0.5);
  const spacing = options.loadMs / (options.faults + 1);
  for (let i = 0; i < options.faults; i++) {
    const kind = firstRound[i] ?? kinds[Math.floor(random() * kinds.length)] ?? 'pause-node';
    const node = Math.floor(random() * options.nodes);
    const at = Math.round(spacing * (i + 0.5 + random() * 0.5));
    const op: NemesisOp =
      kind === 'kill-node'
        ? { kind, node, downMs: 500 + Math.round(random() * 2_500) }
        : kind === 'pause-node'
          ? { kind, node, pauseMs: 6_000 + Math.round(random() * 3_000) }
          : { kind, downMs: 1_000 + Math.round(random() * 2_000) };
    schedule.push({ at, op });
  }
  return schedule;
}

const QUESTION_TEXTS = [
  'Đường Nguyễn Trãi bao giờ được sửa?',
  'Phường có kế hoạch lắp thêm đèn chiếu sáng không?',
  'Hồ sơ cấp giấy phép xây dựng nộp trực tuyến được không?',
];

export async function runFaultSchedule(options: FaultRunOptions): Promise<FaultRunResult> {
  const log = options.log ?? (() => {});
  const started = performance.now();
  const schedule = scheduleFor(options.seed, options);
  log(`seed ${options.seed}: ${JSON.stringify(schedule)}`);
  const secret = randomBytes(32).toString('base64url');
  let ha: RedisHA | null = null;
  let redis: RedisServer | null = null;
  let target: string | RedisTarget;
  let redisEnv: string | Record<string, string>;
  if (options.sentinel) {
    ha = await startRedisHA({ replicas: 2 });
    target = { kind: 'sentinel', sentinels: parseNodes(ha.sentinels), masterName: ha.masterName };
    redisEnv = { REDIS_SENTINELS: ha.sentinels, REDIS_MASTER_NAME: ha.masterName, REDIS_WAIT_REPLICAS: '1' };
  } else {
    redis = await startRedis();
    target = redis.url;
    redisEnv = redis.url;
  }
  const nodes: NodeProcess[] = [];
  const clients: SyncedClient[] = [];
  const writers: MinutesClient[] = [];
  const steps: Record<string, ClientStep[]> = {};
  const done: Array<{ at: number; what: string }> = [];
  try {
    // The first creates the admin account the others find; the others start together.
    nodes.push(await supervised(() => spawnNode(redisEnv, secret, {}, undefined, NODE_READY_MS), log));
    nodes.push(
      ...(await Promise.all(
        Array.from({ length: options.nodes - 1 }, () =>
          supervised(() => spawnNode(redisEnv, secret, {}, undefined, NODE_READY_MS), log),
        ),
      )),
    );
    const urls = nodes.map((n) => n.url);
    const first = urls[0] ?? '';
    const admin = await rest.adminToken(first);
    const session = await rest.liveSession(first, admin);
    const staffToken = async (username: string, role: string) => {
      await rest.call(
        first,
        'POST',
        '/api/users',
        { username, password: STAFF_PASSWORD, role, name: username },
        admin,
      );
      return (
        await rest.call<{ token: string }>(first, 'POST', '/api/login', {
          username,
          password: STAFF_PASSWORD,
        })
      ).token;
    };
    const chairToken = await staffToken('fault-chair', 'chair');
    const secretaryToken = await staffToken('fault-secretary', 'secretary');

    /** Node i's address first, then the others: where a client of node i fails over to. */
    const order = (i: number) => urls.map((_, k) => urls[(i + k) % urls.length] ?? '');
    const client = (name: string, i: number, token: string, staff: boolean) => {
      const list: ClientStep[] = [];
      steps[name] = list;
      const c = new SyncedClient({
        urls: order(i),
        token,
        sessionId: session.id,
        staff,
        onStep: (step) => list.push(step),
        creates: (command) =>
          command['type'] === 'question.submit'
            ? String(command['questionId'])
            : command['type'] === 'hand.raise'
              ? String(command['handId'])
              : undefined,
      });
      clients.push(c);
      return c;
    };
    const phones: Array<{ name: string; client: SyncedClient; participantId: string }> = [];
    for (let i = 0; i < options.nodes; i++)
      for (let k = 0; k < options.phonesPerNode; k++) {
        const { token, participantId } = await rest.join(urls[i] ?? '', session.joinCode);
        const name = `phone-${i}-${k}`;
        phones.push({ name, client: client(name, i, token, false), participantId });
      }
    const chairs = urls.map((_, i) => client(`chair-${i}`, i, chairToken, true));
    await Promise.all(clients.map((c) => c.connected()));

    if (options.minutes) {
      const ws = (i: number) => `${(urls[i % urls.length] ?? '').replace('http', 'ws')}/yjs`;
      writers.push(openMinutesClient(ws(0), session.id, chairToken));
      writers.push(openMinutesClient(ws(1), session.id, secretaryToken));
      await Promise.all(writers.map((w) => w.synced(30_000)));
    }

    // ---- load and nemesis ----
    const loadStart = performance.now();
    const elapsed = () => Math.round(performance.now() - loadStart);
    const loadEnd = loadStart + options.loadMs;
    // The load lasts `loadMs`, and longer if the nemesis is not through its schedule (a node is slow to start).
    let nemesisOver = false;
    const loading = () => performance.now() < loadEnd || !nemesisOver;
    const questions: string[] = [];
    const sessionId = session.id;
    const commandsSent = { n: 0 };
    const send = async (c: SyncedClient, body: Record<string, unknown>) => {
      commandsSent.n++;
      // Long enough for a node restart and a Sentinel failover; a command not acknowledged by then is a finding — the
      // checker names it ('unanswered', from the sends without an answer) and the client goes on with the next one.
      return c.send({ id: randomUUID(), sessionId, ...body }, 120_000).catch((): Ack | null => null);
    };
    const phoneLoop = async (p: (typeof phones)[number], index: number) => {
      const random = seeded(options.seed * 1000 + index);
      const hands: string[] = [];
      while (loading()) {
        const r = random();
        if (r < 0.3 || questions.length === 0) {
          const questionId = randomUUID();
          const ack = await send(p.client, {
            type: 'question.submit',
            questionId,
            text: `${QUESTION_TEXTS[Math.floor(random() * QUESTION_TEXTS.length)]} (${p.name})`,
          });
          if (ack?.ok) questions.push(questionId);
        } else if (r < 0.75) {
          const questionId = questions[Math.floor(random() * questions.length)] ?? '';
          await send(p.client, { type: 'question.vote', questionId, value: random() < 0.7 });
        } else if (r < 0.9 || hands.length === 0) {
          const handId = randomUUID();
          const ack = await send(p.client, { type: 'hand.raise', handId });
          if (ack?.ok) hands.push(handId);
        } else {
          await send(p.client, { type: 'hand.lower', handId: hands.pop() ?? '' });
        }
        // About 3 commands a second per phone: under the per-participant budget (40 per 10 s).
        await sleep(150 + random() * 300);
      }
    };
    const chairLoop = async (c: SyncedClient, index: number) => {
      const random = seeded(options.seed * 1000 + 500 + index);
      while (loading()) {
        await sleep(800 + random() * 1_200);
        const questionId = questions[Math.floor(random() * questions.length)];
        if (questionId) await send(c, { type: 'question.answer', questionId, mode: 'live', note: '' });
      }
    };
    const minutesLoop = async () => {
      for (let i = 0; loading(); i++) {
        for (const [w, writer] of writers.entries()) appendParagraph(writer.doc, `Ghi chép ${w}.${i}`);
        await sleep(400);
      }
    };
    const restarts: Array<Promise<void>> = [];
    const paused = new Set<number>();
    /** Nodes killed and not yet started again: a later operation on one of them takes another node instead. */
    const down = new Set<number>();
    const pick = (wanted: number) =>
      [wanted, ...nodes.keys()].find((i) => !down.has(i) && !paused.has(i) && nodes[i] !== undefined);
    const nemesis = async () => {
      for (const { at, op } of schedule) {
        const wait = loadStart + at - performance.now();
        if (wait > 0) await sleep(wait);
        if (op.kind === 'kill-node') {
          const index = pick(op.node);
          const node = index === undefined ? undefined : nodes[index];
          if (index === undefined || !node) continue;
          down.add(index);
          done.push({ at: elapsed(), what: `SIGKILL node ${index}` });
          node.kill('SIGKILL');
          await node.exited;
          await sleep(op.downMs);
          done.push({ at: elapsed(), what: `restart node ${index}` });
          const port = Number(new URL(node.url).port);
          const restart = supervised(() => spawnNode(redisEnv, secret, {}, port, NODE_READY_MS), log).then(
            (fresh) => {
              nodes[index] = fresh;
              down.delete(index);
              done.push({ at: elapsed(), what: `node ${index} ready` });
            },
          );
          // Started in the background (loading the server takes seconds); the run waits for it before the checks.
          restarts.push(restart);
        } else if (op.kind === 'pause-node') {
          const index = pick(op.node);
          const node = index === undefined ? undefined : nodes[index];
          if (index === undefined || !node) continue;
          done.push({ at: elapsed(), what: `SIGSTOP node ${index}` });
          node.kill('SIGSTOP');
          paused.add(index);
          await sleep(op.pauseMs);
          node.kill('SIGCONT');
          paused.delete(index);
          done.push({ at: elapsed(), what: `SIGCONT node ${index}` });
        } else if (ha) {
          const primary = await ha.primary();
          done.push({ at: elapsed(), what: `SIGKILL Redis primary :${primary.port}` });
          primary.kill();
          await sleep(op.downMs);
          const { replicaOf } = await ha.restart(primary);
          const role = replicaOf ? ` as replica of :${replicaOf}` : '';
          done.push({ at: elapsed(), what: `restart Redis :${primary.port}${role}` });
        }
      }
    };
    const nemesisDone = nemesis().finally(() => (nemesisOver = true));
    const loops = [
      ...phones.map(phoneLoop),
      ...chairs.map(chairLoop),
      ...(options.minutes ? [minutesLoop()] : []),
    ];
    await Promise.all(loops);
    await nemesisDone;
    await Promise.all(restarts);
    for (const i of paused) nodes[i]?.kill('SIGCONT');
    log(`load done after ${elapsed()} ms; nemesis: ${done.map((d) => `${d.at} ${d.what}`).join('; ')}`);

    // ---- quiet: every client catches up with the head, the writers converge ----
    const logNow = await healed(() => readLog(target, sessionId));
    const head = logNow.at(-1)?.seq ?? 0;
    const catchUpDeadline = performance.now() + 60_000;
    for (const c of clients) {
      while (c.seq < head && performance.now() < catchUpDeadline) {
        // A client that is not pushed anything more (its node went away quietly) syncs again, as the real one would.
        await c.connected().catch(() => {});
        await sleep(100);
      }
    }
    let minutes: MinutesOutcome | undefined;
    if (options.minutes) minutes = await minutesOutcome(writers, target, sessionId, log);

    const finalLog = await healed(() => readLog(target, sessionId));
    const commands = await withStore(target, async (store) => {
      const seqs: Record<string, number> = {};
      for (const list of Object.values(steps))
        for (const step of list)
          if (step.kind === 'ack' && step.ok) {
            const seq = await store.events.commandSeq(sessionId, step.commandId);
            if (seq !== null) seqs[step.commandId] = seq;
          }
      return seqs;
    });
    const history: History = {
      clients: steps,
      log: finalLog,
      commands,
      caughtUp: Object.fromEntries(clients.map((c, i) => [Object.keys(steps)[i] ?? String(i), c.seq])),
      ...(minutes ? { minutes } : {}),
    };
    const violations = checkHistory(history);
    const redisLogs =
      violations.length > 0 && ha
        ? Object.fromEntries(
            [...ha.servers, ...ha.sentinelServers].map((x) => [String(x.port), readRedisLog(x.dir, 500)]),
          )
        : undefined;
    const acks = Object.values(steps).flatMap((list) => list.filter((s) => s.kind === 'ack'));
    const refused: Record<string, number> = {};
    for (const a of acks) if (!a.ok) refused[a.code] = (refused[a.code] ?? 0) + 1;
    const sends = Object.values(steps).flatMap((list) => list.filter((s) => s.kind === 'send')).length;
    return {
      seed: options.seed,
      schedule,
      done,
      history,
      violations,
      ...(redisLogs ? { redisLogs } : {}),
      stats: {
        commands: commandsSent.n,
        acked: acks.filter((a) => a.ok).length,
        refused,
        resent: sends - commandsSent.n,
        logLength: finalLog.length,
        ms: Math.round(performance.now() - started),
      },
    };
  } finally {
    for (const w of writers) w.destroy();
    for (const c of clients) c.close();
    for (const node of nodes) {
      node.kill('SIGCONT');
      await node.stop();
    }
    await ha?.stop();
    await redis?.stop();
  }
}

/**
 * A node started as its supervisor would: one that exits before it is ready (server/main.ts gives up after a minute
 * and says at which step) is started again, up to three times.
 */
async function supervised(
  start: () => Promise<NodeProcess>,
  log: (line: string) => void,
): Promise<NodeProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (err) {
      if (attempt >= 3 || !String(err).includes('node exited at start')) throw err;
      log(`started again: ${String(err)}`);
    }
  }
}

/**
 * The harness's own reads once the faults are over, tried again for up to a minute: right after the last fault the
 * sentinels may still be voting on a primary, and a client connecting then is told "no valid master node" (a run of
 * the long bench ended on it, without a verdict).
 */
/** `use` on a store connection of its own, opened and run again (as `healed`) until it gets through. */
function withStore<T>(target: string | RedisTarget, use: (store: Store) => Promise<T>): Promise<T> {
  return healed(async () => {
    const store = await openRedisStore(target, { onError: () => {} });
    try {
      return await use(store);
    } finally {
      await store.close().catch(() => {});
    }
  });
}

async function healed<T>(read: () => Promise<T>): Promise<T> {
  const deadline = performance.now() + 60_000;
  for (;;) {
    try {
      return await read();
    } catch (err) {
      if (performance.now() > deadline) throw err;
      await sleep(250);
    }
  }
}

const STAFF_PASSWORD = 'fault-staff-password';
/** Loading a node through tsx has taken minutes on a 2-core machine shared with other work: a node may take that. */
const NODE_READY_MS = 300_000;

/**
 * Waits for the writers to converge (at most 30 s) and the store to hold their text (at most 20 s more: a node
 * writes what it accepted within 200 ms, and what a node relayed and died before storing is written by another
 * node within its `takeOverAfterMs`, 10 s), then reads what the store holds of the minutes.
 */
async function minutesOutcome(
  writers: MinutesClient[],
  target: string | RedisTarget,
  sessionId: string,
  log: (line: string) => void,
): Promise<MinutesOutcome> {
  const same = () => {
    const texts = writers.map((w) => JSON.stringify(minutesText(w.doc)));
    return texts.every((t) => t === texts[0]);
  };
  const deadline = performance.now() + 30_000;
  while (!same() && performance.now() < deadline) await sleep(100);
  const read = () =>
    withStore(target, async (store) => {
      const rows = await store.ydocs.loadUpdates(minutesDocName(sessionId));
      const stored = new Y.Doc();
      if (rows.length > 0) Y.applyUpdate(stored, Y.mergeUpdates(rows));
      return { rows, text: minutesText(stored) };
    });
  const writing = JSON.stringify(minutesText(writers[0]?.doc ?? new Y.Doc()));
  const storeDeadline = performance.now() + 20_000;
  while (JSON.stringify((await read()).text) !== writing && performance.now() < storeDeadline)
    await sleep(500);
  // Writes still on their way would be missed by the count of items stored twice.
  await sleep(1_000);
  const { rows, text } = await read();
  const items = rows.flatMap((row) =>
    Y.decodeUpdate(row)
      .structs.filter((s) => !(s instanceof Y.Skip))
      .map((s) => ({ client: s.id.client, from: s.id.clock, to: s.id.clock + s.length })),
  );
  const outcome: MinutesOutcome = {
    writers: writers.map((w) => minutesText(w.doc)),
    stored: text,
    storedItems: items,
  };
  log(`minutes: ${rows.length} stored updates, ${outcome.stored.length} paragraphs`);
  return outcome;
}
