/**
 * Dates and times as the ward writes them, for every surface and export (one formatter, so the phone, the panel,
 * the report and the minutes never disagree): "ngày 15 tháng 12 năm 2026" in running text, "15/12/2026" in tables,
 * "08 giờ 42" for a time of day. English reads "15 December 2026", "15/12/2026", "08:42".
 *
 * Session dates are calendar dates ("YYYY-MM-DD") and start times wall-clock times ("HH:mm"): no time zone. Instants
 * (event times, ms) are shown in the ward's time zone (Asia/Ho_Chi_Minh unless given), not the device's or the
 * server's, so a laptop set to UTC prints the meeting's own clock.
 */
export type DateLanguage = 'vi' | 'en';
export const WARD_TIME_ZONE = 'Asia/Ho_Chi_Minh';

/** The formatter's language for a UI locale ("en" is English, anything else the default Vietnamese). */
export const dateLanguage = (locale: string | null | undefined): DateLanguage =>
  locale === 'en' ? 'en' : 'vi';

const BLANK = '…';
const MONTHS_EN = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

export interface DateParts {
  year: number;
  month: number;
  day: number;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "2026-12-15" → its parts; null for anything else, including dates that do not exist (2026-02-31). */
export function parseIsoDate(iso: string | undefined): DateParts | null {
  const m = iso ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso) : null;
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day)
    return null;
  return { year, month, day };
}

/**
 * "ngày 05 tháng 02 năm 2026" (Nghị định 30/2020: a day below 10 and the months January and February with a leading
 * zero, so nobody can add a digit in front; other months without) / "5 February 2026". Blanks to fill in by hand
 * when the date is unknown.
 */
export function longDate(iso: string | undefined, lang: DateLanguage = 'vi'): string {
  const p = parseIsoDate(iso);
  if (lang === 'en') return p ? `${p.day} ${MONTHS_EN[p.month - 1]} ${p.year}` : BLANK;
  if (!p) return `ngày ${BLANK} tháng ${BLANK} năm ${BLANK}`;
  return `ngày ${pad(p.day)} tháng ${p.month <= 2 ? pad(p.month) : p.month} năm ${p.year}`;
}

const WEEKDAYS_VI = ['Chủ nhật', 'thứ Hai', 'thứ Ba', 'thứ Tư', 'thứ Năm', 'thứ Sáu', 'thứ Bảy'];
const WEEKDAYS_EN = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** "thứ Ba" / "Tuesday": the day of the week of a calendar date; empty when it is not one. */
export function weekday(iso: string | undefined, lang: DateLanguage = 'vi'): string {
  const p = parseIsoDate(iso);
  if (!p) return '';
  const day = new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay();
  return (lang === 'vi' ? WEEKDAYS_VI : WEEKDAYS_EN)[day]!;
}

/** "thứ Ba, ngày 15 tháng 12 năm 2026" / "Tuesday 15 December 2026": a meeting day as an invitation writes it. */
export function weekdayDate(iso: string | undefined, lang: DateLanguage = 'vi'): string {
  const day = weekday(iso, lang);
  if (!day) return longDate(iso, lang);
  return lang === 'vi' ? `${day}, ${longDate(iso, lang)}` : `${day} ${longDate(iso, lang)}`;
}

/** "Kiến Hưng, ngày 15 tháng 6 năm 2020": the place and date line of a document (Nghị định 30/2020). */
export function placeAndDate(
  place: string | undefined,
  iso: string | undefined,
  lang: DateLanguage = 'vi',
): string {
  return `${place?.trim() || BLANK}, ${longDate(iso, lang)}`;
}

/** "15/12/2026", for tables and lists (both languages); the input as given when it is not a date. */
export function shortDate(iso: string | undefined): string {
  const p = parseIsoDate(iso);
  return p ? `${pad(p.day)}/${pad(p.month)}/${p.year}` : (iso ?? '');
}

/** "08 giờ 42" / "08:42" from "8:42" or "08:42"; blanks when unknown. */
export function clockTime(hhmm: string | undefined, lang: DateLanguage = 'vi'): string {
  const m = hhmm ? /^(\d{1,2}):(\d{2})$/.exec(hhmm) : null;
  if (!m) return lang === 'vi' ? `${BLANK} giờ ${BLANK}` : BLANK;
  const h = pad(Number(m[1]));
  return lang === 'vi' ? `${h} giờ ${m[2]}` : `${h}:${m[2]}`;
}

/** "08 giờ 42, ngày 15 tháng 12 năm 2026" / "08:42, 15 December 2026": when a meeting starts, in words. */
export function dateAndTime(
  iso: string | undefined,
  hhmm: string | undefined,
  lang: DateLanguage = 'vi',
): string {
  return `${clockTime(hhmm, lang)}, ${longDate(iso, lang)}`;
}

/**
 * When a meeting is held, as an invitation says it: "08 giờ 00, thứ Ba, ngày 15 tháng 12 năm 2026" /
 * "08:00, Tuesday 15 December 2026" (the giấy mời puts "Vào hồi" in front).
 */
export function meetingMoment(
  iso: string | undefined,
  hhmm: string | undefined,
  lang: DateLanguage = 'vi',
): string {
  return `${clockTime(hhmm, lang)}, ${weekdayDate(iso, lang)}`;
}

// ---- instants (ms since the epoch), in the ward's time zone ----------------------------------------------------

const zoned = new Map<string, Intl.DateTimeFormat>();
function partsAt(ms: number, zone: string): Record<string, string> {
  let fmt = zoned.get(zone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    zoned.set(zone, fmt);
  }
  return Object.fromEntries(fmt.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
}

/** The ward's calendar date of an instant, "YYYY-MM-DD". */
export function isoDateAt(ms: number, zone = WARD_TIME_ZONE): string {
  const p = partsAt(ms, zone);
  return `${p.year}-${p.month}-${p.day}`;
}

/** The ward's clock at an instant, "HH:mm" (with ":ss" when `seconds`). */
export function hhmmAt(ms: number, zone = WARD_TIME_ZONE, seconds = false): string {
  const p = partsAt(ms, zone);
  return `${p.hour}:${p.minute}${seconds ? `:${p.second}` : ''}`;
}

/** The ward's calendar date today, "YYYY-MM-DD" (what "overdue" and "today" are judged against). */
export const wardToday = (now = Date.now(), zone = WARD_TIME_ZONE): string => isoDateAt(now, zone);

/** "08 giờ 42" / "08:42": the ward's clock at an instant, in words. */
export const clockAt = (ms: number, lang: DateLanguage = 'vi', zone = WARD_TIME_ZONE): string =>
  clockTime(hhmmAt(ms, zone), lang);

/** "15/12/2026" for an instant: the ward's date of it, in a table or a list. */
export const shortDateAt = (ms: number | undefined, zone = WARD_TIME_ZONE): string =>
  ms === undefined ? '' : shortDate(isoDateAt(ms, zone));

/** "15/12/2026 08:42" (":ss" when `seconds`): an instant in a table or a list; empty when there is none. */
export function shortMoment(ms: number | undefined, zone = WARD_TIME_ZONE, seconds = false): string {
  return ms === undefined ? '' : `${shortDate(isoDateAt(ms, zone))} ${hhmmAt(ms, zone, seconds)}`;
}

/** "08 giờ 42, ngày 15 tháng 12 năm 2026": an instant in running text. */
export function longMoment(ms: number, lang: DateLanguage = 'vi', zone = WARD_TIME_ZONE): string {
  return dateAndTime(isoDateAt(ms, zone), hhmmAt(ms, zone), lang);
}
