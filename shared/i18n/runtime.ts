/**
 * A small ICU MessageFormat runtime with svelte-i18n's API (`$_`, `$locale`, `$number`; dates and times go through
 * ./dates.ts, the one formatter of administrative dates), in
 * ~2 KB instead of svelte-i18n's ~16 KB gzipped (intl-messageformat and its parsers): with it the attendee route
 * fits its 60 KB budget. The subset covers what a UI needs:
 *
 *   {name}                                  a value (numbers are formatted for the language)
 *   {n, number}                             a number
 *   {n, plural, =0 {…} one {# item} other {# items}}   plural rules of the language (Intl.PluralRules), # = n
 *   {x, select, a {…} other {…}}            a choice by value
 *   '{' … '}' and ''                        ICU quoting
 *
 * Unsupported syntax (selectordinal, skeletons, tags) is a syntax error, caught by tests/unit/i18n.test.ts.
 * A missing value renders as the empty string; a missing key renders as the key (and warns in development).
 */
import { derived, get, writable } from 'svelte/store';
import type { Readable } from 'svelte/store';

/** Message arguments. No Date: dates and times are formatted by ./dates.ts before they go into a message. */
export type Values = Record<string, string | number | boolean | null | undefined>;
export interface MessageOptions {
  values?: Values;
  default?: string;
  locale?: string;
}
type Node =
  | string
  | { arg: string; kind?: 'number' }
  | { arg: string; kind: 'plural' | 'select'; options: Record<string, Node[]> }
  | '#';

export interface Messages {
  [key: string]: string | Messages;
}

// ---- parsing ------------------------------------------------------------------------------------------------

export class MessageSyntaxError extends Error {}

/** Parses an ICU message into nodes. Throws MessageSyntaxError. */
export function parseMessage(message: string): Node[] {
  let i = 0;
  const fail = (what: string): never => {
    throw new MessageSyntaxError(`${what} at ${i} in "${message}"`);
  };
  const space = () => {
    while (/\s/.test(message[i] ?? '')) i++;
  };
  const word = () => {
    space();
    const start = i;
    while (i < message.length && !/[\s,{}]/.test(message[i]!)) i++;
    if (i === start) fail('expected a name');
    return message.slice(start, i);
  };

  function nodes(inPlural: boolean, nested: boolean): Node[] {
    const out: Node[] = [];
    let text = '';
    const flush = () => {
      if (text) out.push(text);
      text = '';
    };
    while (i < message.length) {
      const c = message[i]!;
      if (c === "'") {
        const next = message[i + 1];
        if (next === "'") {
          text += "'";
          i += 2;
        } else if (next === '{' || next === '}' || (inPlural && next === '#')) {
          const end = message.indexOf("'", i + 1);
          text += message.slice(i + 1, end < 0 ? message.length : end).replace(/''/g, "'");
          i = end < 0 ? message.length : end + 1;
        } else {
          text += c;
          i++;
        }
      } else if (c === '{') {
        flush();
        i++;
        out.push(argument());
      } else if (c === '}') {
        if (!nested) fail('unexpected }');
        break;
      } else if (c === '#' && inPlural) {
        flush();
        out.push('#');
        i++;
      } else {
        text += c;
        i++;
      }
    }
    flush();
    return out;
  }

  function argument(): Node {
    const arg = word();
    space();
    if (message[i] === '}') {
      i++;
      return { arg };
    }
    if (message[i] !== ',') fail('expected , or }');
    i++;
    const kind = word();
    space();
    if (kind === 'number' && message[i] === '}') {
      i++;
      return { arg, kind };
    }
    if (kind !== 'plural' && kind !== 'select') fail(`unsupported argument type ${kind}`);
    if (message[i] !== ',') fail('expected ,');
    i++;
    const options: Record<string, Node[]> = {};
    for (;;) {
      space();
      if (message[i] === '}') {
        i++;
        break;
      }
      const key = word();
      space();
      if (message[i] !== '{') fail('expected {');
      i++;
      options[key] = nodes(kind === 'plural', true);
      if (message[i] !== '}') fail('expected }');
      i++;
    }
    if (!options.other) fail('an "other" option is required');
    return { arg, kind: kind as 'plural' | 'select', options };
  }

  const result = nodes(false, false);
  if (i < message.length) fail('unexpected }');
  return result;
}

/** Argument names a message uses (for tests: both languages must use the same). */
export function argumentsOf(nodes: Node[], into = new Set<string>()): Set<string> {
  for (const n of nodes) {
    if (typeof n === 'string') continue;
    into.add(n.arg);
    if ('options' in n) for (const o of Object.values(n.options)) argumentsOf(o, into);
  }
  return into;
}

// ---- formatting ---------------------------------------------------------------------------------------------

const cache = new Map<string, Node[]>();
const numberFormats = new Map<string, Intl.NumberFormat>();
const pluralRules = new Map<string, Intl.PluralRules>();

const numberFormat = (lang: string) => {
  let f = numberFormats.get(lang);
  if (!f) numberFormats.set(lang, (f = new Intl.NumberFormat(lang)));
  return f;
};

export function formatMessage(message: string, values: Values = {}, lang = 'vi'): string {
  let parsed = cache.get(message);
  if (!parsed) cache.set(message, (parsed = parseMessage(message)));
  return render(parsed, values, lang, undefined);
}

function render(nodes: Node[], values: Values, lang: string, count: number | undefined): string {
  let out = '';
  for (const n of nodes) {
    if (typeof n === 'string') out += n === '#' && count !== undefined ? numberFormat(lang).format(count) : n;
    else if (!('options' in n)) out += show(values[n.arg], lang);
    else if (n.kind === 'select') {
      out += render(n.options[String(values[n.arg])] ?? n.options.other!, values, lang, count);
    } else {
      const value = Number(values[n.arg]);
      let rules = pluralRules.get(lang);
      if (!rules) pluralRules.set(lang, (rules = new Intl.PluralRules(lang)));
      const branch = n.options[`=${value}`] ?? n.options[rules.select(value)] ?? n.options.other!;
      out += render(branch, values, lang, value);
    }
  }
  return out;
}

function show(value: Values[string], lang: string): string {
  if (value == null) return '';
  if (typeof value === 'number') return numberFormat(lang).format(value);
  return String(value);
}

// ---- stores (svelte-i18n's API) -----------------------------------------------------------------------------

const dictionaries: Record<string, Record<string, string>> = {};
const version = writable(0);
let fallback = 'vi';

/** The current language; `locale.set('en')` switches it. */
export const locale = writable<string>('vi');

function flatten(messages: Messages, prefix: string, into: Record<string, string>): void {
  for (const [k, v] of Object.entries(messages)) {
    if (typeof v === 'string') into[prefix + k] = v;
    else flatten(v, `${prefix}${k}.`, into);
  }
}

export function addMessages(lang: string, messages: Messages): void {
  flatten(messages, '', (dictionaries[lang] ??= {}));
  version.update((n) => n + 1);
}

export function init(options: { fallbackLocale: string; initialLocale?: string | null }): void {
  fallback = options.fallbackLocale;
  locale.set(options.initialLocale ?? options.fallbackLocale);
}

const DEV = (import.meta as { env?: { DEV?: boolean } }).env?.DEV === true;

/** Formats the message `id` in the current language (or options.locale). */
export function translate(id: string, options: MessageOptions = {}): string {
  const lang = options.locale ?? get(locale);
  const message = dictionaries[lang]?.[id] ?? dictionaries[fallback]?.[id];
  if (message === undefined) {
    if (DEV) console.warn(`[i18n] missing message "${id}" (${lang})`);
    return options.default ?? id;
  }
  try {
    return formatMessage(message, options.values, lang);
  } catch (error) {
    if (DEV) console.warn(`[i18n] message "${id}":`, error);
    return message;
  }
}

type Preset = 'short' | 'medium' | 'long' | 'full';
type WithFormat<T> = T & { format?: Preset; locale?: string };

export const _: Readable<(id: string, options?: MessageOptions) => string> = derived(
  [locale, version],
  () => translate,
);
type NumberFormatter = (value: number, options?: WithFormat<Intl.NumberFormatOptions>) => string;
const formatNumber: NumberFormatter = (value, options = {}) => {
  const { format: _f, locale: lang, ...rest } = options;
  return new Intl.NumberFormat(lang ?? get(locale), rest).format(value);
};
export const number: Readable<NumberFormatter> = derived(locale, () => formatNumber);
