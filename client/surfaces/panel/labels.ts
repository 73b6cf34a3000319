/** Small naming rules shared by the panel's components: who asked, which field, which official. */
import type { Hand, Question, SessionState } from '../../../shared/domain/types.ts';
import { fieldName } from '../../../shared/domain/state.ts';
import { fieldOf } from './board.ts';

/** The asker's name, or undefined for "anonymous resident" (anonymous, or no name given). */
export const askerName = (q: Question): string | undefined => (q.anonymous ? undefined : q.authorName);

/** A hand's name, or undefined for "anonymous resident". */
export const handName = (h: Pick<Hand, 'name'>): string | undefined => h.name?.trim() || undefined;

export const questionField = (state: SessionState, q: Question): string | undefined =>
  fieldName(state, fieldOf(q));

export function officialLabel(state: SessionState, officialId: string | undefined): string | undefined {
  const o = officialId ? state.officials.find((x) => x.id === officialId) : undefined;
  if (!o) return undefined;
  return o.title ? `${o.name} (${o.title})` : o.name;
}

/** A date YYYY-MM-DD `days` from today on this device's calendar. */
export function isoDateFromToday(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** "2025-11-20" → a Date at local noon (formatting it never slips to the day before). */
export const dateOf = (iso: string): Date => new Date(`${iso}T12:00:00`);
