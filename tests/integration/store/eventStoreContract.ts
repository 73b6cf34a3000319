import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { NewEvent } from '../../../server/store/EventStore.ts';
import type { ContractContext } from './storeContract.ts';

const newId = () => randomUUID();

function events(count: number, extra: Record<string, unknown> = {}): NewEvent[] {
  return Array.from({ length: count }, (_, index) => ({ type: 'test.event', index, ...extra }));
}

export function eventStoreContract({ store }: ContractContext): void {
  it('numbers appended events 1, 2, 3, … without gaps, one seq per event', async () => {
    const session = newId();
    const { events: log } = store();
    expect(await log.append(session, 0, newId(), events(1))).toEqual({ ok: true, seq: 1, duplicate: false });
    expect(await log.append(session, 1, newId(), events(3))).toEqual({ ok: true, seq: 4, duplicate: false });
    expect(await log.append(session, 4, newId(), events(1))).toEqual({ ok: true, seq: 5, duplicate: false });
    const stored = await log.read(session, 0);
    expect(stored.map((event) => event.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(stored.map((event) => event.index)).toEqual([0, 0, 1, 2, 0]);
    expect(await log.head(session)).toBe(5);
  });

  it('rejects an expectedSeq that is not the head and writes nothing', async () => {
    const session = newId();
    const { events: log } = store();
    await log.append(session, 0, newId(), events(2));
    const before = await log.read(session, 0);
    for (const stale of [0, 1, 3, 10]) {
      const commandId = newId();
      expect(await log.append(session, stale, commandId, events(1, { stale }))).toEqual({
        ok: false,
        reason: 'conflict',
        headSeq: 2,
      });
      expect(await log.commandSeq(session, commandId)).toBeNull();
    }
    expect(await log.read(session, 0)).toEqual(before);
    expect(await log.head(session)).toBe(2);

    const empty = newId();
    expect(await log.append(empty, 3, newId(), events(1))).toEqual({
      ok: false,
      reason: 'conflict',
      headSeq: 0,
    });
    expect(await log.head(empty)).toBe(0);
    expect(await log.sessionIds()).not.toContain(empty);
  });

  it('answers a resent command id with the original seq and writes nothing, even with a stale expectedSeq', async () => {
    const session = newId();
    const commandId = newId();
    const { events: log } = store();
    expect(await log.append(session, 0, commandId, events(2))).toEqual({
      ok: true,
      seq: 2,
      duplicate: false,
    });
    await log.append(session, 2, newId(), events(1));
    expect(await log.append(session, 0, commandId, events(2))).toEqual({ ok: true, seq: 2, duplicate: true });
    expect(await log.append(session, 3, commandId, events(5))).toEqual({ ok: true, seq: 2, duplicate: true });
    expect(await log.head(session)).toBe(3);
    expect(await log.read(session, 0)).toHaveLength(3);
  });

  it('records a command that produced no events at the current head', async () => {
    const session = newId();
    const commandId = newId();
    const { events: log } = store();
    await log.append(session, 0, newId(), events(1));
    expect(await log.append(session, 1, commandId, [])).toEqual({ ok: true, seq: 1, duplicate: false });
    expect(await log.commandSeq(session, commandId)).toBe(1);
    expect(await log.append(session, 1, commandId, [])).toEqual({ ok: true, seq: 1, duplicate: true });
    expect(await log.head(session)).toBe(1);

    const quiet = newId();
    expect(await log.append(quiet, 0, newId(), [])).toEqual({ ok: true, seq: 0, duplicate: false });
    expect(await log.sessionIds()).not.toContain(quiet);
  });

  it('lets exactly one of 20 appends racing for the same expectedSeq win', async () => {
    const session = newId();
    const { events: log } = store();
    await log.append(session, 0, newId(), events(1));
    const commandIds = Array.from({ length: 20 }, newId);
    const results = await Promise.all(
      commandIds.map((commandId, racer) => log.append(session, 1, commandId, events(2, { racer }))),
    );
    const winners = results.flatMap((result, racer) => (result.ok ? [racer] : []));
    expect(winners).toHaveLength(1);
    const winner = winners[0] ?? -1;
    expect(results[winner]).toEqual({ ok: true, seq: 3, duplicate: false });
    for (const [racer, result] of results.entries()) {
      if (racer !== winner) expect(result).toEqual({ ok: false, reason: 'conflict', headSeq: 3 });
    }
    const stored = await log.read(session, 0);
    expect(stored.map((event) => [event.seq, event.racer])).toEqual([
      [1, undefined],
      [2, winner],
      [3, winner],
    ]);
    const recorded = await Promise.all(commandIds.map((commandId) => log.commandSeq(session, commandId)));
    expect(recorded.filter((seq) => seq !== null)).toEqual([3]);
  });

  it('turns 20 racing resends of one command into one write', async () => {
    const session = newId();
    const commandId = newId();
    const { events: log } = store();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => log.append(session, 0, commandId, events(1))),
    );
    expect(results.filter((result) => result.ok && !result.duplicate)).toHaveLength(1);
    expect(results.filter((result) => result.ok && result.duplicate && result.seq === 1)).toHaveLength(19);
    expect(await log.read(session, 0)).toHaveLength(1);
  });

  it('reads the events after a seq in ascending order, at most limit of them', async () => {
    const session = newId();
    const { events: log } = store();
    await log.append(session, 0, newId(), events(5));
    await log.append(session, 5, newId(), events(7));
    const seqs = async (afterSeq: number, limit?: number) =>
      (await log.read(session, afterSeq, limit)).map((event) => event.seq);
    expect(await seqs(0)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    // 9 → 10 is where a string-sorted log would go wrong.
    expect(await seqs(8)).toEqual([9, 10, 11, 12]);
    expect(await seqs(2, 3)).toEqual([3, 4, 5]);
    expect(await seqs(0, 1)).toEqual([1]);
    expect(await seqs(10, 100)).toEqual([11, 12]);
    expect(await seqs(0, 0)).toEqual([]);
    expect(await seqs(12)).toEqual([]);
    expect(await seqs(40)).toEqual([]);
    expect(await log.read(newId(), 0)).toEqual([]);
    await expect(log.read(session, -1)).rejects.toThrow(RangeError);
    await expect(log.append(session, 1.5, newId(), events(1))).rejects.toThrow(RangeError);
  });

  it('group commit: appends several commands in one write, each with its own seq, a no-event one recorded too', async () => {
    const session = newId();
    const [a, b, c, probe] = [newId(), newId(), newId(), newId()];
    const { events: log } = store();
    await log.append(session, 0, newId(), events(1));
    expect(
      await log.appendMany(
        session,
        1,
        [
          { commandId: a, events: events(2, { command: 'a' }) },
          { commandId: b, events: [] },
          { commandId: c, events: events(1, { command: 'c' }) },
        ],
        [probe],
      ),
    ).toEqual({ ok: true, seqs: [3, 3, 4] });
    const stored = await log.read(session, 1);
    expect(stored.map((e) => [e.seq, e.command, e.index])).toEqual([
      [2, 'a', 0],
      [3, 'a', 1],
      [4, 'c', 0],
    ]);
    expect(await Promise.all([a, b, c, probe].map((id) => log.commandSeq(session, id)))).toEqual([
      3,
      3,
      4,
      null,
    ]);
    expect(await log.head(session)).toBe(4);
    // Only probes, none recorded: nothing to write, the head is not checked.
    expect(await log.appendMany(session, 0, [], [probe, newId()])).toEqual({ ok: true, seqs: [] });
    expect(await log.head(session)).toBe(4);
  });

  it('group commit: a resend (command or probe) writes nothing and is reported; a stale head writes nothing', async () => {
    const session = newId();
    const [done, fresh] = [newId(), newId()];
    const { events: log } = store();
    await log.append(session, 0, done, events(2));
    const before = await log.read(session, 0);
    // A stale head with only new commands: nothing at all is written, not even the command ids.
    expect(await log.appendMany(session, 1, [{ commandId: fresh, events: events(1) }])).toEqual({
      ok: false,
      reason: 'conflict',
      headSeq: 2,
    });
    expect(await log.commandSeq(session, fresh)).toBeNull();
    // A resend among new commands, at the right head or not, as a command or as a probe: reported, nothing written.
    for (const expected of [2, 0])
      expect(
        await log.appendMany(session, expected, [
          { commandId: fresh, events: events(1) },
          { commandId: done, events: events(3) },
        ]),
      ).toEqual({ ok: false, reason: 'duplicate', recorded: [{ commandId: done, seq: 2 }] });
    expect(await log.appendMany(session, 2, [{ commandId: fresh, events: events(1) }], [done])).toEqual({
      ok: false,
      reason: 'duplicate',
      recorded: [{ commandId: done, seq: 2 }],
    });
    expect(await log.read(session, 0)).toEqual(before);
    expect(await log.commandSeq(session, fresh)).toBeNull();
    // Ids must differ within one call.
    await expect(
      log.appendMany(session, 2, [
        { commandId: fresh, events: events(1) },
        { commandId: fresh, events: events(1) },
      ]),
    ).rejects.toThrow(TypeError);
    await expect(
      log.appendMany(session, 2, [{ commandId: fresh, events: events(1) }], [fresh]),
    ).rejects.toThrow(TypeError);
    expect(
      await log.appendMany(session, 2, [{ commandId: fresh, events: events(1, { fresh: true }) }]),
    ).toEqual({
      ok: true,
      seqs: [3],
    });
    expect((await log.read(session, 2)).map((e) => [e.seq, e.fresh])).toEqual([[3, true]]);
  });

  it('reports the head and the seq recorded for a command id', async () => {
    const session = newId();
    const first = newId();
    const second = newId();
    const { events: log } = store();
    expect(await log.head(session)).toBe(0);
    expect(await log.commandSeq(session, first)).toBeNull();
    await log.append(session, 0, first, events(2));
    await log.append(session, 2, second, events(3));
    expect(await log.head(session)).toBe(5);
    expect(await log.commandSeq(session, first)).toBe(2);
    expect(await log.commandSeq(session, second)).toBe(5);
    expect(await log.commandSeq(session, newId())).toBeNull();
  });

  it('keeps only the snapshot furthest along the log', async () => {
    const session = newId();
    const { events: log } = store();
    expect(await log.loadSnapshot(session)).toBeNull();
    await log.saveSnapshot(session, { seq: 3, state: { questions: ['a'] } });
    await log.saveSnapshot(session, { seq: 7, state: { questions: ['a', 'b'] } });
    expect(await log.loadSnapshot(session)).toEqual({ seq: 7, state: { questions: ['a', 'b'] } });
    // A slower node saving an older snapshot afterwards must not move the snapshot backwards.
    await log.saveSnapshot(session, { seq: 5, state: { questions: ['stale'] } });
    expect(await log.loadSnapshot(session)).toEqual({ seq: 7, state: { questions: ['a', 'b'] } });
    expect(await log.loadSnapshot(newId())).toBeNull();
  });

  it('lists exactly the sessions that have events', async () => {
    const { events: log } = store();
    expect(await log.sessionIds()).toEqual([]);
    const [a, b] = [newId(), newId()];
    await log.append(a, 0, newId(), events(1));
    await log.append(b, 0, newId(), events(2));
    await log.append(a, 1, newId(), events(1));
    await log.append(newId(), 4, newId(), events(1));
    expect((await log.sessionIds()).sort()).toEqual([a, b].sort());
  });

  it('keeps sessions apart: seqs, command ids and snapshots', async () => {
    const [a, b] = [newId(), newId()];
    const commandId = newId();
    const { events: log } = store();
    expect(await log.append(a, 0, commandId, events(1, { session: 'a' }))).toMatchObject({
      seq: 1,
      duplicate: false,
    });
    expect(await log.append(b, 0, commandId, events(2, { session: 'b' }))).toMatchObject({
      seq: 2,
      duplicate: false,
    });
    expect(await log.append(b, 2, newId(), events(1, { session: 'b' }))).toMatchObject({ seq: 3 });
    await log.saveSnapshot(a, { seq: 1, state: 'a' });
    expect((await log.read(a, 0)).map((event) => event.session)).toEqual(['a']);
    expect((await log.read(b, 0)).map((event) => event.session)).toEqual(['b', 'b', 'b']);
    expect(await log.head(a)).toBe(1);
    expect(await log.commandSeq(a, commandId)).toBe(1);
    expect(await log.commandSeq(b, commandId)).toBe(2);
    expect(await log.loadSnapshot(b)).toBeNull();
  });

  it('round-trips nested JSON, Vietnamese text and a 100 KB payload unchanged', async () => {
    const session = newId();
    const { events: log } = store();
    const question: NewEvent = {
      type: 'question.submitted',
      text: 'Thủ tục cấp Giấy chứng nhận quyền sử dụng đất mất bao nhiêu ngày? Tổ dân phố số 7 đề nghị trả lời.',
      author: { name: 'Nguyễn Thị Hường', group: 'Tổ 7', anonymous: false },
      nested: {
        list: [1, 'hai', { ba: null, bốn: true, năm: [[], {}] }],
        ratio: 0.25,
        max: Number.MAX_SAFE_INTEGER,
      },
      symbols: '🙏 "quoted" \\ back\nslash\t\u0000 end',
    };
    const large: NewEvent = { type: 'minutes.imported', body: 'Biên bản hội nghị đối thoại. '.repeat(3_500) };
    expect(Buffer.byteLength(JSON.stringify(large))).toBeGreaterThan(100_000);
    await log.append(session, 0, newId(), [question, large]);
    expect(await log.read(session, 0)).toEqual([
      { ...question, seq: 1 },
      { ...large, seq: 2 },
    ]);
    await log.saveSnapshot(session, { seq: 2, state: { question, large } });
    expect(await log.loadSnapshot(session)).toEqual({ seq: 2, state: { question, large } });
  });
}
