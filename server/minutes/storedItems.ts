/**
 * Which updates the store holds already, by Yjs identity: an item is (client, clock) and never changes, so an update
 * whose every item is in some stored row is stored, whether Yjs could place those items yet or not.
 *
 * Asking the stored document instead (apply the update, keep what it emits) would be wrong exactly when it matters:
 * items a node stored after an edit the store lacks wait inside Yjs for that edit, and come out together with it —
 * and would be written a second time.
 */
import * as Y from 'yjs';

/** Per Yjs client, the clock ranges [from, to) of the stored items, sorted and joined. */
export type StoredItems = Map<number, Array<[number, number]>>;

export function storedItems(rows: Uint8Array[]): StoredItems {
  const byClient = new Map<number, Array<[number, number]>>();
  for (const row of rows)
    for (const struct of Y.decodeUpdate(row).structs) {
      if (struct instanceof Y.Skip) continue;
      const ranges = byClient.get(struct.id.client) ?? [];
      ranges.push([struct.id.clock, struct.id.clock + struct.length]);
      byClient.set(struct.id.client, ranges);
    }
  for (const [client, ranges] of byClient) {
    ranges.sort((x, y) => x[0] - y[0]);
    const joined: Array<[number, number]> = [];
    for (const [from, to] of ranges) {
      const last = joined.at(-1);
      if (last && from <= last[1]) last[1] = Math.max(last[1], to);
      else joined.push([from, to]);
    }
    byClient.set(client, joined);
  }
  return byClient;
}

/**
 * How much of `update` is among `stored`: all of its items, some, or none. An update of deletions only has no
 * identity of its own: it counts as none (writing a deletion again changes nothing and stores no item twice).
 */
export function storedShare(stored: StoredItems, update: Uint8Array): 'all' | 'some' | 'none' {
  const structs = Y.decodeUpdate(update).structs.filter((struct) => !(struct instanceof Y.Skip));
  if (structs.length > 0 && structs.every((struct) => holds(stored, struct, 'whole'))) return 'all';
  return structs.some((struct) => holds(stored, struct, 'part')) ? 'some' : 'none';
}

function holds(
  stored: StoredItems,
  struct: { id: { client: number; clock: number }; length: number },
  how: 'whole' | 'part',
): boolean {
  const from = struct.id.clock;
  const to = from + struct.length;
  return (stored.get(struct.id.client) ?? []).some(([a, b]) =>
    how === 'whole' ? a <= from && to <= b : a < to && from < b,
  );
}
