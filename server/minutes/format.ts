/**
 * Vietnamese administrative formatting (Nghị định 30/2020/NĐ-CP, Phụ lục I). Dates and times go through the one
 * formatter every surface uses, shared/i18n/dates.ts.
 */
const BLANK = '…';

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
