/** Dates in the person's language. Session dates are calendar dates (YYYY-MM-DD), not instants: no time zone. */
export function formatIsoDate(iso: string | undefined, lang: string | null | undefined): string {
  const m = iso ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso) : null;
  if (!m) return iso ?? '';
  const date = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  try {
    return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'vi-VN', { dateStyle: 'long' }).format(date);
  } catch {
    return iso ?? '';
  }
}
