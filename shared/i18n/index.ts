/**
 * Translations: ICU messages with svelte-i18n's API (`$_('key', { values })`, `$locale`, `$number`), served by the small runtime in ./runtime.ts — svelte-i18n itself did not fit the attendee's 60 KB
 * budget (see runtime.ts). Vietnamese first (the default and the fallback), English second.
 *
 * Every dictionary file in this folder exports `default { vi: {...}, en: {...} }` with the same keys in both
 * languages, namespaced by its first key (`common.*`, `error.*`, `attendee.*`, `panel.*`, …). `en` may instead be
 * a loader, `en: () => import('./en/attendee.ts')`, so English is downloaded only when someone picks it (common,
 * errors and attendee do this for the phone's budget; typed with `typeof vi`, so keys cannot drift).
 * `common` and `errors` are registered by `setupI18n()` at start-up; a surface registers its own dictionary when
 * its chunk loads:
 *
 *     import panelMessages from '../../../shared/i18n/panel.ts';
 *     addDictionary(panelMessages);            // at the top of the surface's root component's <script module>
 *
 * so a phone on the attendee route never downloads the panel's strings. tests/unit/i18n.test.ts checks that every
 * dictionary has the same keys and ICU arguments in both languages and that every error code has a message.
 */
import { get } from 'svelte/store';
import { addMessages, init, locale } from './runtime.ts';
import commonMessages from './common.ts';
import errorMessages from './errors.ts';
import type { Messages } from './runtime.ts';

export { _, locale, number } from './runtime.ts';

export const LANGUAGES = ['vi', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'vi';

export type { Messages } from './runtime.ts';
/** Messages of one language loaded on demand (a dynamic import of a module whose default export they are). */
export type MessagesLoader = () => Promise<{ default: Messages }>;
/** One translation file: the same keys in each language. */
export interface Dictionary {
  vi: Messages;
  en: Messages | MessagesLoader;
}

const STORAGE_KEY = 'dialogue-board:lang';

export const isLanguage = (x: unknown): x is Language => LANGUAGES.includes(x as Language);

/** English dictionaries not loaded yet. */
const lazyEnglish = new Set<MessagesLoader>();

/** Loads the English dictionaries not loaded yet (when English is, or is about to be, the language). */
function loadEnglish(): Promise<unknown> {
  const loaders = [...lazyEnglish];
  lazyEnglish.clear();
  return Promise.all(
    loaders.map((load) =>
      load().then(
        (m) => addMessages('en', m.default),
        () => lazyEnglish.add(load), // offline: Vietnamese meanwhile, retried on the next switch
      ),
    ),
  );
}

/** Adds a dictionary's messages to both languages (idempotent: the same keys simply overwrite). */
export function addDictionary(dictionary: Dictionary): void {
  addMessages('vi', dictionary.vi);
  if (typeof dictionary.en === 'function') {
    lazyEnglish.add(dictionary.en);
    if (get(locale) === 'en') void loadEnglish();
  } else addMessages('en', dictionary.en);
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
    // Whoever sets the language (setLanguage, or a surface's ?lang=), lazy English follows.
    if (value === 'en' && lazyEnglish.size > 0) void loadEnglish();
    if (typeof document !== 'undefined' && value) document.documentElement.lang = value;
  });
}

/** Switches the language (once its messages are loaded) and remembers it on this device. */
export async function setLanguage(lang: Language): Promise<void> {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  } catch {
    // not remembered; still switched
  }
  if (lang === 'en') await loadEnglish();
  locale.set(lang);
}

/** The message key of an error code: `error.<code>` (shared/i18n/errors.ts). */
export const errorKey = (code: string): string => `error.${code}`;
