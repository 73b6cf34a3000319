/**
 * The synthesis report (tổng hợp ý kiến) of a session, computed from its state — the fold of its event log — and
 * nothing else. Pure: no I/O, no clock (`today` is passed in). The admin surface runs it on the live state it folds
 * from the socket, the server on the stored state for exports, so the screen and the files show the same numbers.
 *
 * Counting rules (documented in the report's footnote too):
 * - a question counts under `assignedFieldId ?? fieldId`, or under "no field";
 * - received = every question but withdrawn ones (the asker took it back: it was never an opinion of the meeting);
 * - each received question is in exactly one outcome: answered at the meeting (answer.mode 'live'), in writing
 *   (answer.mode 'writing'; done once the written answer is in, overdue when not and the due date has passed),
 *   open (pending or published), merged into another question (answered with it), or not taken up (hidden) —
 *   so received = live + writing + open + merged + hidden, per field and in total;
 * - the report is invariant under the staff projection (projectState(state, staff)): anonymous questions count
 *   under "group not stated" whatever the server knows, so the panel's numbers and the exports agree.
 */
import type { ParticipantKind, Question, SessionState, SessionStatus, Source } from '../domain/types.ts';
import { PARTICIPANT_KINDS } from '../domain/roles.ts';

export type Outcome = 'live' | 'writing_done' | 'writing_pending' | 'open' | 'merged' | 'hidden';

export interface Counts {
  received: number;
  answeredLive: number;
  /** All questions to be answered in writing … */
  inWriting: number;
  /** … of which the written answer is in, */
  writtenDone: number;
  /** … of which it is still awaited, */
  writtenPending: number;
  /** … of which past their due date. */
  overdue: number;
  open: number;
  merged: number;
  hidden: number;
  /** Received before the meeting (session collecting opinions). */
  preMeeting: number;
  /** Received on a paper form. */
  paper: number;
  /** Carried over from an earlier session. */
  carried: number;
}

export interface FieldRow extends Counts {
  /** null: the question names no field. */
  fieldId: string | null;
  name: string;
  retired: boolean;
}

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
}

export type KindCounts = Record<ParticipantKind, number>;

export interface GroupRow {
  /** Residential group 1…N; null: not stated. */
  group: number | null;
  participants: number;
  byKind: KindCounts;
  bySource: Record<Source, number>;
  /** Questions received from the group (anonymous ones count as not stated). */
  questions: number;
}

export interface Participation {
  participants: number;
  byKind: KindCounts;
  bySource: Record<Source, number>;
  /** Groups 1…N of the session always, then any other group met, then "not stated" when non-zero. */
  byGroup: GroupRow[];
  /** Groups with at least one participant, of the session's N. */
  groupsRepresented: number;
  speeches: number;
}

export interface QuestionRow {
  /** 1-based, in the order received. */
  number: number;
  id: string;
  createdAt: number;
  text: string;
  fieldId: string | null;
  fieldName: string;
  outcome: Outcome;
  status: Question['status'];
  anonymous: boolean;
  authorName?: string;
  authorGroup?: number;
  authorOrganisation?: string;
  source: Source;
  preMeeting: boolean;
  votes: number;
  assignedOfficial?: string;
  answerNote?: string;
  answeredBy?: string;
  answeredAt?: number;
  dueDate?: string;
  overdue: boolean;
  writtenText?: string;
  writtenBy?: string;
  writtenAt?: number;
  /** Number of the question it was merged into. */
  mergedInto?: number;
  hiddenReason?: string;
  carriedFrom?: string;
}

export interface ReportMeta {
  sessionId: string;
  title: string;
  date: string;
  startTime: string;
  venue: string;
  wardName: string;
  parentBody?: string;
  place?: string;
  status: SessionStatus;
  /** The session is closed: the numbers will not change (written answers aside). */
  final: boolean;
  /** The log position the report was computed at. */
  seq: number;
  /** The day overdue was judged against (YYYY-MM-DD). */
  today: string;
  groups: number;
}

export interface Report {
  meta: ReportMeta;
  byField: FieldRow[];
  totals: Counts;
  satisfaction: Satisfaction;
  participation: Participation;
  questions: QuestionRow[];
  /** Withdrawn by their askers (not counted as received). */
  withdrawn: number;
}

export interface ReportOptions {
  /** YYYY-MM-DD: written answers due before this day and not given are overdue. */
  today: string;
}

const zeroCounts = (): Counts => ({
  received: 0,
  answeredLive: 0,
  inWriting: 0,
  writtenDone: 0,
  writtenPending: 0,
  overdue: 0,
  open: 0,
  merged: 0,
  hidden: 0,
  preMeeting: 0,
  paper: 0,
  carried: 0,
});

const zeroKinds = (): KindCounts => Object.fromEntries(PARTICIPANT_KINDS.map((k) => [k, 0])) as KindCounts;

/** Rounds to 2 decimals, half away from zero, without binary-float surprises (2.675 → 2.68). */
export function round2(x: number): number {
  return Math.sign(x) * (Math.round(Math.abs(x) * 100 + 1e-9) / 100);
}

/** The field a question counts under. */
export const reportFieldId = (q: Question): string | null => q.assignedFieldId ?? q.fieldId ?? null;

/** Where a (not withdrawn) question stands. */
export function outcomeOf(q: Question): Outcome {
  switch (q.status) {
    case 'answered':
      if (q.answer?.mode === 'writing') return q.answer.written ? 'writing_done' : 'writing_pending';
      return 'live';
    case 'merged':
      return 'merged';
    case 'hidden':
      return 'hidden';
    default:
      return 'open';
  }
}

/** A written answer promised and not given by its due date. */
export const isOverdue = (q: Question, today: string): boolean =>
  q.status === 'answered' &&
  q.answer?.mode === 'writing' &&
  !q.answer.written &&
  q.answer.dueDate !== undefined &&
  q.answer.dueDate < today;

function count(into: Counts, q: Question, today: string): void {
  into.received++;
  switch (outcomeOf(q)) {
    case 'live':
      into.answeredLive++;
      break;
    case 'writing_done':
      into.inWriting++;
      into.writtenDone++;
      break;
    case 'writing_pending':
      into.inWriting++;
      into.writtenPending++;
      if (isOverdue(q, today)) into.overdue++;
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
  if (q.preMeeting) into.preMeeting++;
  if (q.source === 'paper') into.paper++;
  if (q.carriedFrom) into.carried++;
}

/** Questions in the order received (createdAt, then id for a stable order within one command). */
export function receivedQuestions(state: SessionState): Question[] {
  // Insertion order of the map is the order of the log: the tie-break for questions of one command.
  const all = Object.values(state.questions);
  const order = new Map(all.map((q, i) => [q.id, i]));
  return all
    .filter((q) => q.status !== 'withdrawn')
    .sort((a, b) => a.createdAt - b.createdAt || (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
}

function byField(state: SessionState, questions: Question[], today: string): FieldRow[] {
  const rows = new Map<string | null, FieldRow>();
  for (const f of state.fields)
    rows.set(f.id, { fieldId: f.id, name: f.name, retired: f.retired === true, ...zeroCounts() });
  for (const q of questions) {
    const id = reportFieldId(q);
    let row = rows.get(id);
    if (!row) {
      // A field the session does not know (should not happen) or no field: a row of its own.
      row = { fieldId: id, name: id ?? '', retired: id !== null, ...zeroCounts() };
      rows.set(id, row);
    }
    count(row, q, today);
  }
  // Retired fields without questions have nothing to report.
  return [...rows.values()].filter((r) => !r.retired || r.received > 0);
}

function satisfaction(state: SessionState): Satisfaction {
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
  for (const r of responses) {
    bySource[r.source]++;
    if (r.comment) comments.push({ text: r.comment, source: r.source, at: r.at });
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
  };
}

function participation(state: SessionState, questions: Question[]): Participation {
  const groups = new Map<number | null, GroupRow>();
  const group = (g: number | null): GroupRow => {
    let row = groups.get(g);
    if (!row) {
      row = {
        group: g,
        participants: 0,
        byKind: zeroKinds(),
        bySource: { phone: 0, paper: 0 },
        questions: 0,
      };
      groups.set(g, row);
    }
    return row;
  };
  for (let g = 1; g <= state.groups; g++) group(g);
  const byKind = zeroKinds();
  const bySource: Record<Source, number> = { phone: 0, paper: 0 };
  const participants = Object.values(state.participants);
  for (const p of participants) {
    byKind[p.kind]++;
    bySource[p.source]++;
    const row = group(p.group ?? null);
    row.participants++;
    row.byKind[p.kind]++;
    row.bySource[p.source]++;
  }
  for (const q of questions) group(q.anonymous ? null : (q.authorGroup ?? null)).questions++;
  const none = groups.get(null);
  if (none && none.participants === 0 && none.questions === 0) groups.delete(null);
  const byGroup = [...groups.values()].sort((a, b) =>
    a.group === null ? 1 : b.group === null ? -1 : a.group - b.group,
  );
  return {
    // Staff see every participant; participantCount also covers attendees of views that do not.
    participants: Math.max(participants.length, state.participantCount),
    byKind,
    bySource,
    byGroup,
    groupsRepresented: byGroup.filter(
      (g) => g.group !== null && g.group <= state.groups && g.participants > 0,
    ).length,
    speeches: state.speeches.length,
  };
}

function questionRows(state: SessionState, questions: Question[], today: string): QuestionRow[] {
  const numbers = new Map(questions.map((q, i) => [q.id, i + 1]));
  const fieldNames = new Map(state.fields.map((f) => [f.id, f.name]));
  const officials = new Map(state.officials.map((o) => [o.id, o.name]));
  return questions.map((q, i) => {
    const fieldId = reportFieldId(q);
    const a = q.answer;
    const named = !q.anonymous;
    const mergedInto = q.mergedInto !== undefined ? numbers.get(q.mergedInto) : undefined;
    const official = q.assignedOfficialId !== undefined ? officials.get(q.assignedOfficialId) : undefined;
    return {
      number: i + 1,
      id: q.id,
      createdAt: q.createdAt,
      text: q.text,
      fieldId,
      fieldName: fieldId === null ? '' : (fieldNames.get(fieldId) ?? fieldId),
      outcome: outcomeOf(q),
      status: q.status,
      anonymous: q.anonymous,
      ...(named && q.authorName !== undefined ? { authorName: q.authorName } : {}),
      ...(named && q.authorGroup !== undefined ? { authorGroup: q.authorGroup } : {}),
      ...(named && q.authorOrganisation !== undefined ? { authorOrganisation: q.authorOrganisation } : {}),
      source: q.source,
      preMeeting: q.preMeeting,
      votes: q.votes,
      ...(official !== undefined ? { assignedOfficial: official } : {}),
      ...(a?.note ? { answerNote: a.note } : {}),
      ...(a ? { answeredBy: a.by.name ?? a.by.role, answeredAt: a.at } : {}),
      ...(a?.dueDate !== undefined ? { dueDate: a.dueDate } : {}),
      overdue: isOverdue(q, today),
      ...(a?.written
        ? {
            writtenText: a.written.text,
            writtenBy: a.written.by.name ?? a.written.by.role,
            writtenAt: a.written.at,
          }
        : {}),
      ...(mergedInto !== undefined ? { mergedInto } : {}),
      ...(q.hiddenReason !== undefined ? { hiddenReason: q.hiddenReason } : {}),
      ...(q.carriedFrom ? { carriedFrom: q.carriedFrom.sessionTitle ?? q.carriedFrom.sessionId } : {}),
    };
  });
}

export function buildReport(state: SessionState, options: ReportOptions): Report {
  const questions = receivedQuestions(state);
  const totals = zeroCounts();
  for (const q of questions) count(totals, q, options.today);
  return {
    meta: {
      sessionId: state.id,
      title: state.title,
      date: state.date,
      startTime: state.startTime,
      venue: state.venue,
      wardName: state.wardName,
      ...(state.parentBody !== undefined ? { parentBody: state.parentBody } : {}),
      ...(state.place !== undefined ? { place: state.place } : {}),
      status: state.status,
      final: state.status === 'closed',
      seq: state.seq,
      today: options.today,
      groups: state.groups,
    },
    byField: byField(state, questions, options.today),
    totals,
    satisfaction: satisfaction(state),
    participation: participation(state, questions),
    questions: questionRows(state, questions, options.today),
    withdrawn: Object.values(state.questions).filter((q) => q.status === 'withdrawn').length,
  };
}
