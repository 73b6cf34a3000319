/**
 * The title of the next dialogue, numbered the way the ward numbers them ("Hội nghị đối thoại … lần 2 năm 2026", then
 * "… lần 1 năm 2027"): carry-over must not give two sessions one name (issue 13, finding 9). Pure.
 */

const COUNTED = /lần\s+(\d+)(\s+năm\s+(\d{4}))?/iu;
const YEAR_ONLY = /\s*năm\s+(\d{4})\s*$/iu;

/**
 * `title` and `fromDate` (YYYY-MM-DD) of the session carried from; `date` of the new one. A title counting the
 * dialogues of a year counts on, and starts at 1 in a new year; one counting without a year counts on; any other
 * title gets the count, second when both fall in one year.
 */
export function nextSessionTitle(title: string, fromDate: string, date: string): string {
  const year = date.slice(0, 4);
  const sameYear = fromDate.slice(0, 4) === year;
  const trimmed = title.trim();
  const counted = COUNTED.exec(trimmed);
  if (counted) {
    const n = Number(counted[1]);
    const next =
      counted[3] === undefined
        ? `lần ${n + 1}`
        : counted[3] === year
          ? `lần ${n + 1} năm ${year}`
          : `lần 1 năm ${year}`;
    return trimmed.replace(COUNTED, next);
  }
  const base = trimmed.replace(YEAR_ONLY, '');
  return `${base} lần ${sameYear ? 2 : 1} năm ${year}`;
}
