/**
 * Translations: ICU messages with svelte-i18n's API (`$_('key', { values })`, `$locale`, `$date`, `$time`,
 * `$number`), served by the small runtime in ./runtime.ts — svelte-i18n itself did not fit the attendee's 60 KB
 * budget (see runtime.ts). Vietnamese first (the default and the fallback), English second.
 *
 * Every dictionary file in this folder exports `default { vi: {...}, en: {...} }` with the same keys in both
 * languages, namespaced by its first key (`common.*`, `error.*`, `attendee.*`, `panel.*`, …). `common` and `errors`
 * are registered by `setupI18n()` at start-up; a surface registers its own dictionary when its chunk loads:
 *
 *     import panelMessages from '../../../shared/i18n/panel.ts';
 *     addDictionary(panelMessages);            // at the top of the surface's root component's <script module>
 *
 * so a phone on the attendee route never downloads the panel's strings. tests/unit/i18n.test.ts checks that every
 * dictionary has the same keys and ICU arguments in both languages and that every error code has a message.
 */
import { addMessages, init, locale } from './runtime.ts';
import commonMessages from './common.ts';
import errorMessages from './errors.ts';
import type { Messages } from './runtime.ts';

export { _, locale, date, time, number } from './runtime.ts';

export const LANGUAGES = ['vi', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'vi';

export type { Messages } from './runtime.ts';
/** One translation file: the same keys in each language. */
export interface Dictionary {
  vi: Messages;
  en: Messages;
}

const STORAGE_KEY = 'dialogue-board:lang';

export const isLanguage = (x: unknown): x is Language => LANGUAGES.includes(x as Language);

/** Adds a dictionary's messages to both languages (idempotent: the same keys simply overwrite). */
export function addDictionary(dictionary: Dictionary): void {
  for (const lang of LANGUAGES) addMessages(lang, dictionary[lang]);
}

function storedLanguage(): Language | undefined {
  try {
    const value = globalThis.localStorage?.getItem(STORAGE_KEY);
    return isLanguage(value) ? value : undefined;
  } catch {
    return undefined; // storage blocked (private mode, cookies off): the default language it is
  }
}

/**
 * Registers the shared dictionaries and picks the language: the one the person chose before on this device,
 * else Vietnamese (the hall is Vietnamese whatever the phone's system language says). Keeps `<html lang>` in step
 * so screen readers pronounce the page in the right language.
 */
export function setupI18n(): void {
  addDictionary(commonMessages);
  addDictionary(errorMessages);
  init({ fallbackLocale: DEFAULT_LANGUAGE, initialLocale: storedLanguage() ?? DEFAULT_LANGUAGE });
  locale.subscribe((value) => {
    if (typeof document !== 'undefined' && value) document.documentElement.lang = value;
  });
}

/** Switches the language and remembers it on this device. */
export function setLanguage(lang: Language): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  } catch {
    // not remembered; still switched
  }
  locale.set(lang);
}

/** The message key of an error code: `error.<code>` (shared/i18n/errors.ts). */
export const errorKey = (code: string): string => `error.${code}`;
