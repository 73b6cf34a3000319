/**
 * A history checker for the event log, in the spirit of Jepsen/Elle: given what every client sent, was acknowledged,
 * synced and received, and the session's final log, it lists every way the history breaks the log's promises.
 * Pure (no I/O): a fault test records, this judges, and a unit test feeds it doctored histories to show it catches
 * each bug it claims to.
 *
 * The model (an append-only log with idempotent command ids):
 *  - every acknowledged command is in the log exactly once, at the seq its ack named;
 *  - no command is applied twice: one `question.submitted` per question id, one `hand.raised` per hand id;
 *  - the log is 1, 2, 3, … without gaps, and every client saw the same event at the same seq;
 *  - a client never goes back: the seqs it folds rise, a sync never answers below what it holds;
 *  - read-your-writes: a sync sent after an ack (anyone's) completed answers at least that ack's seq;
 *  - vote counts equal the distinct voters whose last vote was "yes";
 *  - once the faults are healed every client catches up with the head (when `caughtUp` is given), and every command
 *    sent got an answer (an ack, or a final refusal) — a command resent for minutes with no answer is a finding;
 *  - the minutes converge: every writer and the store hold the same text, and no item is stored twice (when
 *    `minutes` is given).
 */

export interface LoggedEvent {
  seq: number;
  type: string;
  [key: string]: unknown;
}

export type ClientStep =
  /**
   * A command sent (again, on a resend) at `at` ms to `node` (its address); `creates`: the client-made id of what it
   * creates (a question's, a hand's), whose creation event must then be in the log once it is acknowledged.
   */
  | { kind: 'send'; at: number; commandId: string; type: string; creates?: string; node?: string }
  /** Its answer: `ok` with the seq, or a failure code (a retryable one is resent under the same id). */
  | { kind: 'ack'; at: number; commandId: string; ok: true; seq: number }
  | { kind: 'ack'; at: number; commandId: string; ok: false; code: string }
  /** A sync sent at `sentAt` holding `since`, answered at `at` with the session's `seq`. */
  | { kind: 'sync'; sentAt: number; at: number; since: number; seq: number }
  /** Events pushed to the client (and folded when above what it held). */
  | { kind: 'events'; at: number; events: LoggedEvent[] };

export interface History {
  /** Per client, its steps in the order they happened. */
  clients: Record<string, ClientStep[]>;
  /** The session's final log, from the store. */
  log: LoggedEvent[];
  /** The store's command-id index: command id → seq of its last event. */
  commands: Record<string, number>;
  /** Each client's seq once everything was healed and quiet. */
  caughtUp?: Record<string, number>;
  minutes?: MinutesOutcome;
}

export interface MinutesOutcome {
  /** Each writer's document, paragraph by paragraph, once quiet. */
  writers: string[][];
  /** The document the store's updates make. */
  stored: string[];
  /** The (Yjs client, clock range) of every item in every stored update. */
  storedItems: Array<{ client: number; from: number; to: number }>;
}

export interface Violation {
  rule:
    | 'lost'
    | 'wrong-seq'
    | 'applied-twice'
    | 'gap'
    | 'divergent'
    | 'regression'
    | 'stale-read'
    | 'vote-count'
    | 'not-converged'
    | 'unanswered'
    | 'minutes-diverged'
    | 'minutes-stored-twice';
  detail: string;
}

/** Refusals a client resends under the same id (the server did not act): not an answer. */
export const RESENT = new Set(['conflict', 'internal', 'rate_limited']);

export function checkHistory(history: History): Violation[] {
  const out: Violation[] = [];
  const { log, commands } = history;
  const bySeq = new Map(log.map((e) => [e.seq, e]));
  log.forEach((e, i) => {
    if (e.seq !== i + 1) out.push({ rule: 'gap', detail: `log position ${i + 1} holds seq ${e.seq}` });
  });

  // Acknowledged commands: in the log, at their seq. A command that changed nothing (a vote cast before) is
  // acknowledged with the head's seq and recorded nowhere; one that creates something must have created it.
  const created = new Set(log.map(createdId).filter((id): id is string => id !== undefined));
  const acks: Array<{ at: number; seq: number }> = [];
  for (const [client, steps] of Object.entries(history.clients)) {
    const creates = new Map<string, string>();
    for (const step of steps) {
      if (step.kind === 'send' && step.creates) creates.set(step.commandId, step.creates);
      if (step.kind !== 'ack' || !step.ok) continue;
      acks.push({ at: step.at, seq: step.seq });
      const recorded = commands[step.commandId];
      const thing = creates.get(step.commandId);
      if (step.seq > (log.at(-1)?.seq ?? 0))
        out.push({
          rule: 'lost',
          detail: `${client}: ${step.commandId} acked at seq ${step.seq}, beyond the log`,
        });
      else if (thing !== undefined && !created.has(thing))
        out.push({ rule: 'lost', detail: `${client}: ${step.commandId} acked, ${thing} is not in the log` });
      else if (recorded !== undefined && recorded !== step.seq)
        out.push({
          rule: 'wrong-seq',
          detail: `${client}: ${step.commandId} acked at ${step.seq}, stored at ${recorded}`,
        });
    }
  }

  // Applied twice: what is created with a client-made id is created once.
  const first = new Map<string, number>();
  for (const e of log) {
    const id = createdId(e);
    if (id === undefined) continue;
    const at = first.get(id);
    if (at !== undefined)
      out.push({ rule: 'applied-twice', detail: `${e.type} ${id} at seq ${at} and ${e.seq}` });
    else first.set(id, e.seq);
  }

  // Votes: the count carried by the last vote event of a question equals its distinct "yes" voters.
  const voters = new Map<string, Map<string, boolean>>();
  const counts = new Map<string, number>();
  for (const e of log) {
    if (e.type !== 'question.voted') continue;
    const q = String(e['questionId']);
    const byVoter = voters.get(q) ?? new Map<string, boolean>();
    byVoter.set(String(e['participantId']), e['value'] === true);
    voters.set(q, byVoter);
    counts.set(q, Number(e['votes']));
  }
  for (const [q, byVoter] of voters) {
    const yes = [...byVoter.values()].filter(Boolean).length;
    if (counts.get(q) !== yes)
      out.push({ rule: 'vote-count', detail: `${q}: count ${counts.get(q)}, ${yes} voters` });
  }

  // Each client: one order (the log's), never backwards, reads that see every earlier ack.
  for (const [client, steps] of Object.entries(history.clients)) {
    let held = 0;
    for (const step of steps) {
      if (step.kind === 'sync') {
        if (step.seq < step.since)
          out.push({
            rule: 'regression',
            detail: `${client}: sync holding ${step.since} answered ${step.seq}`,
          });
        const before = Math.max(0, ...acks.filter((a) => a.at < step.sentAt).map((a) => a.seq));
        if (step.seq < before)
          out.push({
            rule: 'stale-read',
            detail: `${client}: sync answered ${step.seq} after seq ${before} was acked`,
          });
        held = Math.max(held, step.seq);
      } else if (step.kind === 'events') {
        let last = -1;
        for (const e of step.events) {
          if (e.seq <= last)
            out.push({ rule: 'regression', detail: `${client}: pushed ${e.seq} after ${last}` });
          last = e.seq;
          const logged = bySeq.get(e.seq);
          if (!logged || !sameEvent(logged, e))
            out.push({
              rule: 'divergent',
              detail: `${client}: seq ${e.seq} is ${e.type} here, ${logged?.type} in the log`,
            });
          if (e.seq > held) held = e.seq;
        }
      }
    }
  }
  // Liveness: every command sent got an answer — an ack, or a refusal the client does not resend.
  for (const [client, steps] of Object.entries(history.clients)) {
    const sends = new Map<string, Array<{ at: number; node?: string }>>();
    for (const step of steps) {
      if (step.kind === 'send')
        sends.set(step.commandId, [
          ...(sends.get(step.commandId) ?? []),
          { at: step.at, ...(step.node ? { node: step.node } : {}) },
        ]);
      else if (step.kind === 'ack' && (step.ok || !RESENT.has(step.code))) sends.delete(step.commandId);
    }
    for (const [commandId, tries] of sends)
      out.push({
        rule: 'unanswered',
        detail:
          `${client}: ${commandId} sent ${tries.length} times with no answer: ` +
          tries.map((t) => `${Math.round(t.at)} ms${t.node ? ` to ${t.node}` : ''}`).join(', '),
      });
  }
  const head = log.at(-1)?.seq ?? 0;
  for (const [client, seq] of Object.entries(history.caughtUp ?? {}))
    if (seq !== head)
      out.push({ rule: 'not-converged', detail: `${client}: at seq ${seq}, the head is ${head}` });
  if (history.minutes) out.push(...checkMinutes(history.minutes));
  return out;
}

function checkMinutes(minutes: MinutesOutcome): Violation[] {
  const out: Violation[] = [];
  const stored = JSON.stringify(minutes.stored);
  minutes.writers.forEach((text, i) => {
    if (JSON.stringify(text) !== stored)
      out.push({
        rule: 'minutes-diverged',
        detail: `writer ${i} has ${text.length} paragraphs, the store ${minutes.stored.length}`,
      });
  });
  const byClient = new Map<number, Array<{ from: number; to: number }>>();
  for (const item of minutes.storedItems)
    byClient.set(item.client, [...(byClient.get(item.client) ?? []), item]);
  for (const [client, items] of byClient) {
    items.sort((a, b) => a.from - b.from);
    for (let i = 1; i < items.length; i++) {
      const prev = items[i - 1];
      const item = items[i];
      if (prev && item && item.from < prev.to)
        out.push({
          rule: 'minutes-stored-twice',
          detail: `client ${client}: clocks ${item.from}–${item.to} overlap ${prev.from}–${prev.to}`,
        });
    }
  }
  return out;
}

/** The client-made id of what an event creates (a question, a hand), if it creates one. */
function createdId(e: LoggedEvent): string | undefined {
  const thing =
    e.type === 'question.submitted' ? e['question'] : e.type === 'hand.raised' ? e['hand'] : undefined;
  if (typeof thing !== 'object' || thing === null || !('id' in thing)) return undefined;
  return typeof thing.id === 'string' ? thing.id : undefined;
}

/** Same event: same type and same payload (the client's copy may be projected, so compare what both carry). */
function sameEvent(logged: LoggedEvent, seen: LoggedEvent): boolean {
  if (logged.type !== seen.type) return false;
  return ['at', 'questionId', 'participantId'].every((k) => seen[k] === undefined || seen[k] === logged[k]);
}
