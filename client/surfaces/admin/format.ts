/** Times and dates on the admin's pages, in the person's language. */
export { formatIsoDate } from '../../lib/format.ts';

/** A moment as "dd/mm/yyyy hh:mm" (vi) or "dd/mm/yyyy, hh:mm" (en), in the device's time zone. */
export function formatMoment(ms: number | undefined, lang: string | null | undefined): string {
  if (ms === undefined) return '';
  try {
    return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'vi-VN', {
      dateStyle: 'short',
      timeStyle: 'short',
    }).format(new Date(ms));
  } catch {
    return new Date(ms).toISOString();
  }
}

/** A score average with 2 decimals in the person's language (3,25 / 3.25), or an en dash. */
export function formatAverage(value: number | null, lang: string | null | undefined): string {
  if (value === null) return '–';
  return new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'vi-VN', {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(value);
}
