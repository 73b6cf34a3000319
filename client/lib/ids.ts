/**
 * Client-made ids (command ids, question ids, hand ids). `crypto.randomUUID` exists only in secure contexts, and a
 * hall server is often reached over plain http://192.168.x.x, so fall back to getRandomValues (available everywhere).
 */
export function newId(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === 'function') return c.randomUUID();
  const b = new Uint8Array(16);
  c.getRandomValues(b);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The last element matching `predicate` (Array.prototype.findLast is missing on older Android WebViews). */
export function findLast<T, S extends T>(list: readonly T[], predicate: (x: T) => x is S): S | undefined;
export function findLast<T>(list: readonly T[], predicate: (x: T) => boolean): T | undefined;
export function findLast<T>(list: readonly T[], predicate: (x: T) => boolean): T | undefined {
  for (let i = list.length - 1; i >= 0; i--) if (predicate(list[i] as T)) return list[i];
  return undefined;
}
