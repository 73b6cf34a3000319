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
 * Whether every item of `update` is among `stored`. An update of deletions only has no identity of its own: it
 * counts as not stored (writing a deletion again changes nothing and stores no item twice).
 */
export function isStored(stored: StoredItems, update: Uint8Array): boolean {
  const structs = Y.decodeUpdate(update).structs.filter((struct) => !(struct instanceof Y.Skip));
  return (
    structs.length > 0 &&
    structs.every((struct) => {
      const from = struct.id.clock;
      const to = from + struct.length;
      return (stored.get(struct.id.client) ?? []).some(([a, b]) => a <= from && to <= b);
    })
  );
}
