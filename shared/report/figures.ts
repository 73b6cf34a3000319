/**
 * One definition of every figure of a session, as pure functions of its state (or of any audience's projection of
 * it: the question figures are computed from what the staff, the screen and every phone all hold). The panel's
 * overview, the big screen, the phones, the minutes' inserts, the synthesis report and its files count with these
 * and nothing else, so the hall, the chairman's tablet and the report to the level above say the same numbers
 * (issue 13, finding 4).
 *
 * Definitions:
 * - received: every opinion the ward received — typed on a phone, written on a paper form, said at the microphone
 *   and recorded from the speech, carried over — but those withdrawn by their askers (never an opinion of the
 *   meeting). By channel: phone + paper + speech = received; before the meeting: sent while collecting;
 * - merged: duplicates merged into another opinion (answered with it); hidden: not taken up (with a reason);
 * - opinions: received − merged − hidden — the opinions the meeting deals with. The hall's "questions" figure;
 * - each opinion has exactly one outcome: answered at the meeting (answer mode `live`), promised in writing
 *   (`writing`; done once the written answer is in, overdue when not by its due date), recommended to a
 *   competent higher authority (`upward`), outside the ward's remit (`outside`), or open —
 *   so opinions = answeredLive + inWriting + upward + outside + open;
 * - "answered" on every surface means answered at the meeting: a promise in writing is not an answer yet;
 * - speeches: floor turns that ended; formsCollected: paper forms entered (a participant who came on paper);
 *   satisfaction: the SIPAS scores by criterion (staff views only hold the forms; others see the count).
 * - delivered: written answers whose delivery to the asker is recorded (in the app, through the residential group,
 *   by post, in person) — a reply written but not yet sent out does not reach a paper asker (finding 3).
 */
import { phonesJoined } from '../domain/state.ts';
import type { Question, SessionState, Source } from '../domain/types.ts';

export type Outcome =
  'live' | 'writing_done' | 'writing_pending' | 'upward' | 'outside' | 'open' | 'merged' | 'hidden';

export interface Counts {
  received: number;
  /** received − merged − hidden. */
  opinions: number;
  answeredLive: number;
  /** All questions to be answered in writing … */
  inWriting: number;
  /** … of which the written answer is in, */
  writtenDone: number;
  /** … and of those, delivered to the asker (a delivery is recorded), */
  delivered: number;
  /** … of which it is still awaited, */
  writtenPending: number;
  /** … of which past their due date. */
  overdue: number;
  /** Recommended (kiến nghị) to a competent higher authority. */
  upward: number;
  /** Outside the ward's remit. */
  outside: number;
  open: number;
  merged: number;
  hidden: number;
  /** Received before the meeting (session collecting opinions). */
  preMeeting: number;
  /** Received by channel: typed on a phone, … */
  phone: number;
  /** … written on a paper form, … */
  paper: number;
  /** … said at the microphone and recorded from the speech. */
  speech: number;
  /** Carried over from an earlier session. */
  carried: number;
}

export const zeroCounts = (): Counts => ({
  received: 0,
  opinions: 0,
  answeredLive: 0,
  inWriting: 0,
  writtenDone: 0,
  delivered: 0,
  writtenPending: 0,
  overdue: 0,
  upward: 0,
  outside: 0,
  open: 0,
  merged: 0,
  hidden: 0,
  preMeeting: 0,
  phone: 0,
  paper: 0,
  speech: 0,
  carried: 0,
});

/** A question that counts as received: all but those withdrawn by their askers. */
export const isReceived = (q: Question): boolean => q.status !== 'withdrawn';

/** An opinion the meeting deals with: received, and neither merged into another nor hidden. */
export const isOpinion = (q: Question): boolean =>
  q.status === 'pending' || q.status === 'published' || q.status === 'answered';

/** Where a (not withdrawn) question stands. */
export function outcomeOf(q: Question): Outcome {
  switch (q.status) {
    case 'answered':
      switch (q.answer?.mode) {
        case 'writing':
          return q.answer.written ? 'writing_done' : 'writing_pending';
        case 'upward':
          return 'upward';
        case 'outside':
          return 'outside';
        default:
          return 'live';
      }
    case 'merged':
      return 'merged';
    case 'hidden':
      return 'hidden';
    default:
      return 'open';
  }
}

/** A written answer promised and not given by its due date (`today`: YYYY-MM-DD; none: nothing is overdue). */
export const isOverdue = (q: Question, today: string | undefined): boolean =>
  today !== undefined &&
  q.status === 'answered' &&
  q.answer?.mode === 'writing' &&
  !q.answer.written &&
  q.answer.dueDate !== undefined &&
  q.answer.dueDate < today;

/** Adds one received question to `into`. */
export function countQuestion(into: Counts, q: Question, today?: string): void {
  into.received++;
  switch (outcomeOf(q)) {
    case 'live':
      into.answeredLive++;
      break;
    case 'writing_done':
      into.inWriting++;
      into.writtenDone++;
      if (q.answer?.written?.delivery) into.delivered++;
      break;
    case 'writing_pending':
      into.inWriting++;
      into.writtenPending++;
      if (isOverdue(q, today)) into.overdue++;
      break;
    case 'upward':
      into.upward++;
      break;
    case 'outside':
      into.outside++;
      break;
    case 'open':
      into.open++;
      break;
    case 'merged':
      into.merged++;
      break;
    case 'hidden':
      into.hidden++;
      break;
  }
  into.opinions = into.received - into.merged - into.hidden;
  into[q.source]++;
  if (q.preMeeting) into.preMeeting++;
  if (q.carriedFrom) into.carried++;
}

/** The counts of a set of questions (withdrawn ones are skipped). */
export function questionCounts(questions: Iterable<Question>, today?: string): Counts {
  const counts = zeroCounts();
  for (const q of questions) if (isReceived(q)) countQuestion(counts, q, today);
  return counts;
}

// ---- satisfaction (SIPAS) ---------------------------------------------------------------------------------------

export interface CriterionRow {
  criterionId: string;
  label: string;
  /** Answers given for this criterion. */
  count: number;
  /** Mean score, 2 decimals; null without answers. */
  average: number | null;
  /** Answers scoring 1, 2, 3, 4, 5 (index 0 = score 1). */
  distribution: [number, number, number, number, number];
  /** Not among the session's criteria any more (answers given before a change of criteria). */
  retired: boolean;
}

export interface Satisfaction {
  /** Forms with scores (one per participant; a resubmitted form replaces the earlier one). */
  responses: number;
  bySource: Record<Source, number>;
  criteria: CriterionRow[];
  /** Mean of all scores given, 2 decimals; null without answers. */
  overallAverage: number | null;
  comments: Array<{ text: string; source: Source; at: number }>;
  /** The procedures respondents used ("thủ tục đã thực hiện"), most used first; spellings differing only in case
   *  and spaces count as one (the first one is shown). */
  procedures: Array<{ name: string; count: number }>;
}

/** Rounds to 2 decimals, half away from zero, without binary-float surprises (2.675 → 2.68). */
export function round2(x: number): number {
  return Math.sign(x) * (Math.round(Math.abs(x) * 100 + 1e-9) / 100);
}

export function satisfaction(state: SessionState): Satisfaction {
  const responses = Object.values(state.surveys);
  const rows = new Map<string, CriterionRow>();
  const row = (id: string, label: string, retired: boolean): CriterionRow => ({
    criterionId: id,
    label,
    count: 0,
    average: null,
    distribution: [0, 0, 0, 0, 0],
    retired,
  });
  for (const c of state.criteria) rows.set(c.id, row(c.id, c.label, false));
  const sums = new Map<string, number>();
  let total = 0;
  let n = 0;
  const bySource: Record<Source, number> = { phone: 0, paper: 0 };
  const comments: Satisfaction['comments'] = [];
  const procedures = new Map<string, { name: string; count: number }>();
  for (const r of responses) {
    bySource[r.source]++;
    if (r.comment) comments.push({ text: r.comment, source: r.source, at: r.at });
    const used = r.procedure?.trim().replace(/\s+/g, ' ');
    if (used) {
      const key = used.toLocaleLowerCase('vi');
      const p = procedures.get(key) ?? { name: used, count: 0 };
      p.count++;
      procedures.set(key, p);
    }
    for (const [id, score] of Object.entries(r.answers)) {
      if (!Number.isInteger(score) || score < 1 || score > 5) continue;
      let c = rows.get(id);
      if (!c) {
        c = row(id, id, true);
        rows.set(id, c);
      }
      c.count++;
      c.distribution[score - 1] = (c.distribution[score - 1] ?? 0) + 1;
      sums.set(id, (sums.get(id) ?? 0) + score);
      total += score;
      n++;
    }
  }
  for (const c of rows.values())
    c.average = c.count > 0 ? round2((sums.get(c.criterionId) ?? 0) / c.count) : null;
  comments.sort((a, b) => a.at - b.at);
  return {
    responses: responses.length,
    bySource,
    criteria: [...rows.values()],
    overallAverage: n > 0 ? round2(total / n) : null,
    comments,
    procedures: [...procedures.values()].sort(
      (a, b) => b.count - a.count || a.name.localeCompare(b.name, 'vi'),
    ),
  };
}

// ---- every figure of a session ---------------------------------------------------------------------------------

export interface Figures extends Counts {
  /** Floor turns that ended. */
  speeches: number;
  /** Paper forms entered: participants who came on paper (participants − those who joined by phone). */
  formsCollected: number;
  /** Satisfaction forms received (phone and paper). */
  surveys: number;
  /** SIPAS scores by criterion; empty criteria rows in views that do not hold the forms (screen, phones). */
  satisfaction: Satisfaction;
}

/**
 * Every figure of a session, from its state or any audience's view of it. `today` (YYYY-MM-DD) judges overdue
 * written answers; without it nothing is overdue.
 */
export function sessionFigures(state: SessionState, today?: string): Figures {
  return {
    ...questionCounts(Object.values(state.questions), today),
    speeches: state.speeches.length,
    formsCollected: Math.max(0, state.participantCount - phonesJoined(state)),
    surveys: state.surveyCount,
    satisfaction: satisfaction(state),
  };
}
