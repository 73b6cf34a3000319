/**
 * How deep an incoming Yjs update would nest the minutes, found *before* it is applied, so that a refused update
 * leaves nothing behind. A document 20,000 levels deep breaks every recursive reader (Yjs' own delete and garbage
 * collection, the exports, the browser's editor), and once stored it could never be removed again.
 *
 * Levels are counted as MINUTES_LIMITS.nesting describes; JSON values (attributes, marks, embeds) count their own
 * nesting on top of the item that holds them.
 *
 * Finding an item's parent: an update names it only for items without neighbours; the others sit in the parent of
 * their left (or right) origin, which may be in the same update or already in the document. The walk is iterative,
 * so a hostile chain of 100,000 items cannot overflow the stack here either.
 */
import * as Y from 'yjs';
import { MINUTES_LIMITS } from '../../shared/minutes/limits.ts';

export type NestingCheck =
  /** Within the limit: apply it. */
  | 'ok'
  /** It would nest deeper than the limit: refuse it. */
  | 'too-deep'
  /**
   * It refers to items the server does not have (so their depth is unknown). A client only refers to what it has,
   * and its sync step 2 after a reconnect carries all of that: refuse and let it reconnect.
   */
  | 'unresolved';

type Step =
  /** The item's depth is known. */
  | { depth: number }
  /** The item sits `plus` levels below `next` (1: next is its parent; 0: next is a sibling). */
  | { next: Y.Item; plus: 0 | 1 };

const UNRESOLVED = -1;

/** Throws on bytes that do not decode as an update (the caller refuses those as a bad message). */
export function checkNesting(
  doc: Y.Doc,
  update: Uint8Array,
  limit: number = MINUTES_LIMITS.nesting,
): NestingCheck {
  const items = Y.decodeUpdate(update).structs.filter((s): s is Y.Item => s instanceof Y.Item);
  if (items.length === 0) return 'ok';
  const byClient = new Map<number, Y.Item[]>();
  for (const item of items) {
    const list = byClient.get(item.id.client);
    if (list) list.push(item);
    else byClient.set(item.id.client, [item]);
  }
  // decodeUpdate yields each client's structs in clock order, which the binary search below relies on.

  const inUpdate = (id: Y.ID): Y.Item | undefined => {
    const list = byClient.get(id.client);
    if (!list) return undefined;
    let low = 0;
    let high = list.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const item = list[mid] as Y.Item;
      if (id.clock < item.id.clock) high = mid - 1;
      else if (id.clock >= item.id.clock + item.length) low = mid + 1;
      else return item;
    }
    return undefined;
  };

  const inDoc = (id: Y.ID): Y.Item | Y.GC | undefined => {
    const structs = doc.store.clients.get(id.client);
    if (!structs || id.clock >= Y.getState(doc.store, id.client)) return undefined;
    const struct = structs[Y.findIndexSS(structs, id.clock)];
    return struct instanceof Y.Item || struct instanceof Y.GC ? struct : undefined;
  };

  /** Depth of an item placed directly in `parent` (a type already in the document). */
  const depthIn = (parent: unknown): number => {
    let depth = 1;
    let type = parent instanceof Y.AbstractType ? parent : null;
    while (type?._item && depth <= limit) {
      depth++;
      const above: unknown = type._item.parent;
      type = above instanceof Y.AbstractType ? above : null;
    }
    return depth;
  };

  const stepOf = (item: Y.Item): Step | null => {
    const parent: unknown = item.parent;
    if (typeof parent === 'string') return { depth: 1 };
    if (parent instanceof Y.ID) {
      const local = inUpdate(parent);
      if (local) return { next: local, plus: 1 };
      const stored = inDoc(parent);
      if (!stored) return null;
      // A parent already collected: Yjs drops the item; it nests nothing.
      return stored instanceof Y.Item ? { depth: depthIn(stored.parent) + 1 } : { depth: 0 };
    }
    const neighbour = item.origin ?? item.rightOrigin;
    if (!neighbour) return null;
    const local = inUpdate(neighbour);
    if (local) return { next: local, plus: 0 };
    const stored = inDoc(neighbour);
    if (!stored) return null;
    return stored instanceof Y.Item ? { depth: depthIn(stored.parent) } : { depth: 0 };
  };

  const memo = new Map<Y.Item, number>();
  const depthOf = (start: Y.Item): number => {
    const chain: Array<[Y.Item, 0 | 1]> = [];
    let item = start;
    let depth: number;
    for (;;) {
      const known = memo.get(item);
      if (known !== undefined) {
        depth = known;
        break;
      }
      const step = stepOf(item);
      if (step === null) {
        depth = UNRESOLVED;
        break;
      }
      if ('depth' in step) {
        depth = step.depth;
        memo.set(item, depth);
        break;
      }
      chain.push([item, step.plus]);
      // Longer than the update itself: the references go round in a circle.
      if (chain.length > items.length) throw new Error('update refers to itself in a circle');
      item = step.next;
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      const [link, plus] = chain[i] as [Y.Item, 0 | 1];
      if (depth !== UNRESOLVED) depth += plus;
      memo.set(link, depth);
    }
    return depth;
  };

  let unresolved = false;
  for (const item of items) {
    const depth = depthOf(item);
    if (depth === UNRESOLVED) unresolved = true;
    else if (depth > limit || depth + jsonDepth(item.content, limit) > limit) return 'too-deep';
  }
  return unresolved ? 'unresolved' : 'ok';
}

/** Nesting of the JSON values an item carries (0 for text, types and other content), counted up to `limit + 1`. */
function jsonDepth(content: Y.Item['content'], limit: number): number {
  let values: unknown[];
  if (content instanceof Y.ContentAny || content instanceof Y.ContentJSON) values = content.arr;
  else if (content instanceof Y.ContentEmbed) values = [content.embed];
  else if (content instanceof Y.ContentFormat) values = [content.value];
  else return 0;
  let deepest = 0;
  const stack: Array<[unknown, number]> = values.map((value) => [value, 1]);
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [unknown, number];
    if (value === null || typeof value !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return deepest;
}
