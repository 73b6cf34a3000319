/** A score average with 2 decimals in the person's language (3,25 / 3.25), or an en dash. Dates and times are
 *  formatted by shared/i18n/dates.ts, the one formatter of every surface. */
export function formatAverage(value: number | null, lang: string | null | undefined): string {
  if (value === null) return '–';
  return new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'vi-VN', {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(value);
}
