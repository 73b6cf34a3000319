/**
 * The content hash recorded with the chair's approval: sha256 over a canonical JSON of the editor content (the
 * `default` fragment: node names, attributes and formatted text; not the meta map, not awareness). Canonical means
 * independent of how Yjs happens to split the content: object keys are sorted, adjacent text with equal formatting is
 * merged, empty runs dropped, so two documents that show the same thing hash the same.
 */
import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import { MINUTES_FRAGMENT } from './schema.ts';

/** Bumped if the canonical form ever changes, so old and new hashes can never be confused. */
const CANONICAL_VERSION = 'dialogue-board/minutes/v1';
const MAX_DEPTH = 64;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

// A type alias, not an interface: only aliases are assignable to Json's index signature.
type CanonicalText = { text: string; marks: { [key: string]: Json } };

function toJson(value: unknown): Json {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'object') {
    const out: { [key: string]: Json } = {};
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [key, entry] of entries) out[key] = toJson(entry);
    return out;
  }
  return null;
}

function canonicalChildren(children: Array<Y.XmlElement | Y.XmlText | Y.XmlHook>, depth: number): Json[] {
  const out: Json[] = [];
  let last: CanonicalText | null = null;
  for (const child of children) {
    if (child instanceof Y.XmlText) {
      for (const op of child.toDelta() as Array<{ insert?: unknown; attributes?: Record<string, unknown> }>) {
        if (typeof op.insert !== 'string' || op.insert === '') continue;
        const marks = toJson(op.attributes ?? {});
        const markObject = marks !== null && typeof marks === 'object' && !Array.isArray(marks) ? marks : {};
        if (last !== null && JSON.stringify(last.marks) === JSON.stringify(markObject)) {
          last.text += op.insert;
        } else {
          last = { text: op.insert, marks: markObject };
          out.push(last);
        }
      }
    } else if (child instanceof Y.XmlElement) {
      last = null;
      out.push({
        node: child.nodeName,
        attrs: toJson(child.getAttributes()),
        content: depth < MAX_DEPTH ? canonicalChildren(child.toArray(), depth + 1) : [],
      });
    }
  }
  return out;
}

/** The canonical JSON text the hash is computed over (exposed for tests and for auditors re-checking a hash). */
export function canonicalContent(doc: Y.Doc): string {
  return JSON.stringify({
    format: CANONICAL_VERSION,
    content: canonicalChildren(doc.getXmlFragment(MINUTES_FRAGMENT).toArray(), 0),
  });
}

/** sha256, hex, of `canonicalContent(doc)`. */
export function contentHash(doc: Y.Doc): string {
  return createHash('sha256').update(canonicalContent(doc), 'utf8').digest('hex');
}
