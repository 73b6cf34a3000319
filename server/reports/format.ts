/**
 * Dates and times in exports: wall-clock time of the ward (Asia/Ho_Chi_Minh unless TIME_ZONE says otherwise), as
 * text a spreadsheet shows as is. "Today" for overdue judgements is the ward's day too, not the server's UTC one.
 */
const zone = (): string => process.env.TIME_ZONE ?? 'Asia/Ho_Chi_Minh';

function parts(ms: number): Record<string, string> {
  const fmt = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone(),
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  return Object.fromEntries(fmt.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
}

/** YYYY-MM-DD HH:mm (with :ss when `seconds`). */
export function formatTime(ms: number | undefined, seconds = false): string {
  if (ms === undefined) return '';
  const p = parts(ms);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}${seconds ? `:${p.second}` : ''}`;
}

/** The ward's date today, YYYY-MM-DD. */
export function wardToday(now = Date.now()): string {
  const p = parts(now);
  return `${p.year}-${p.month}-${p.day}`;
}

/** `?today=YYYY-MM-DD` when valid (tests, reports "as of" a day), else the ward's today. */
export const todayFrom = (value: unknown): string =>
  typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : wardToday();
