/**
 * Times and dates the minutes page shows, through the one formatter (shared/i18n/dates.ts), on the ward's clock
 * (the meeting's, not the laptop's).
 */
import { clockAt, hhmmAt, shortDate, shortDateAt } from '../../../shared/i18n/dates.ts';
import type { DateLanguage } from '../../../shared/i18n/dates.ts';

/** `at` (ms) → { time: "10 giờ 42" (English "10:42"), date: "30/06/2025" }. */
export function approvalWhen(at: number, lang: DateLanguage): { time: string; date: string } {
  return { time: clockAt(at, lang), date: shortDateAt(at) };
}

/** "09:15–09:18": a speech in the side list. */
export const clockRange = (from: number, to: number): string => `${hhmmAt(from)}–${hhmmAt(to)}`;

export { shortDate };
