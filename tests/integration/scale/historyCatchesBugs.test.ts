/**
 * The history checker is only trusted once it has caught a real bug in a real run. Two app nodes (in this process)
 * on one redis-server; phones on both record their history exactly as in the fault test. Node A is broken *by this
 * test* — its methods are replaced on the instance, nothing in the server knows — in one of two ways:
 *  - it acknowledges a command before appending it, and a crash loses some of those appends;
 *  - its store writes some batches twice (a replayed append under fresh ids).
 * The checker must name the bug from the history alone; with node A intact the same run passes.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Command } from '../../../shared/domain/commands.ts';
import type { Actor } from '../../../shared/domain/types.ts';
import type { Ack } from '../../../shared/protocol.ts';
import { openRedisStore } from '../../../server/store/redis/index.ts';
import { checkHistory, type ClientStep, type History } from '../../helpers/history/check.ts';
import { startRedis, type RedisServer } from '../../helpers/redisServer.ts';
import { readLog, rest, SyncedClient } from '../../helpers/scaleCluster.ts';
import { startServer, type TestServer } from '../../helpers/server.ts';

let redis: RedisServer | null = null;
const servers: TestServer[] = [];
const clients: SyncedClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const s of servers.splice(0)) await s.close();
  await redis?.stop();
  redis = null;
});

async function twoNodes(): Promise<[TestServer, TestServer, RedisServer]> {
  const r = await startRedis();
  redis = r;
  const env = { REDIS_URL: r.url, AUTH_SECRET: randomBytes(32).toString('base64url') };
  const a = await startServer({ env });
  servers.push(a);
  const b = await startServer({ env });
  servers.push(b);
  return [a, b, r];
}

/** Three phones on each node ask questions and vote, concurrently; returns the recorded history. */
async function recordedRun(a: TestServer, b: TestServer, r: RedisServer): Promise<History> {
  const session = await rest.liveSession(a.url, a.adminToken);
  const steps: Record<string, ClientStep[]> = {};
  const phones: SyncedClient[] = [];
  for (const [n, node] of [a, b].entries())
    for (let k = 0; k < 3; k++) {
      const { token } = await rest.join(node.url, session.joinCode);
      const list: ClientStep[] = [];
      steps[`phone-${n}-${k}`] = list;
      const phone = new SyncedClient({
        urls: [node.url],
        token,
        sessionId: session.id,
        onStep: (step) => list.push(step),
        creates: (c) => (c['type'] === 'question.submit' ? String(c['questionId']) : undefined),
      });
      clients.push(phone);
      phones.push(phone);
      await phone.connected();
    }
  const asked: string[] = [];
  await Promise.all(
    phones.map(async (phone, p) => {
      for (let i = 0; i < 12; i++) {
        const questionId = randomUUID();
        const ack = await phone.send({
          id: randomUUID(),
          type: 'question.submit',
          sessionId: session.id,
          questionId,
          text: `Câu hỏi ${p}.${i}`,
        });
        if (ack.ok) asked.push(questionId);
        const voteOn = asked[(p * 7 + i) % asked.length];
        if (voteOn)
          await phone.send({
            id: randomUUID(),
            type: 'question.vote',
            sessionId: session.id,
            questionId: voteOn,
            value: true,
          });
      }
    }),
  );
  const log = await readLog(r.url, session.id);
  const head = log.at(-1)?.seq ?? 0;
  const deadline = Date.now() + 10_000;
  while (phones.some((p) => p.seq < head) && Date.now() < deadline)
    await new Promise((d) => setTimeout(d, 50));
  const store = await openRedisStore(r.url, { onError: () => {} });
  const commands: Record<string, number> = {};
  try {
    for (const list of Object.values(steps))
      for (const step of list)
        if (step.kind === 'ack' && step.ok) {
          const seq = await store.events.commandSeq(session.id, step.commandId);
          if (seq !== null) commands[step.commandId] = seq;
        }
  } finally {
    await store.close();
  }
  return { clients: steps, log, commands };
}

const rulesOf = (h: History) => new Set(checkHistory(h).map((v) => v.rule));

describe('the history checker on a planted bug', () => {
  it('passes the same run when nothing is broken', { timeout: 120_000 }, async () => {
    const [a, b, r] = await twoNodes();
    expect(checkHistory(await recordedRun(a, b, r))).toEqual([]);
  });

  it(
    'catches a node that acknowledges before it appends (and loses appends in a crash)',
    { timeout: 120_000 },
    async () => {
      const [a, b, r] = await twoNodes();
      const sessions = a.app.ctx.sessions;
      const dispatch = sessions.dispatch.bind(sessions);
      let n = 0;
      // The planted bug: ack with the seq the node expects, then append; every third append is lost, as when the
      // process dies between the two.
      sessions.dispatch = async (command: Command, actor: Actor): Promise<Ack> => {
        if (command.type !== 'question.submit') return dispatch(command, actor);
        const state = await sessions.state(command.sessionId);
        if (++n % 3 !== 0) void dispatch(command, actor);
        return { ok: true, seq: (state?.seq ?? 0) + 1 };
      };
      const rules = rulesOf(await recordedRun(a, b, r));
      expect(rules.has('lost')).toBe(true);
    },
  );

  it('catches a store that writes a batch twice', { timeout: 120_000 }, async () => {
    const [a, b, r] = await twoNodes();
    const events = a.app.ctx.store.events;
    const appendMany = events.appendMany.bind(events);
    let n = 0;
    // The planted bug: every fourth batch with a question in it is written again under fresh ids (a replayed append).
    events.appendMany = async (sessionId, expectedSeq, commands, probes) => {
      const result = await appendMany(sessionId, expectedSeq, commands, probes);
      const asks = commands.some((c) => c.events.some((e) => e.type === 'question.submitted'));
      if (result.ok && asks && ++n % 4 === 0) {
        const head = Math.max(expectedSeq, ...result.seqs);
        await appendMany(
          sessionId,
          head,
          commands.map((c) => ({ ...c, commandId: randomUUID() })),
        );
      }
      return result;
    };
    const rules = rulesOf(await recordedRun(a, b, r));
    expect(rules.has('applied-twice')).toBe(true);
  });
});
