/**
 * The synthesis report (tổng hợp ý kiến) of a session, computed from its state — the fold of its event log — and
 * nothing else. Pure: no I/O, no clock (`today` is passed in). The admin surface runs it on the live state it folds
 * from the socket, the server on the stored state for exports, so the screen and the files show the same numbers.
 *
 * Counting rules (documented in the report's footnote too):
 * - a question counts under `assignedFieldId ?? fieldId`, or under "no field";
 * - received = every question but withdrawn ones (the asker took it back: it was never an opinion of the meeting);
 * - each received question is in exactly one outcome (shared/report/figures.ts): answered at the meeting, in
 *   writing (done once the written answer is in, overdue when not and the due date has passed), recommended
 *   upward, outside the remit, open (pending or published), merged into another question (answered with it), or
 *   not taken up (hidden) — so received = live + writing + upward + outside + open + merged + hidden, per field
 *   and in total;
 * - the report is invariant under the staff projection (projectState(state, staff)): anonymous questions count
 *   under "group not stated" whatever the server knows, so the panel's numbers and the exports agree.
 */
import type { Attendance } from './attendance.ts';
import type {
  ParticipantKind,
  Question,
  QuestionSource,
  SessionState,
  SessionStatus,
  Source,
} from '../domain/types.ts';
import { PARTICIPANT_KINDS } from '../domain/roles.ts';
import { answererName } from '../domain/state.ts';
import {
  countQuestion as count,
  isOverdue,
  isReceived,
  outcomeOf,
  sessionFigures,
  zeroCounts,
  type Counts,
  type Figures,
  type Outcome,
  type Satisfaction,
} from './figures.ts';

export {
  isOverdue,
  outcomeOf,
  round2,
  type Counts,
  type CriterionRow,
  type Figures,
  type Outcome,
  type Satisfaction,
} from './figures.ts';
import { paperFormsTally, type PaperFormsTally } from './paperForms.ts';

export interface FieldRow extends Counts {
  /** null: the question names no field. */
  fieldId: string | null;
  name: string;
  retired: boolean;
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
  source: QuestionSource;
  preMeeting: boolean;
  votes: number;
  assignedOfficial?: string;
  answerNote?: string;
  answeredBy?: string;
  answeredAt?: number;
  dueDate?: string;
  /** Recommended upward: the authority. */
  authority?: string;
  /** Outside the remit: why. */
  outsideReason?: string;
  overdue: boolean;
  writtenText?: string;
  writtenBy?: string;
  writtenAt?: number;
  /** Number of the question it was merged into. */
  mergedInto?: number;
  hiddenReason?: string;
  /** Carried over from an earlier session: its title, and the opinion's number in that session's list. */
  carriedFrom?: string;
  carriedFromNumber?: number;
  /** Carried over to a later session (this is the earlier one): its title and the opinion's number there. */
  carriedTo?: string;
  carriedToNumber?: number;
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
  /** Every figure of the session (shared/report/figures.ts): the totals, speeches, forms, satisfaction. */
  figures: Figures;
  satisfaction: Satisfaction;
  participation: Participation;
  questions: QuestionRow[];
  /** Withdrawn by their askers (not counted as received). */
  withdrawn: number;
  /** Paper forms handed out and collected, per residential group and organisation. */
  paperForms: PaperFormsTally;
  /**
   * Attendance against invitations (shared/report/attendance.ts), the panel's figures: added by the server from the
   * invitee list, which lives outside the log; absent when nobody was invited.
   */
  attendance?: Attendance;
}

export interface ReportOptions {
  /** YYYY-MM-DD: written answers due before this day and not given are overdue. */
  today: string;
}

const zeroKinds = (): KindCounts => Object.fromEntries(PARTICIPANT_KINDS.map((k) => [k, 0])) as KindCounts;

/** The field a question counts under. */
export const reportFieldId = (q: Question): string | null => q.assignedFieldId ?? q.fieldId ?? null;

/** Questions in the order received (createdAt, then id for a stable order within one command). */
export function receivedQuestions(state: SessionState): Question[] {
  // Insertion order of the map is the order of the log: the tie-break for questions of one command.
  const all = Object.values(state.questions);
  const order = new Map(all.map((q, i) => [q.id, i]));
  return all
    .filter(isReceived)
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
      ...(a ? { answeredBy: answererName(a), answeredAt: a.at } : {}),
      ...(a?.dueDate !== undefined ? { dueDate: a.dueDate } : {}),
      ...(a?.authority !== undefined ? { authority: a.authority } : {}),
      ...(a?.reason !== undefined ? { outsideReason: a.reason } : {}),
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
      ...(q.carriedFrom?.number !== undefined ? { carriedFromNumber: q.carriedFrom.number } : {}),
      ...(q.carriedTo ? { carriedTo: q.carriedTo.sessionTitle } : {}),
      ...(q.carriedTo?.number !== undefined ? { carriedToNumber: q.carriedTo.number } : {}),
    };
  });
}

export function buildReport(state: SessionState, options: ReportOptions): Report {
  const questions = receivedQuestions(state);
  const figures = sessionFigures(state, options.today);
  const { speeches: _s, formsCollected: _f, surveys: _v, satisfaction: _sat, ...totals } = figures;
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
    figures,
    satisfaction: figures.satisfaction,
    participation: participation(state, questions),
    questions: questionRows(state, questions, options.today),
    withdrawn: Object.values(state.questions).filter((q) => q.status === 'withdrawn').length,
    paperForms: paperFormsTally(state),
  };
}
