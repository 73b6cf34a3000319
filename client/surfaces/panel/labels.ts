/** Small naming rules shared by the panel's components: who asked, which field, which official. */
import type { Hand, Question, SessionState } from '../../../shared/domain/types.ts';
import { fieldName } from '../../../shared/domain/state.ts';
import { fieldOf } from './board.ts';
import { wardToday } from '../../../shared/i18n/dates.ts';

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

/** A date YYYY-MM-DD `days` from the ward's today (Việt Nam keeps no daylight saving: a day is 24 hours). */
export const isoDateFromToday = (days: number): string => wardToday(Date.now() + days * 86_400_000);
