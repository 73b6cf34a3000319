/**
 * Group commit in SessionService, on the real stores (a SQLite file, a redis-server): commands that arrive while their
 * session's previous append is in flight are decided one after another against the state the ones before them left
 * and stored in one append. The store is wrapped only to count the appends and to hold the first one open, so that
 * a batch forms at a known moment; everything else is the real thing.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAll } from '../../../shared/domain/apply.ts';
import { CommandSchema } from '../../../shared/domain/commands.ts';
import type { DomainEvent } from '../../../shared/domain/events.ts';
import { emptyState } from '../../../shared/domain/state.ts';
import type { Actor } from '../../../shared/domain/types.ts';
import type { Ack } from '../../../shared/protocol.ts';
import { SessionService } from '../../../server/sessions/SessionService.ts';
import type { EventStore, Store } from '../../../server/store/EventStore.ts';
import { openRedisStore } from '../../../server/store/redis/index.ts';
import { openSqliteStore } from '../../../server/store/sqlite/index.ts';
import { startRedis, type RedisServer } from '../../helpers/redisServer.ts';
import { ADMIN, attendee, WARD, type Draft } from '../../unit/domain/fixtures.ts';

/** The real store, with its group commits counted and, while `hold` is set, held before they start. */
function counted(events: EventStore) {
  const sizes: number[] = [];
  let release: () => void = () => {};
  let hold: Promise<void> | null = null;
  const store: EventStore = {
    append: (...a) => events.append(...a),
    appendMany: async (sessionId, expectedSeq, commands, probes) => {
      sizes.push(commands.length);
      if (hold) await hold;
      return events.appendMany(sessionId, expectedSeq, commands, probes);
    },
    read: (...a) => events.read(...a),
    head: (...a) => events.head(...a),
    commandSeq: (...a) => events.commandSeq(...a),
    saveSnapshot: (...a) => events.saveSnapshot(...a),
    loadSnapshot: (...a) => events.loadSnapshot(...a),
    sessionIds: () => events.sessionIds(),
  };
  return {
    store,
    sizes,
    holdNext() {
      hold = new Promise((resolve) => (release = resolve));
    },
    release() {
      hold = null;
      release();
    },
  };
}

async function openSession(events: EventStore) {
  const service = new SessionService(events);
  const sessionId = randomUUID();
  const input = {
    title: 'Đối thoại',
    date: '2030-06-15',
    startTime: '08:00',
    venue: 'Hội trường',
    moderation: 'open' as const,
  };
  await service.create(sessionId, input, WARD, 'GROUP1', ADMIN);
  const send = (actor: Actor, draft: Draft) =>
    service.dispatch(CommandSchema.parse({ id: randomUUID(), sessionId, ...draft }), actor);
  expect(await send(ADMIN, { type: 'session.set_status', status: 'live' })).toMatchObject({ ok: true });
  const phones = Array.from({ length: 6 }, (_, i) => attendee(`p${i}`, `Người ${i}`));
  for (const phone of phones)
    expect(
      await send(phone, { type: 'participant.join', participantId: phone.id, name: phone.name }),
    ).toMatchObject({
      ok: true,
    });
  return { service, sessionId, send, phones };
}

const ok = (ack: Ack) => {
  if (!ack.ok) throw new Error(`refused: ${ack.code} ${ack.message}`);
  return ack;
};

function groupCommitSuite(open: () => Promise<{ store: Store; close(): Promise<void> }>) {
  it('stores what queued behind an append in one append, each command decided on the state before it', async () => {
    const { store, close } = await open();
    try {
      const gate = counted(store.events);
      const { service, sessionId, send, phones } = await openSession(gate.store);
      const [a, b, c, d] = phones as [Actor, Actor, Actor, Actor];
      const q1 = randomUUID();
      gate.sizes.length = 0;
      gate.holdNext();
      const submitId = randomUUID();
      const first = send(a, {
        id: submitId,
        type: 'question.submit',
        questionId: q1,
        text: 'Thủ tục cấp sổ đỏ mất bao lâu?',
        anonymous: false,
      });
      while (gate.sizes.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
      // Queued behind the held append: votes on the question the first command creates, a refusal, a resend.
      const voteId = randomUUID();
      const queued = [
        send(b, { type: 'question.vote', questionId: q1, value: true }),
        send(c, { id: voteId, type: 'question.vote', questionId: q1, value: true }),
        send(d, { type: 'question.vote', questionId: randomUUID(), value: true }),
        send(c, { id: voteId, type: 'question.vote', questionId: q1, value: true }),
        send(d, { type: 'question.vote', questionId: q1, value: true }),
        send(b, { type: 'hand.raise', handId: randomUUID(), topic: 'Đất đai' }),
      ];
      await new Promise((resolve) => setTimeout(resolve, 20));
      gate.release();
      const acks = await Promise.all([first, ...queued]);

      expect(gate.sizes).toEqual([1, 4]);
      const [submitted, voteB, voteC, unknown, resend, voteD, hand] = acks as Ack[] & { length: 7 };
      expect(unknown).toMatchObject({ ok: false, code: 'not_found' });
      expect(resend).toEqual(voteC);
      // In arrival order, one after another.
      const seqs = [submitted, voteB, voteC, voteD, hand].map((x) => ok(x!).seq);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
      expect(new Set(seqs).size).toBe(seqs.length);

      const state = await service.state(sessionId);
      expect(state?.questions[q1]?.votes).toBe(3);
      // The store holds exactly what the service folded, seqs without gaps, and each command's ack seq is recorded.
      const log = (await store.events.read(sessionId, 0)) as unknown as DomainEvent[];
      expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
      expect(applyAll(emptyState(sessionId), log)).toEqual(state);
      expect(await store.events.commandSeq(sessionId, voteId)).toBe(ok(voteC!).seq);

      // Resends after the fact are answered from the store with the original seq, also in one batch with a new
      // command (which is decided again without them and stored).
      const again = [
        send(c, { id: voteId, type: 'question.vote', questionId: q1, value: true }),
        send(a, { id: submitId, type: 'question.submit', questionId: q1, text: 'Gửi lại', anonymous: false }),
        send(c, { type: 'hand.raise', handId: randomUUID(), topic: 'Hộ tịch' }),
      ];
      const [voteAgain, submitAgain, newHand] = await Promise.all(again);
      expect(voteAgain).toEqual({ ok: true, seq: ok(voteC!).seq, duplicate: true });
      expect(submitAgain).toEqual({ ok: true, seq: ok(submitted!).seq, duplicate: true });
      expect(ok(newHand!).seq).toBe(state!.seq + 1);
      expect(await store.events.head(sessionId)).toBe(state!.seq + 1);
    } finally {
      await close();
    }
  });

  it('decides a batch again when another node appended first, and refusals are decided again too', async () => {
    const { store, close } = await open();
    try {
      const gate = counted(store.events);
      const { service, sessionId, send, phones } = await openSession(gate.store);
      const [a, b] = phones as [Actor, Actor];
      // Node B shares the store: it publishes a question A has not folded yet.
      const other = new SessionService(store.events);
      const q = randomUUID();
      const fromB = await other.dispatch(
        CommandSchema.parse({
          id: randomUUID(),
          sessionId,
          type: 'question.submit',
          questionId: q,
          text: 'Câu hỏi qua nút B',
          anonymous: true,
        }),
        b,
      );
      expect(fromB).toMatchObject({ ok: true });
      // On A, one batch: a hand, then a vote for that question. The vote is first decided on A's stale state
      // ("no such question"); the append then loses the race, and that refusal must not be the answer.
      gate.sizes.length = 0;
      const held = send(a, { type: 'hand.raise', handId: randomUUID(), topic: 'Hộ tịch' });
      const vote = send(a, { type: 'question.vote', questionId: q, value: true });
      const [handAck, voteAck] = await Promise.all([held, vote]);
      expect(handAck).toMatchObject({ ok: true });
      expect(voteAck).toMatchObject({ ok: true });
      expect(gate.sizes).toEqual([1, 2]);
      expect((await service.state(sessionId))?.questions[q]?.votes).toBe(1);
      const log = (await store.events.read(sessionId, 0)) as unknown as DomainEvent[];
      expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
      expect(applyAll(emptyState(sessionId), log)).toEqual(await service.state(sessionId));
    } finally {
      await close();
    }
  });
}

describe('group commit, SQLite', () => {
  groupCommitSuite(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'group-commit-'));
    const store = openSqliteStore(dir);
    return {
      store,
      async close() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  });
});

describe('group commit, Redis', () => {
  let redis: RedisServer | undefined;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  groupCommitSuite(async () => {
    if (!redis) throw new Error('redis-server not started');
    const store = await openRedisStore(redis.url);
    return { store, close: () => store.close() };
  });
});
