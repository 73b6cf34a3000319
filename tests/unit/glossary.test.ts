/**
 * One voice (issue 14, finding 8): no surface string, in Vietnamese or English, uses a variant the glossary
 * (shared/i18n/glossary.ts) refuses — every dictionary in shared/i18n, and the defaults a new meeting starts with
 * (fields, programme, satisfaction criteria), which surfaces and exports print as they are.
 */
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_AGENDA, DEFAULT_CRITERIA, FIELDS_2020, FIELDS_2025 } from '../../shared/domain/defaults.ts';
import { GLOSSARY, glossaryViolations } from '../../shared/i18n/glossary.ts';
import type { Dictionary, Language, Messages } from '../../shared/i18n/index.ts';

const DIR = 'shared/i18n';
const NOT_DICTIONARIES = new Set(['index.ts', 'runtime.ts', 'dates.ts', 'glossary.ts']);

function flatten(messages: Messages, prefix = '', out: [string, string][] = []): [string, string][] {
  for (const [k, v] of Object.entries(messages)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'object' && v !== null) flatten(v, key, out);
    else out.push([key, String(v)]);
  }
  return out;
}

const files = readdirSync(DIR).filter((f) => f.endsWith('.ts') && !NOT_DICTIONARIES.has(f));
const strings: Record<Language, [string, string][]> = { vi: [], en: [] };
for (const f of files) {
  const { default: dictionary } = (await import(/* @vite-ignore */ pathToFileURL(resolve(DIR, f)).href)) as {
    default: Dictionary;
  };
  const en = typeof dictionary.en === 'function' ? (await dictionary.en()).default : dictionary.en;
  strings.vi.push(...flatten(dictionary.vi, f));
  strings.en.push(...flatten(en, f));
}
// Defaults are Vietnamese data shown as is on every surface and in every export.
strings.vi.push(
  ...[...FIELDS_2020, ...FIELDS_2025].map((f): [string, string] => [`field ${f.id}`, f.name]),
  ...DEFAULT_CRITERIA.map((c): [string, string] => [`criterion ${c.id}`, c.label]),
  ...DEFAULT_AGENDA.flatMap((a): [string, string][] =>
    [a.title, ...(a.screenLines ?? [])].map((t) => [`agenda ${a.id}`, t]),
  ),
);

describe('glossary', () => {
  it('reads every dictionary', () => {
    expect(files).toEqual(
      expect.arrayContaining(['attendee.ts', 'panel.ts', 'screen.ts', 'admin.ts', 'home.ts']),
    );
    expect(strings.vi.length).toBeGreaterThan(1000);
  });

  it('catches a refused variant on a whole word only', () => {
    expect(glossaryViolations('Mời bạn phát biểu', 'vi')).toEqual([{ variant: 'bạn', use: 'Ông/Bà' }]);
    expect(glossaryViolations('Bản in', 'vi')).toEqual([]);
    expect(glossaryViolations('12 lượt Bình chọn', 'vi').map((v) => v.variant)).toEqual(['bình chọn']);
    expect(glossaryViolations('Lao động – Thương binh & Xã hội', 'vi').map((v) => v.variant)).toEqual(['&']);
    expect(glossaryViolations('This is not supported', 'en')).toEqual([]);
    expect(glossaryViolations('Hội nghị kết thúc vào 11 giờ 00', 'vi')).toEqual([]);
  });

  for (const lang of ['vi', 'en'] as const)
    it(`no ${lang} surface string uses a refused variant`, () => {
      const found = strings[lang].flatMap(([key, text]) =>
        glossaryViolations(text, lang).map((v) => `${key}: “${v.variant}” → ${v.use}  (${text})`),
      );
      expect(found).toEqual([]);
    });

  it('has one term per concept, and a term is never refused by another concept', () => {
    for (const lang of ['vi', 'en'] as const) {
      const terms = GLOSSARY.map((g) => g.term[lang]);
      expect(new Set(terms).size).toBe(terms.length);
      for (const g of GLOSSARY) expect(glossaryViolations(g.term[lang], lang), g.concept).toEqual([]);
    }
  });
});
