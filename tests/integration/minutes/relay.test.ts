/**
 * The scale-out seam: two server nodes on one store, joined by an in-memory relay standing in for Redis pub/sub.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import * as Y from 'yjs';
import { minutesDocName } from '../../../server/minutes/MinutesServer.ts';
import type { MinutesRelay } from '../../../server/minutes/types.ts';
import type { YDocStore } from '../../../server/store/EventStore.ts';
import { openSqliteStore } from '../../../server/store/sqlite/index.ts';
import { checkHistory } from '../../helpers/history/check.ts';
import {
  appendParagraph,
  minutesText,
  openMinutesClient,
  sleep,
  waitFor,
} from '../../helpers/minutesClient.ts';
import { startMinutesTestServer } from '../../helpers/minutesTestServer.ts';

let cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/** Delivers every published frame, asynchronously, to the other nodes' subscribers of the same session. */
function createBus(): (node: string) => MinutesRelay {
  const subscribers = new Map<string, Set<{ node: string; onBytes: (bytes: Uint8Array) => void }>>();
  return (node) => ({
    publish(sessionId, bytes) {
      for (const sub of subscribers.get(sessionId) ?? []) {
        if (sub.node !== node) setImmediate(() => sub.onBytes(bytes));
      }
    },
    subscribe(sessionId, onBytes) {
      const sub = { node, onBytes };
      const set = subscribers.get(sessionId) ?? new Set();
      set.add(sub);
      subscribers.set(sessionId, set);
      return () => set.delete(sub);
    },
  });
}

type NodeOptions = NonNullable<Parameters<typeof startMinutesTestServer>[0]['options']>;

/**
 * Two nodes on one store (a fresh data dir) joined by `relays` (default: one bus), a writer on each (w1 on a, w2 on
 * b) on document `doc`, both synced and the template on node b.
 */
async function twoNodes(
  doc: string,
  options: {
    a?: NodeOptions;
    b?: NodeOptions;
    relays?: { a: MinutesRelay; b: MinutesRelay };
    /** Node a's own store on the shared data dir (default: the data dir's). */
    storeA?: (dataDir: string) => YDocStore;
  } = {},
) {
  const dataDir = mkdtempSync(join(tmpdir(), 'minutes-relay-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const bus = createBus();
  const relays = options.relays ?? { a: bus('a'), b: bus('b') };
  const storeA = options.storeA?.(dataDir);
  const a = await startMinutesTestServer({
    dataDir,
    options: { relay: relays.a, ...options.a, ...(storeA ? { ydocs: storeA } : {}) },
  });
  cleanups.push(() => a.close());
  const b = await startMinutesTestServer({ dataDir, options: { relay: relays.b, ...options.b } });
  cleanups.push(() => b.close());
  const onA = openMinutesClient(a.url, doc, 'w1');
  cleanups.push(() => onA.destroy());
  await onA.synced();
  const onB = openMinutesClient(b.url, doc, 'w2');
  cleanups.push(() => onB.destroy());
  await onB.synced();
  await waitFor(() => minutesText(onB.doc).includes('BIÊN BẢN'), 5_000, 'the template on node B');
  return { dataDir, a, b, onA, onB };
}

/** A relay for node a that loses what it publishes while `losing()` (a frame Redis took and never passed on). */
function lossyRelays(losing: () => boolean): { a: MinutesRelay; b: MinutesRelay } {
  const bus = createBus();
  const fromA = bus('a');
  return {
    a: {
      publish: (sessionId, bytes) => (losing() ? undefined : fromA.publish(sessionId, bytes)),
      subscribe: (sessionId, onBytes) => fromA.subscribe(sessionId, onBytes),
    },
    b: bus('b'),
  };
}

/** A store on `dataDir` whose writes fail with `error` while `refusing()`. */
function refusingStore(dataDir: string, refusing: () => boolean, error: string): YDocStore {
  const own = openSqliteStore(dataDir);
  cleanups.push(() => own.close());
  return {
    appendUpdate: async (name, update) => {
      if (refusing()) throw new Error(error);
      return own.ydocs.appendUpdate(name, update);
    },
    loadUpdates: (name) => own.ydocs.loadUpdates(name),
    compact: (name, merged, count) => own.ydocs.compact(name, merged, count),
    seal: (name) => own.ydocs.seal(name),
    isSealed: (name) => own.ydocs.isSealed(name),
  };
}

it('relays edits between nodes, and only the accepting node stores them', async () => {
  const { a, onA, onB } = await twoNodes('scaled');
  expect(minutesText(onB.doc).filter((t) => t === 'BIÊN BẢN')).toHaveLength(1);

  // One at a time, each given time to be flushed: a node storing the other's edits would then add rows of its own.
  appendParagraph(onA.doc, 'from A');
  await waitFor(() => minutesText(onB.doc).includes('from A'), 5_000, "A's edit on node B");
  await sleep(400);
  appendParagraph(onB.doc, 'from B');
  await waitFor(() => minutesText(onA.doc).includes('from B'), 5_000, "B's edit on node A");
  await sleep(400);
  // The template, A's edit, B's edit: one row each. A node that also stored relayed updates would write more.
  expect(await a.store.ydocs.loadUpdates(minutesDocName('scaled'))).toHaveLength(3);
});

it('brings an edit the relay lost from the store once a later edit builds on it', async () => {
  // Node b is told nothing of an edit while `losing` is set, and every later edit of the same writer builds on it.
  let losing = false;
  const { onA, onB } = await twoNodes('lossy', {
    relays: lossyRelays(() => losing),
    a: { flushDelayMs: 50 },
    b: { flushDelayMs: 50 },
  });

  losing = true;
  appendParagraph(onA.doc, 'lost on the way');
  await waitFor(() => minutesText(onA.doc).includes('lost on the way'), 5_000, 'the edit on A');
  await sleep(300); // node a has stored it
  losing = false;
  appendParagraph(onA.doc, 'after it');
  await waitFor(() => minutesText(onB.doc).includes('after it'), 10_000, 'the later edit on node B');
  expect(minutesText(onB.doc)).toEqual(minutesText(onA.doc));
  expect(minutesText(onB.doc)).toContain('lost on the way');
});

it('stores an edit its node relayed and could not store, once: the other node stores it, its own node not again', async () => {
  // The store refuses node a's writes while `refusing` is set (a node cut off from Redis; it retries): node b cannot
  // tell it from a node that died (SIGKILL) or stopped (SIGSTOP) before writing.
  let refusing = false;
  const timing = { flushDelayMs: 50, takeOverAfterMs: 400 };
  const { b, onA, onB } = await twoNodes('slow', {
    a: timing,
    b: timing,
    storeA: (dataDir) => refusingStore(dataDir, () => refusing, 'NOREPLICAS'),
  });

  const rows = () => b.store.ydocs.loadUpdates(minutesDocName('slow'));
  const storedText = async () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.mergeUpdates(await rows()));
    return minutesText(doc);
  };
  refusing = true;
  appendParagraph(onA.doc, 'relayed, not stored by its node');
  await waitFor(
    () => minutesText(onB.doc).includes('relayed, not stored by its node'),
    5_000,
    "A's edit on node B",
  );
  // Node a says nothing within takeOverAfterMs: node b stores what the store lacks.
  await expect
    .poll(storedText, { timeout: 5_000, interval: 100 })
    .toContain('relayed, not stored by its node');

  // Node a's next attempt finds its batch late and writes what the store lacks of it: nothing.
  refusing = false;
  appendParagraph(onA.doc, 'after it');
  await expect.poll(storedText, { timeout: 5_000, interval: 100 }).toContain('after it');
  await waitFor(() => minutesText(onB.doc).includes('after it'), 5_000, "A's later edit on node B");
  const storedItems = (await rows()).flatMap((row) =>
    Y.decodeUpdate(row)
      .structs.filter((s) => !(s instanceof Y.Skip))
      .map((s) => ({ client: s.id.client, from: s.id.clock, to: s.id.clock + s.length })),
  );
  const minutes = {
    writers: [minutesText(onA.doc), minutesText(onB.doc)],
    stored: await storedText(),
    storedItems,
  };
  expect(checkHistory({ clients: {}, log: [], commands: {}, minutes })).toEqual([]);
});

it('stores what a node relayed and never stored before the room that holds it leaves memory', async () => {
  // Node a never stores again once `refusing` is set: to node b, a node that died.
  let refusing = false;
  const timing = { flushDelayMs: 50, takeOverAfterMs: 400 };
  const { b, onA, onB } = await twoNodes('leaving', {
    a: timing,
    b: timing,
    storeA: (dataDir) => refusingStore(dataDir, () => refusing, 'gone'),
  });

  refusing = true;
  appendParagraph(onA.doc, 'held by node b only');
  await waitFor(() => minutesText(onB.doc).includes('held by node b only'), 5_000, "A's edit on node B");
  // B's only writer leaves at once: its room is written out and leaves memory, before the edit is due.
  onB.destroy();
  await waitFor(() => b.minutes.stats().documents === 0, 5_000, 'the room on node B to leave memory');
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.mergeUpdates(await b.store.ydocs.loadUpdates(minutesDocName('leaving'))));
  expect(minutesText(doc)).toContain('held by node b only');
});

it('keeps each item once when a writer brings a node what it was waiting for from another node', async () => {
  let losing = false;
  // Node b reads the store for what the relay lost only after 2 × 1 s: the writer below comes first.
  const { b, onA, onB } = await twoNodes('waiting', {
    relays: lossyRelays(() => losing),
    a: { flushDelayMs: 50 },
    b: { flushDelayMs: 1_000 },
  });

  // Node b never hears of the first edit; the second, building on it, waits inside Yjs there. Node a stores both.
  losing = true;
  appendParagraph(onA.doc, 'lost on the way');
  await sleep(200);
  losing = false;
  appendParagraph(onA.doc, 'waiting on node b');
  await sleep(200);
  expect(minutesText(onB.doc)).not.toContain('waiting on node b');

  // A writer holding both (the same account, moved to node b) brings them: node b stores them too, then folds its
  // rows, so each item is kept once.
  const moved = openMinutesClient(b.url, 'waiting', 'w1');
  cleanups.push(() => moved.destroy());
  Y.applyUpdate(moved.doc, Y.encodeStateAsUpdate(onA.doc));
  await moved.synced();
  await waitFor(() => minutesText(onB.doc).includes('waiting on node b'), 5_000, 'both edits on node B');
  const rows = () => b.store.ydocs.loadUpdates(minutesDocName('waiting'));
  const stored = async () => {
    const all = await rows();
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.mergeUpdates(all));
    const storedItems = all.flatMap((row) =>
      Y.decodeUpdate(row)
        .structs.filter((s) => !(s instanceof Y.Skip))
        .map((s) => ({ client: s.id.client, from: s.id.clock, to: s.id.clock + s.length })),
    );
    return { writers: [minutesText(onA.doc), minutesText(onB.doc)], stored: minutesText(doc), storedItems };
  };
  // Node b's write (within 1 s) and its compaction.
  await sleep(1_500);
  expect(checkHistory({ clients: {}, log: [], commands: {}, minutes: await stored() })).toEqual([]);
});
