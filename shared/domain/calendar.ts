/** Calendar dates as the protocol writes them (YYYY-MM-DD): a pattern is not enough, 2024-02-30 does not exist. */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real day of the Gregorian calendar, years 1000–9999, written YYYY-MM-DD. */
export function isCalendarDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1000 || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}
