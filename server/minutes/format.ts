/** Vietnamese administrative formatting (Nghị định 30/2020/NĐ-CP, Phụ lục I). */

const BLANK = '…';

interface DateParts {
  day: number;
  month: number;
  year: number;
}

function parseDate(date: string): DateParts | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  // Rejects 2020-02-31 and the like, which Date would silently roll over.
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day)
    return null;
  return { day, month, year };
}

/**
 * "ngày 05 tháng 02 năm 2020": the decree writes days below 10 and the months January and February with a leading
 * zero (so that nobody can add a digit in front), other months without.
 */
export function vnDate(date: string): string {
  const parts = parseDate(date);
  if (!parts) return `ngày ${BLANK} tháng ${BLANK} năm ${BLANK}`;
  const day = String(parts.day).padStart(2, '0');
  const month = parts.month <= 2 ? String(parts.month).padStart(2, '0') : String(parts.month);
  return `ngày ${day} tháng ${month} năm ${parts.year}`;
}

/** "Kiến Hưng, ngày 15 tháng 6 năm 2020" — the place and date line under the national motto. */
export function vnPlaceDate(place: string, date: string): string {
  return `${place.trim() || BLANK}, ${vnDate(date)}`;
}

/** "8 giờ 00 phút" from "08:00"; blanks to fill in when unknown. */
export function vnTime(time: string | undefined): string {
  const match = time ? /^(\d{1,2}):(\d{2})$/.exec(time) : null;
  if (!match) return `${BLANK} giờ ${BLANK} phút`;
  return `${Number(match[1])} giờ ${match[2]} phút`;
}

/** "PHƯỜNG KIẾN HƯNG" from "Kiến Hưng" or "Phường Kiến Hưng". */
export function wardLine(wardName: string): string {
  const name = wardName.trim().replace(/^phường\s+/iu, '');
  return `PHƯỜNG ${name}`.toLocaleUpperCase('vi');
}

/** "Số: 12/BB-UBND"; a number that already carries its suffix is kept as given. */
export function docNumberLine(docNumber: string | undefined): string {
  const number = docNumber?.trim();
  if (!number) return `Số: ${BLANK}/BB-UBND`;
  return number.includes('/') ? `Số: ${number}` : `Số: ${number}/BB-UBND`;
}

export function upper(text: string): string {
  return text.toLocaleUpperCase('vi');
}

/** Comparison key: no diacritics, đ → d, upper case, single spaces. "Chủ toạ" and "CHỦ TỌA" both give "CHU TOA". */
export function textKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'D')
    .toUpperCase()
    .replace(/\s+/g, ' ')
    .trim();
}
