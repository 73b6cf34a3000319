/**
 * The ward's clock on the server: "today" for overdue judgements and new meetings is the ward's day
 * (Asia/Ho_Chi_Minh unless TIME_ZONE says otherwise), not the server's UTC one. Formatting itself is
 * shared/i18n/dates.ts, the one formatter of every surface and export.
 */
import { isCalendarDate } from '../../shared/domain/calendar.ts';
import { WARD_TIME_ZONE, shortMoment, wardToday as wardTodayIn } from '../../shared/i18n/dates.ts';

/** The ward's time zone: TIME_ZONE, else Asia/Ho_Chi_Minh. */
export const wardZone = (): string => process.env.TIME_ZONE ?? WARD_TIME_ZONE;

/** "15/12/2026 08:42" (":ss" when `seconds`) on the ward's clock: an instant in an export. */
export const exportMoment = (ms: number | undefined, seconds = false): string =>
  shortMoment(ms, wardZone(), seconds);

/** The ward's date today, YYYY-MM-DD. */
export const wardToday = (now = Date.now()): string => wardTodayIn(now, wardZone());

/** `?today=YYYY-MM-DD` when valid (tests, reports "as of" a day), else the ward's today. */
export const todayFrom = (value: unknown): string =>
  typeof value === 'string' && isCalendarDate(value) ? value : wardToday();
