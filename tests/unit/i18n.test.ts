/**
 * Every dictionary in shared/i18n has the same keys in Vietnamese and English, every message is valid ICU with the
 * same arguments in both languages, and every error code has a message.
 */
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../shared/domain/errors.ts';
import type { Dictionary, Messages } from '../../shared/i18n/index.ts';
import { argumentsOf, formatMessage, parseMessage } from '../../shared/i18n/runtime.ts';

const DIR = 'shared/i18n';
/** Every other .ts file in shared/i18n is a dictionary (lazily loaded languages live in subfolders); dates.ts and glossary.ts are the
 * date formatter and the glossary. */
const NOT_DICTIONARIES = new Set(['index.ts', 'runtime.ts', 'dates.ts', 'glossary.ts']);
const files = readdirSync(DIR).filter((f) => f.endsWith('.ts') && !NOT_DICTIONARIES.has(f));
const dictionaries: [string, { vi: Messages; en: Messages }][] = await Promise.all(
  files.map(async (f) => {
    const module = (await import(/* @vite-ignore */ pathToFileURL(resolve(DIR, f)).href)) as {
      default: Dictionary;
    };
    const { vi, en } = module.default;
    return [f, { vi, en: typeof en === 'function' ? (await en()).default : en }] as [
      string,
      { vi: Messages; en: Messages },
    ];
  }),
);

function flatten(messages: Messages, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [k, v] of Object.entries(messages)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'object' && v !== null) for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
    else out.set(key, v);
  }
  return out;
}

describe('translations', () => {
  it('finds the dictionaries', () => {
    expect(files).toEqual(expect.arrayContaining(['common.ts', 'errors.ts', 'attendee.ts']));
  });

  const allKeys = new Map<string, string>();
  for (const [file, dictionary] of dictionaries) {
    describe(file, () => {
      const vi = flatten(dictionary.vi);
      const en = flatten(dictionary.en);

      it('has the same keys in vi and en', () => {
        expect(
          [...en.keys()].filter((k) => !vi.has(k)),
          'missing in vi',
        ).toEqual([]);
        expect(
          [...vi.keys()].filter((k) => !en.has(k)),
          'missing in en',
        ).toEqual([]);
      });

      it('has a non-empty, valid ICU message with the same arguments in both languages', () => {
        for (const [key, viText] of vi) {
          const enText = en.get(key);
          expect(typeof viText === 'string' && viText.trim() !== '', `vi ${key}`).toBe(true);
          expect(typeof enText === 'string' && enText.trim() !== '', `en ${key}`).toBe(true);
          const viArgs = [...argumentsOf(parseMessage(viText as string))].sort();
          const enArgs = [...argumentsOf(parseMessage(enText as string))].sort();
          expect(enArgs, `arguments of ${key}`).toEqual(viArgs);
        }
      });

      it('does not redefine keys of another dictionary', () => {
        for (const key of vi.keys()) {
          expect(allKeys.get(key), `${key} is also in ${allKeys.get(key)}`).toBeUndefined();
          allKeys.set(key, file);
        }
      });
    });
  }

  it('has a message for every error code in both languages', () => {
    const errors = dictionaries.find(([f]) => f === 'errors.ts')?.[1];
    expect(errors).toBeDefined();
    for (const lang of ['vi', 'en'] as const) {
      const flat = flatten(errors![lang]);
      const missing = ERROR_CODES.filter((code) => typeof flat.get(`error.${code}`) !== 'string');
      expect(missing, `error codes without a ${lang} message`).toEqual([]);
    }
  });
});

describe('the ICU runtime', () => {
  it('fills in arguments and formats numbers for the language', () => {
    expect(formatMessage('Xin chào {name}', { name: 'Lan' })).toBe('Xin chào Lan');
    expect(formatMessage('{n} người', { n: 1200 }, 'vi')).toBe('1.200 người');
    expect(formatMessage('{n} people', { n: 1200 }, 'en')).toBe('1,200 people');
  });

  it("chooses plural branches by exact value, then by the language's rules", () => {
    const m = '{count, plural, =0 {none} one {# vote} other {# votes}}';
    expect(formatMessage(m, { count: 0 }, 'en')).toBe('none');
    expect(formatMessage(m, { count: 1 }, 'en')).toBe('1 vote');
    expect(formatMessage(m, { count: 3 }, 'en')).toBe('3 votes');
    expect(formatMessage('{count, plural, other {# lượt ủng hộ}}', { count: 1 }, 'vi')).toBe('1 lượt ủng hộ');
  });

  it('supports select, nested arguments and ICU quoting', () => {
    const m = "{kind, select, a {A {x}} other {'{'other'}' it''s}}";
    expect(formatMessage(m, { kind: 'a', x: 'y' })).toBe('A y');
    expect(formatMessage(m, { kind: 'b' })).toBe("{other} it's");
  });

  it('renders a missing value as nothing rather than failing', () => {
    expect(formatMessage('a{x}b', {})).toBe('ab');
  });

  it('rejects malformed messages', () => {
    expect(() => parseMessage('{a, plural, one {x}}')).toThrow();
    expect(() => parseMessage('{a')).toThrow();
    expect(() => parseMessage('a}')).toThrow();
    expect(() => parseMessage('{a, selectordinal, other {x}}')).toThrow();
  });
});
