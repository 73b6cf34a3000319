/**
 * Lookups in the state's records (`participants`, `questions`, `surveys`) that never reach Object.prototype.
 * Records are plain objects because the state is JSON (snapshots store it as is); a key such as `constructor` or
 * `__proto__` would otherwise find an inherited member — a "participant" that is the Object function — and an
 * assignment to `__proto__` would replace the record's prototype instead of adding an entry. The command schemas
 * refuse such names as ids (commands.ts); these helpers keep logs written before that safe too.
 */

/** Names an object inherits from Object.prototype, and `prototype`: never an id. */
const PROTOTYPE_NAMES: ReadonlySet<string> = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  'prototype',
]);

export const isPrototypeName = (id: string): boolean => PROTOTYPE_NAMES.has(id);

/** The record's own entry under `key`, never an inherited member. */
export function own<T>(record: Readonly<Record<string, T>>, key: string | undefined | null): T | undefined {
  return key != null && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Sets an own entry of a record the caller owns (a fresh copy): `__proto__` too becomes an entry, not a prototype. */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__')
    Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
  else record[key] = value;
}

/** A copy of the record with one entry set. */
export function withOwn<T>(record: Readonly<Record<string, T>>, key: string, value: T): Record<string, T> {
  const copy = { ...record };
  setOwn(copy, key, value);
  return copy;
}
