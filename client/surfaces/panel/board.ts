/**
 * The question board's rules as pure functions: which tab a question is in, what a filter matches, the orders.
 * Kept apart from the components so they read as what the chair sees, and so they can be unit-tested.
 */
import type { Question } from '../../../shared/domain/types.ts';

/** The board's tabs, in the order of the work: review, publish, assign, answer; hidden things last. */
export const BOARD_TABS = ['new', 'published', 'assigned', 'answered', 'hidden'] as const;
export type BoardTab = (typeof BOARD_TABS)[number];
export const SORTS = ['votes', 'newest', 'oldest'] as const;
export type BoardSort = (typeof SORTS)[number];
/** A field id, or every field, or questions without a field. */
export type FieldFilter = 'all' | 'none' | (string & {});

export interface BoardQuery {
  tab: BoardTab;
  field: FieldFilter;
  text: string;
  sort: BoardSort;
}

export const isAssigned = (q: Question): boolean =>
  q.assignedFieldId !== undefined || q.assignedOfficialId !== undefined;

/** Pending questions stay under "new" even when assigned: they still need a decision before the hall sees them. */
export function tabOf(q: Question): BoardTab {
  switch (q.status) {
    case 'pending':
      return 'new';
    case 'published':
      return isAssigned(q) ? 'assigned' : 'published';
    case 'answered':
      return 'answered';
    case 'hidden':
    case 'merged':
    case 'withdrawn':
      return 'hidden';
  }
}

/** The field a question is answered in: the one it was assigned to, else the one the asker chose. */
export const fieldOf = (q: Question): string | undefined => q.assignedFieldId ?? q.fieldId;

/** Lower case without Vietnamese tone marks, so "dat dai" finds "đất đai" on a keyboard without them. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'd').toLowerCase();
}

export function matchesField(q: Question, field: FieldFilter): boolean {
  if (field === 'all') return true;
  const f = fieldOf(q);
  return field === 'none' ? f === undefined : f === field;
}

/** Every word of the search occurs in the question, its asker, its notes or its answer. */
export function matchesText(q: Question, text: string): boolean {
  const words = fold(text).split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const hay = fold(
    [q.text, q.authorName, q.authorOrganisation, q.staffNote, q.answer?.note, q.hiddenReason]
      .filter(Boolean)
      .join(' '),
  );
  return words.every((w) => hay.includes(w));
}

export function compare(sort: BoardSort): (a: Question, b: Question) => number {
  switch (sort) {
    case 'votes':
      return (a, b) => b.votes - a.votes || a.createdAt - b.createdAt;
    case 'newest':
      return (a, b) => b.createdAt - a.createdAt;
    case 'oldest':
      return (a, b) => a.createdAt - b.createdAt;
  }
}

export function countByTab(questions: readonly Question[]): Record<BoardTab, number> {
  const counts: Record<BoardTab, number> = { new: 0, published: 0, assigned: 0, answered: 0, hidden: 0 };
  for (const q of questions) counts[tabOf(q)]++;
  return counts;
}

/**
 * Questions likely to be duplicates of `q` first (most shared words), for the merge dialog. Only questions a
 * duplicate may go into: awaiting review, published or answered.
 */
export function mergeCandidates(q: Question, all: readonly Question[], text: string): Question[] {
  const words = new Set(
    fold(q.text)
      .split(/\W+/u)
      .filter((w) => w.length > 1),
  );
  const score = (other: Question) =>
    fold(other.text)
      .split(/\W+/u)
      .filter((w) => words.has(w)).length;
  return all
    .filter(
      (o) =>
        o.id !== q.id &&
        (o.status === 'pending' || o.status === 'published' || o.status === 'answered') &&
        matchesText(o, text),
    )
    .map((o) => ({ o, s: score(o) }))
    .sort((a, b) => b.s - a.s || b.o.votes - a.o.votes || a.o.createdAt - b.o.createdAt)
    .map((x) => x.o);
}

/** What a card's buttons ask the board to open (a dialog or a confirmation). */
export type CardAction = 'answer' | 'hide' | 'merge' | 'assign' | 'reopen' | 'note';
