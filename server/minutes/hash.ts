/**
 * The content hash recorded with the chair's approval: sha256 over a canonical JSON of the editor content (the
 * `default` fragment: node names, attributes and formatted text; not the meta map, not awareness). Canonical means
 * independent of how Yjs happens to split the content: object keys are sorted, adjacent text with equal formatting is
 * merged, empty runs dropped, so two documents that show the same thing hash the same.
 */
import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import { MINUTES_FRAGMENT } from '../../shared/minutes/schema.ts';

/** Bumped if the canonical form ever changes, so old and new hashes can never be confused. */
const CANONICAL_VERSION = 'dialogue-board/minutes/v1';
const MAX_DEPTH = 64;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

// A type alias, not an interface: only aliases are assignable to Json's index signature.
type CanonicalText = { text: string; marks: { [key: string]: Json } };

/**
 * A JSON value with its object keys sorted. Values nested deeper than MAX_DEPTH become null (the server refuses such
 * updates now; a document stored before must still hash, and JSON.stringify itself would overflow on them).
 */
function toJson(value: unknown): Json {
  const root: { json: Json } = { json: null };
  const stack: Array<{ value: unknown; depth: number; set: (json: Json) => void }> = [
    { value, depth: 0, set: (json) => (root.json = json) },
  ];
  for (let task = stack.pop(); task; task = stack.pop()) {
    const { value: v, depth, set } = task;
    if (v === null || typeof v === 'boolean' || typeof v === 'string') set(v);
    else if (typeof v === 'number') set(Number.isFinite(v) ? v : null);
    else if (typeof v !== 'object' || depth >= MAX_DEPTH) set(null);
    else if (Array.isArray(v)) {
      const array: Json[] = v.map(() => null);
      set(array);
      v.forEach((item: unknown, i) =>
        stack.push({ value: item, depth: depth + 1, set: (json) => (array[i] = json) }),
      );
    } else {
      const object: { [key: string]: Json } = {};
      set(object);
      const entries = Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      for (const [key, entry] of entries) {
        // defineProperty: a key named "__proto__" is data here, not the object's prototype.
        const define = (json: Json): void => {
          Object.defineProperty(object, key, {
            value: json,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        };
        define(null); // the key's place in the sorted order
        stack.push({ value: entry, depth: depth + 1, set: define });
      }
    }
  }
  return root.json;
}

/** The canonical content of a fragment; an explicit stack of element contents, so no recursion at any depth. */
function canonicalChildren(children: Array<Y.XmlElement | Y.XmlText | Y.XmlHook>): Json[] {
  const root: Json[] = [];
  const frames: Array<{ children: Array<Y.XmlElement | Y.XmlText | Y.XmlHook>; depth: number; out: Json[] }> =
    [{ children, depth: 0, out: root }];
  for (let frame = frames.pop(); frame; frame = frames.pop()) {
    const { out, depth } = frame;
    let last: CanonicalText | null = null;
    for (const child of frame.children) {
      if (child instanceof Y.XmlText) {
        for (const op of child.toDelta() as Array<{
          insert?: unknown;
          attributes?: Record<string, unknown>;
        }>) {
          if (typeof op.insert !== 'string' || op.insert === '') continue;
          const marks = toJson(op.attributes ?? {});
          const markObject =
            marks !== null && typeof marks === 'object' && !Array.isArray(marks) ? marks : {};
          if (last !== null && JSON.stringify(last.marks) === JSON.stringify(markObject)) {
            last.text += op.insert;
          } else {
            last = { text: op.insert, marks: markObject };
            out.push(last);
          }
        }
      } else if (child instanceof Y.XmlElement) {
        last = null;
        const content: Json[] = [];
        out.push({ node: child.nodeName, attrs: toJson(child.getAttributes()), content });
        if (depth < MAX_DEPTH) frames.push({ children: child.toArray(), depth: depth + 1, out: content });
      }
    }
  }
  return root;
}

/** The canonical JSON text the hash is computed over (exposed for tests and for auditors re-checking a hash). */
export function canonicalContent(doc: Y.Doc): string {
  return JSON.stringify({
    format: CANONICAL_VERSION,
    content: canonicalChildren(doc.getXmlFragment(MINUTES_FRAGMENT).toArray()),
  });
}

/** sha256, hex, of `canonicalContent(doc)`. */
export function contentHash(doc: Y.Doc): string {
  return createHash('sha256').update(canonicalContent(doc), 'utf8').digest('hex');
}
