/** The live overview's numbers, as pure functions of the staff view of the session. */
import type { ParticipantKind, QuestionStatus, SessionState } from '../../../shared/domain/types.ts';
import { fieldOf } from './board.ts';

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

export interface FieldRow {
  fieldId: string | undefined;
  name: string | undefined;
  total: number;
  answered: number;
  open: number;
}

/** Questions that count (not hidden, merged or withdrawn) per field, with how many are answered. */
export function questionsByField(state: SessionState): FieldRow[] {
  const rows = new Map<string | undefined, FieldRow>();
  for (const f of state.fields)
    rows.set(f.id, { fieldId: f.id, name: f.name, total: 0, answered: 0, open: 0 });
  for (const q of Object.values(state.questions)) {
    if (q.status === 'hidden' || q.status === 'merged' || q.status === 'withdrawn') continue;
    const id = fieldOf(q);
    let row = rows.get(id);
    if (!row) {
      row = { fieldId: id, name: undefined, total: 0, answered: 0, open: 0 };
      rows.set(id, row);
    }
    row.total++;
    if (q.status === 'answered') row.answered++;
    else row.open++;
  }
  return [...rows.values()].filter(
    (r) => r.total > 0 || !state.fields.find((f) => f.id === r.fieldId)?.retired,
  );
}

export interface CriterionRow {
  criterionId: string;
  label: string;
  responses: number;
  /** Mean score 1–5, undefined without responses. */
  average: number | undefined;
  /** Number of answers per score, index 0 = score 1. */
  distribution: number[];
}

export function satisfaction(state: SessionState): CriterionRow[] {
  const responses = Object.values(state.surveys);
  return state.criteria.map((c) => {
    const distribution = [0, 0, 0, 0, 0];
    let sum = 0;
    let n = 0;
    for (const r of responses) {
      const score = r.answers[c.id];
      if (score === undefined || score < 1 || score > 5) continue;
      distribution[score - 1]!++;
      sum += score;
      n++;
    }
    return {
      criterionId: c.id,
      label: c.label,
      responses: n,
      average: n > 0 ? sum / n : undefined,
      distribution,
    };
  });
}
