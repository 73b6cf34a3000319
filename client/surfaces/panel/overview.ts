/** The live overview's numbers, as pure functions of the staff view of the session. */
import type { ParticipantKind, QuestionStatus, SessionState } from '../../../shared/domain/types.ts';
import { sessionFigures, type Figures } from '../../../shared/report/figures.ts';
import { buildReport } from '../../../shared/report/report.ts';
import { wardToday } from '../../../shared/i18n/dates.ts';

export const KINDS: readonly ParticipantKind[] = ['resident', 'business', 'delegate', 'staff'];
export const STATUSES: readonly QuestionStatus[] = [
  'pending',
  'published',
  'answered',
  'hidden',
  'merged',
  'withdrawn',
];
export const SCORES = [1, 2, 3, 4, 5] as const;

export function presentByKind(state: SessionState): Record<ParticipantKind, number> {
  const counts: Record<ParticipantKind, number> = { resident: 0, business: 0, delegate: 0, staff: 0 };
  for (const p of Object.values(state.participants)) counts[p.kind]++;
  return counts;
}

/** People per residential group (1…groups), then those who gave none. */
export function presentByGroup(state: SessionState): { groups: number[]; none: number } {
  const groups = Array.from({ length: state.groups }, () => 0);
  let none = 0;
  for (const p of Object.values(state.participants)) {
    if (p.group !== undefined && p.group >= 1 && p.group <= state.groups) groups[p.group - 1]!++;
    else none++;
  }
  return { groups, none };
}

export function questionsByStatus(state: SessionState): Record<QuestionStatus, number> {
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<QuestionStatus, number>;
  for (const q of Object.values(state.questions)) counts[q.status]++;
  return counts;
}

/** The figures of shared/report/figures.ts: the same numbers as the screen, the phones, the minutes and the report. */
export const questionFigures = (state: SessionState): Figures => sessionFigures(state);

export interface FieldRow {
  fieldId: string | undefined;
  name: string | undefined;
  /** Opinions (received − merged − hidden). */
  total: number;
  /** Answered at the meeting. */
  answered: number;
  /** Promised in writing. */
  writing: number;
  /** Recommended to a higher authority. */
  upward: number;
  /** Outside the ward's remit. */
  outside: number;
  open: number;
}

/** The ward's date today (the report's "today" for overdue answers; the panel shows no overdue figure). */
const today = (): string => wardToday();

/**
 * Per field, from the same `buildReport` the office exports use, so the panel and the synthesis report agree:
 * opinions, answered at the meeting, promised in writing, still open.
 */
export function questionsByField(state: SessionState): FieldRow[] {
  return buildReport(state, { today: today() })
    .byField.filter((r) => r.received > 0 || !r.retired)
    .map((r) => ({
      fieldId: r.fieldId ?? undefined,
      name: r.fieldId === null ? undefined : r.name,
      total: r.opinions,
      answered: r.answeredLive,
      writing: r.inWriting,
      upward: r.upward,
      outside: r.outside,
      open: r.open,
    }));
}

export interface CriterionRow {
  criterionId: string;
  label: string;
  responses: number;
  /** Mean score 1–5 (2 decimals, as in the report), undefined without responses. */
  average: number | undefined;
  /** Number of answers per score, index 0 = score 1. */
  distribution: number[];
}

export function satisfaction(state: SessionState): CriterionRow[] {
  return buildReport(state, { today: today() })
    .satisfaction.criteria.filter((c) => !c.retired)
    .map((c) => ({
      criterionId: c.criterionId,
      label: c.label,
      responses: c.count,
      average: c.average ?? undefined,
      distribution: [...c.distribution],
    }));
}
