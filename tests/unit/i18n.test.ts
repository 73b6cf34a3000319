/**
 * Every dictionary in shared/i18n has the same keys in Vietnamese and English, every message is valid ICU with the
 * same arguments in both languages, and every error code has a message.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse, TYPE } from '@formatjs/icu-messageformat-parser';
import type { MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../shared/domain/errors.ts';
import type { Dictionary, Messages } from '../../shared/i18n/index.ts';

const DIR = 'shared/i18n';
const files = readdirSync(DIR).filter((f) => f.endsWith('.ts') && f !== 'index.ts');
const dictionaries: [string, Dictionary][] = await Promise.all(
  files.map(async (f) => [f, ((await import(`../../${join(DIR, f)}`)) as { default: Dictionary }).default] as [string, Dictionary]),
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

function argumentsOf(elements: MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const e of elements) {
    if (e.type === TYPE.argument || e.type === TYPE.number || e.type === TYPE.date || e.type === TYPE.time) into.add(e.value);
    if (e.type === TYPE.plural || e.type === TYPE.select) {
      into.add(e.value);
      for (const option of Object.values(e.options)) argumentsOf(option.value, into);
    }
    if (e.type === TYPE.tag) argumentsOf(e.children, into);
  }
  return into;
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
        expect([...en.keys()].filter((k) => !vi.has(k)), 'missing in vi').toEqual([]);
        expect([...vi.keys()].filter((k) => !en.has(k)), 'missing in en').toEqual([]);
      });

      it('has a non-empty, valid ICU message with the same arguments in both languages', () => {
        for (const [key, viText] of vi) {
          const enText = en.get(key);
          expect(typeof viText === 'string' && viText.trim() !== '', `vi ${key}`).toBe(true);
          expect(typeof enText === 'string' && enText.trim() !== '', `en ${key}`).toBe(true);
          const viArgs = [...argumentsOf(parse(viText as string, { ignoreTag: true }))].sort();
          const enArgs = [...argumentsOf(parse(enText as string, { ignoreTag: true }))].sort();
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
