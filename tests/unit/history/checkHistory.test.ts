/**
 * The history checker (tests/helpers/history/check.ts) is only trusted once it catches the bugs it claims to: each
 * test doctors a correct history the way one planted bug would (ack before append, a resend applied twice, a stale
 * cache answering a sync, a client fed out of order, a lost vote) and expects exactly that rule to fire.
 */
import { describe, expect, it } from 'vitest';
import { checkHistory, type History, type LoggedEvent } from '../../helpers/history/check.ts';

const submitted = (seq: number, id: string): LoggedEvent => ({
  seq,
  type: 'question.submitted',
  question: { id },
});
const voted = (seq: number, participantId: string, votes: number, value = true): LoggedEvent => ({
  seq,
  type: 'question.voted',
  questionId: 'q1',
  participantId,
  value,
  votes,
});

/** Two phones: A asks q1 (seq 1), B votes (seq 2), A votes (seq 3); B syncs after A's ack; both are pushed all. */
function correct(): History {
  const log = [submitted(1, 'q1'), voted(2, 'pB', 1), voted(3, 'pA', 2)];
  return {
    log,
    commands: { c1: 1, c2: 2, c3: 3 },
    clients: {
      A: [
        { kind: 'sync', sentAt: 0, at: 1, since: 0, seq: 0 },
        { kind: 'send', at: 2, commandId: 'c1', type: 'question.submit', creates: 'q1' },
        { kind: 'ack', at: 3, commandId: 'c1', ok: true, seq: 1 },
        { kind: 'events', at: 4, events: [log[0]!] },
        { kind: 'send', at: 7, commandId: 'c3', type: 'question.vote' },
        { kind: 'ack', at: 8, commandId: 'c3', ok: true, seq: 3 },
        { kind: 'events', at: 9, events: [log[1]!, log[2]!] },
      ],
      B: [
        { kind: 'sync', sentAt: 4, at: 5, since: 0, seq: 1 },
        { kind: 'send', at: 5, commandId: 'c2', type: 'question.vote' },
        { kind: 'ack', at: 6, commandId: 'c2', ok: true, seq: 2 },
        { kind: 'events', at: 9, events: [log[1]!, log[2]!] },
      ],
    },
  };
}

const rules = (h: History) => checkHistory(h).map((v) => v.rule);

describe('history checker', () => {
  it('passes a correct history', () => {
    expect(checkHistory(correct())).toEqual([]);
  });

  it('catches an ack before the append (the acknowledged question is not in the log)', () => {
    const h = correct();
    h.log = h.log.map((e) => (e.seq === 1 ? { ...e, type: 'session.updated' } : e));
    delete h.commands['c1'];
    expect(rules(h)).toContain('lost');
  });

  it('catches a resend applied twice', () => {
    const h = correct();
    h.log.push(submitted(4, 'q1'));
    expect(rules(h)).toEqual(['applied-twice']);
  });

  it('catches a sync answered from a stale cache after another client’s ack', () => {
    const h = correct();
    h.clients['B']!.push({ kind: 'sync', sentAt: 10, at: 11, since: 3, seq: 2 });
    expect(rules(h)).toEqual(expect.arrayContaining(['stale-read', 'regression']));
  });

  it('catches a client fed out of order or a different event at a seq', () => {
    const h = correct();
    h.clients['A']![6] = { kind: 'events', at: 9, events: [h.log[2]!, h.log[1]!] };
    h.clients['B']![3] = {
      kind: 'events',
      at: 9,
      events: [{ ...h.log[1]!, type: 'hand.raised' }, h.log[2]!],
    };
    expect(rules(h)).toEqual(expect.arrayContaining(['regression', 'divergent']));
  });

  it('catches a vote count that is not the number of distinct voters, and a gap in the log', () => {
    const h = correct();
    h.log[2] = voted(3, 'pB', 2);
    h.log.push(voted(5, 'pC', 3));
    expect(rules(h)).toEqual(expect.arrayContaining(['vote-count', 'gap']));
  });

  it('catches an ack whose seq is not the one stored for its command id', () => {
    const h = correct();
    h.commands['c2'] = 3;
    expect(rules(h)).toEqual(['wrong-seq']);
  });

  it('catches a command resent with no answer at all, and takes a refusal the client does not resend as an answer', () => {
    const h = correct();
    h.clients['B']!.push(
      { kind: 'send', at: 10, commandId: 'c4', type: 'hand.raise', node: 'http://127.0.0.1:1' },
      { kind: 'ack', at: 11, commandId: 'c4', ok: false, code: 'conflict' },
      { kind: 'send', at: 12, commandId: 'c4', type: 'hand.raise', node: 'http://127.0.0.1:2' },
      { kind: 'send', at: 13, commandId: 'c5', type: 'hand.lower' },
      { kind: 'ack', at: 14, commandId: 'c5', ok: false, code: 'not_found' },
    );
    const found = checkHistory(h);
    expect(found.map((v) => v.rule)).toEqual(['unanswered']);
    expect(found[0]?.detail).toBe(
      'B: c4 sent 2 times with no answer: 10 ms to http://127.0.0.1:1, 12 ms to http://127.0.0.1:2',
    );
  });
});
