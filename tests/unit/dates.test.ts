/** The one formatter of administrative dates and times (shared/i18n/dates.ts). */
import { describe, expect, it } from 'vitest';
import {
  clockAt,
  clockTime,
  dateLanguage,
  placeAndDate,
  shortDateAt,
  wardToday,
  weekdayDate,
  dateAndTime,
  hhmmAt,
  isoDateAt,
  longDate,
  longMoment,
  meetingMoment,
  parseIsoDate,
  shortDate,
  shortMoment,
  weekday,
} from '../../shared/i18n/dates.ts';

// 2026-12-15 01:42:05 UTC = 08:42:05 in Hà Nội.
const AT = Date.UTC(2026, 11, 15, 1, 42, 5);

describe('administrative dates', () => {
  it('writes a date in running text as the decree does ("ngày 15 tháng 12 năm 2026")', () => {
    expect(longDate('2026-12-15')).toBe('ngày 15 tháng 12 năm 2026');
    // Days below 10 and the months January and February take a leading zero; other months do not.
    expect(longDate('2026-02-05')).toBe('ngày 05 tháng 02 năm 2026');
    expect(longDate('2026-06-05')).toBe('ngày 05 tháng 6 năm 2026');
    expect(longDate('2026-12-15', 'en')).toBe('15 December 2026');
  });

  it('leaves blanks to fill in for a date that is missing or does not exist', () => {
    expect(longDate(undefined)).toBe('ngày … tháng … năm …');
    expect(longDate('2026-02-31')).toBe('ngày … tháng … năm …');
    expect(parseIsoDate('15/12/2026')).toBeNull();
  });

  it('writes a date in a table as 15/12/2026', () => {
    expect(shortDate('2026-12-15')).toBe('15/12/2026');
    expect(shortDate('2026-01-05')).toBe('05/01/2026');
  });

  it('writes a time of day as "08 giờ 42" (English 08:42)', () => {
    expect(clockTime('8:42')).toBe('08 giờ 42');
    expect(clockTime('14:00')).toBe('14 giờ 00');
    expect(clockTime('08:42', 'en')).toBe('08:42');
    expect(clockTime(undefined)).toBe('… giờ …');
    expect(dateAndTime('2026-12-15', '08:00')).toBe('08 giờ 00, ngày 15 tháng 12 năm 2026');
  });

  it('writes a meeting day as an invitation does ("thứ Ba, ngày 15 tháng 12 năm 2026") and a place-date line', () => {
    expect(weekdayDate('2026-12-15')).toBe('thứ Ba, ngày 15 tháng 12 năm 2026');
    expect(weekdayDate('2026-12-13')).toBe('Chủ nhật, ngày 13 tháng 12 năm 2026');
    expect(weekdayDate('2026-12-15', 'en')).toBe('Tuesday 15 December 2026');
    expect(weekdayDate('nope')).toBe('ngày … tháng … năm …');
    expect(placeAndDate('Kiến Hưng', '2020-06-15')).toBe('Kiến Hưng, ngày 15 tháng 6 năm 2020');
    expect(placeAndDate('', '2020-06-15')).toBe('…, ngày 15 tháng 6 năm 2020');
    expect(dateLanguage('en')).toBe('en');
    expect(dateLanguage(undefined)).toBe('vi');
  });

  it("shows instants on the ward's clock, not the device's", () => {
    expect(clockAt(AT)).toBe('08 giờ 42');
    expect(clockAt(AT, 'en')).toBe('08:42');
    expect(shortDateAt(AT)).toBe('15/12/2026');
    expect(wardToday(Date.UTC(2026, 11, 14, 20, 0))).toBe('2026-12-15');
    expect(isoDateAt(AT)).toBe('2026-12-15');
    expect(hhmmAt(AT)).toBe('08:42');
    expect(hhmmAt(AT, undefined, true)).toBe('08:42:05');
    expect(shortMoment(AT)).toBe('15/12/2026 08:42');
    expect(shortMoment(undefined)).toBe('');
    expect(longMoment(AT)).toBe('08 giờ 42, ngày 15 tháng 12 năm 2026');
    // Late evening in UTC is already the next day in the ward.
    expect(isoDateAt(Date.UTC(2026, 11, 14, 20, 0))).toBe('2026-12-15');
    expect(shortMoment(AT, 'UTC')).toBe('15/12/2026 01:42');
  });
});

describe('the moment of a meeting, as an invitation says it', () => {
  it('names the weekday: "08 giờ 00, thứ Ba, ngày 15 tháng 12 năm 2026"', () => {
    expect(meetingMoment('2026-12-15', '08:00')).toBe('08 giờ 00, thứ Ba, ngày 15 tháng 12 năm 2026');
    expect(meetingMoment('2026-12-15', '8:00', 'en')).toBe('08:00, Tuesday 15 December 2026');
    expect(weekday('2026-12-13')).toBe('Chủ nhật');
    expect(weekday('2026-02-07')).toBe('thứ Bảy');
  });
});
