/**
 * The scale-out seam: two server nodes on one store, joined by an in-memory relay standing in for Redis pub/sub.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { minutesDocName } from '../../../server/minutes/MinutesServer.ts';
import type { MinutesRelay } from '../../../server/minutes/types.ts';
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

it('relays edits between nodes, and only the accepting node stores them', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'minutes-relay-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const relay = createBus();
  const a = await startMinutesTestServer({ dataDir, options: { relay: relay('a') } });
  cleanups.push(() => a.close());
  const b = await startMinutesTestServer({ dataDir, options: { relay: relay('b') } });
  cleanups.push(() => b.close());

  const onA = openMinutesClient(a.url, 'scaled', 'w1');
  cleanups.push(() => onA.destroy());
  await onA.synced();
  const onB = openMinutesClient(b.url, 'scaled', 'w2');
  cleanups.push(() => onB.destroy());
  await onB.synced();
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
