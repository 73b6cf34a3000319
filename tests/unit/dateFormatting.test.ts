/**
 * One formatter for administrative dates and times (issue 14): every date on every surface and export goes through
 * shared/i18n/dates.ts ("ngày 15 tháng 12 năm 2026", "15/12/2026", "08 giờ 42"). No other module formats a date
 * with the platform's locale formatting, which printed "15 tháng 12, 2026", "30 thg 12, 2026" and "08:42 2/12/26"
 * side by side, in the device's time zone.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const THE_FORMATTER = 'shared/i18n/dates.ts';
/**
 * Minutes modules still converting to the formatter (the minutes surface and its DOCX); remove each line when its
 * module imports shared/i18n/dates.ts instead.
 */
const CONVERTING = new Set([
  'server/minutes/format.ts',
  'client/surfaces/minutes/format.ts',
  'client/surfaces/minutes/sideList.ts',
]);

/** What formats a date outside the formatter: locale formatting, svelte-i18n's $date/$time, a date or clock built by
 *  hand from its parts (calendar arithmetic such as the days of a month, getUTCDate(), is not formatting). */
const FORMATS_A_DATE =
  /toLocale(Date|Time)?String\(|Intl\.DateTimeFormat|\$(date|time)\(|\.get(UTC)?(FullYear|Hours|Minutes)\(\)/;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sources(path);
    return /\.(ts|svelte)$/.test(name) ? [path] : [];
  });
}

describe('date formatting', () => {
  const files = ['client', 'server', 'shared'].flatMap(sources);

  it('reads the sources of every surface and the server', () => {
    expect(files).toEqual(expect.arrayContaining([THE_FORMATTER, 'server/reports/tables.ts']));
    expect(files.length).toBeGreaterThan(100);
  });

  it('formats dates in shared/i18n/dates.ts only', () => {
    const offenders = files
      .filter((f) => f !== THE_FORMATTER && !CONVERTING.has(f))
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .map((line, i) => ({ line, at: `${f}:${i + 1}` }))
          .filter(({ line }) => FORMATS_A_DATE.test(line))
          .map(({ at, line }) => `${at}: ${line.trim()}`),
      );
    expect(offenders).toEqual([]);
  });

  it('has no second formatter module', () => {
    for (const gone of [
      'client/lib/format.ts',
      'client/surfaces/admin/format.ts',
      'server/reports/format.ts',
    ])
      expect(files, gone).not.toContain(gone);
  });

  it('catches what the old formatters did', () => {
    for (const line of [
      "new Intl.DateTimeFormat('vi-VN', { dateStyle: 'long' }).format(date)",
      'd.toLocaleDateString()',
      "{$date(dateOf(s.date), { format: 'medium' })}",
      '`${d.getFullYear()}-${pad(d.getMonth() + 1)}`',
    ])
      expect(FORMATS_A_DATE.test(line), line).toBe(true);
    expect(FORMATS_A_DATE.test("import { shortDate } from '../../shared/i18n/dates.ts';")).toBe(false);
  });
});
