/**
 * The minutes endpoint against the stock y-websocket client (WebsocketProvider with ws as its WebSocket), on a real
 * HTTP server and the SQLite store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { minutesDocName } from '../../../server/minutes/MinutesServer.ts';
import { contentHash } from '../../../server/minutes/hash.ts';
import type { Store } from '../../../server/store/EventStore.ts';
import {
  appendParagraph,
  minutesText,
  openMinutesClient,
  sleep,
  waitFor,
} from '../../helpers/minutesClient.ts';
import type { MinutesClient } from '../../helpers/minutesClient.ts';
import { minutesContext } from '../../helpers/minutesFixtures.ts';
import { startMinutesTestServer } from '../../helpers/minutesTestServer.ts';
import type { MinutesTestServerOptions, MinutesTestServer } from '../../helpers/minutesTestServer.ts';

const TEMPLATE_BLOCKS = 27;

let cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function server(config: Partial<MinutesTestServerOptions> = {}): Promise<MinutesTestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'minutes-'));
  const started = await startMinutesTestServer({ dataDir, ...config });
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  cleanups.push(() => started.close());
  return started;
}

function client(srv: MinutesTestServer, sessionId: string, token: string | null): MinutesClient {
  const opened = openMinutesClient(srv.url, sessionId, token);
  cleanups.push(() => opened.destroy());
  return opened;
}

/** The document as stored (all rows merged), read straight from the store. */
async function stored(store: Store, sessionId: string): Promise<{ rows: number; text: string[] }> {
  const rows = await store.ydocs.loadUpdates(minutesDocName(sessionId));
  const doc = new Y.Doc();
  if (rows.length > 0) Y.applyUpdate(doc, Y.mergeUpdates(rows));
  return { rows: rows.length, text: minutesText(doc) };
}

/**
 * Waits until the server has handled everything `from` sent so far: awareness travels on the same socket after the
 * updates and the server handles one socket's frames in order, so once `to` sees the new awareness state the updates
 * before it were applied — or dropped.
 */
async function barrier(from: MinutesClient, to: MinutesClient, mark: string): Promise<void> {
  from.provider.awareness.setLocalStateField('barrier', mark);
  await waitFor(
    () => to.provider.awareness.getStates().get(from.doc.clientID)?.['barrier'] === mark,
    5_000,
    `barrier ${mark}`,
  );
}

/**
 * Inserts `marker` into the text of block `index` at a position chosen by `pick` (0…1) among those outside other
 * "[…]" markers, so that every marker stays whole and can be searched for afterwards.
 */
function insertInto(doc: Y.Doc, index: number, marker: string, pick: number): void {
  const block = doc.getXmlFragment('default').get(index);
  if (!(block instanceof Y.XmlElement)) throw new Error(`block ${index} is not an element`);
  const ytext = block.get(0);
  if (!(ytext instanceof Y.XmlText)) throw new Error(`block ${index} has no text`);
  const plain = ytext
    .toDelta()
    .map((op: { insert: string }) => op.insert)
    .join('');
  const boundaries: number[] = [];
  let depth = 0;
  for (let i = 0; i <= plain.length; i++) {
    if (depth === 0) boundaries.push(i);
    if (plain[i] === '[') depth++;
    if (plain[i] === ']') depth--;
  }
  ytext.insert(boundaries[Math.floor(pick * boundaries.length)] ?? 0, marker, {});
}

describe('sync with the stock y-websocket client', () => {
  it('two writers editing the same paragraph at the same time converge, and the server holds the result', async () => {
    const srv = await server();
    const a = client(srv, 'converge', 'w1');
    const b = client(srv, 'converge', 'w2');
    await Promise.all([a.synced(), b.synced()]);
    const markers: string[] = [];
    // Seeded, so a failure can be replayed.
    let seed = 42;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 40; i++) {
      for (const [name, c] of [
        ['A', a],
        ['B', b],
      ] as const) {
        const marker = `[${name}${i}]`;
        markers.push(marker);
        if (random() < 0.7) insertInto(c.doc, 9, marker, random());
        else appendParagraph(c.doc, marker);
      }
      if (i % 5 === 0) await sleep(1); // let frames cross on the wire
    }
    await waitFor(
      () =>
        minutesText(a.doc).join('\n') === minutesText(b.doc).join('\n') &&
        markers.every((m) => minutesText(a.doc).join('').includes(m)),
      10_000,
      'convergence',
    );
    expect(Y.encodeStateVector(a.doc)).toEqual(Y.encodeStateVector(b.doc));
    const c = client(srv, 'converge', 'r');
    await c.synced();
    expect(minutesText(c.doc)).toEqual(minutesText(a.doc));
  });

  it("a read-only connection's edits reach no one and are not stored; it still receives the writers' edits", async () => {
    const srv = await server();
    const writer = client(srv, 'readonly', 'w1');
    const reader = client(srv, 'readonly', 'r');
    await Promise.all([writer.synced(), reader.synced()]);
    appendParagraph(reader.doc, 'READ-ONLY EDIT');
    await barrier(reader, writer, 'after-edit');
    expect(minutesText(writer.doc)).not.toContain('READ-ONLY EDIT');
    appendParagraph(writer.doc, 'WRITER EDIT');
    await waitFor(
      () => minutesText(reader.doc).includes('WRITER EDIT'),
      5_000,
      'reader gets the writer edit',
    );
    const third = client(srv, 'readonly', 'w2');
    await third.synced();
    expect(minutesText(third.doc)).toContain('WRITER EDIT');
    expect(minutesText(third.doc)).not.toContain('READ-ONLY EDIT');
    await waitFor(() => srv.minutes.stats().documents === 1, 1_000, 'doc open');
    for (const c of [writer, reader, third]) c.destroy();
    await waitFor(() => srv.minutes.stats().documents === 0, 5_000, 'doc unloaded');
    const { text } = await stored(srv.store, 'readonly');
    expect(text).toContain('WRITER EDIT');
    expect(text).not.toContain('READ-ONLY EDIT');
  });

  it('refuses a bad token with 4401 and an attendee with 4403, permanently: the client does not retry', async () => {
    const srv = await server();
    const bad = client(srv, 'auth', 'forged');
    const none = client(srv, 'auth', null);
    const attendee = client(srv, 'auth', 'att');
    const closedEvents: number[] = [];
    attendee.provider.on('closed', (event) => closedEvents.push(event.code));
    await waitFor(
      () => bad.closes.length > 0 && none.closes.length > 0 && attendee.closes.length > 0,
      5_000,
      'closes',
    );
    expect(bad.closes[0]?.code).toBe(4401);
    expect(none.closes[0]?.code).toBe(4401);
    expect(attendee.closes[0]?.code).toBe(4403);
    expect(closedEvents).toEqual([4403]);
    // With maxBackoffTime 500 a retrying client would have come back 3+ times by now.
    await sleep(1_500);
    expect(srv.authorizeCalls.filter((call) => call.token === 'att')).toHaveLength(1);
    expect(srv.authorizeCalls.filter((call) => call.token === 'forged')).toHaveLength(1);
    expect(attendee.closes).toHaveLength(1);
    expect(attendee.provider.synced).toBe(false);
    expect(minutesText(attendee.doc)).toEqual([]);
  });

  it('closes a malformed session id with 4404 without asking the authorizer', async () => {
    const srv = await server();
    const c = client(srv, 'no such/session', 'w1');
    await waitFor(() => c.closes.length > 0, 5_000, 'close');
    expect(c.closes[0]?.code).toBe(4404);
    expect(srv.authorizeCalls).toHaveLength(0);
  });

  it('passes the authorizer’s own close code through (e.g. 4404 for an unknown session)', async () => {
    const srv = await server({ options: { authorize: async () => 4404 } });
    const c = client(srv, 'gone', 'w1');
    await waitFor(() => c.closes.length > 0, 5_000, 'close');
    expect(c.closes[0]?.code).toBe(4404);
  });

  it('pre-fills the template exactly once when three clients open a new session at the same moment', async () => {
    let contextCalls = 0;
    const srv = await server({
      options: {
        context: async () => {
          contextCalls++;
          await sleep(50); // widen the window in which a second load could start
          return minutesContext;
        },
      },
    });
    const clients = [client(srv, 'fresh', 'w1'), client(srv, 'fresh', 'w2'), client(srv, 'fresh', 'r')];
    await Promise.all(clients.map((c) => c.synced()));
    for (const c of clients) {
      expect(minutesText(c.doc)).toHaveLength(TEMPLATE_BLOCKS);
      expect(minutesText(c.doc).filter((t) => t === 'BIÊN BẢN')).toHaveLength(1);
    }
    expect(contextCalls).toBe(1);
    // Stored before anyone saw it.
    expect(await stored(srv.store, 'fresh')).toMatchObject({ rows: 1 });
    for (const c of clients) c.destroy();
    await waitFor(() => srv.minutes.stats().documents === 0, 5_000, 'doc unloaded');
    const again = client(srv, 'fresh', 'w1');
    await again.synced();
    expect(minutesText(again.doc)).toHaveLength(TEMPLATE_BLOCKS);
    expect(contextCalls).toBe(1);
  });

  it('never re-fills a document whose content was deleted', async () => {
    const srv = await server();
    const c = client(srv, 'emptied', 'w1');
    await c.synced();
    const fragment = c.doc.getXmlFragment('default');
    fragment.delete(0, fragment.length);
    const deadline = Date.now() + 5_000;
    while ((await stored(srv.store, 'emptied')).text.length > 0) {
      if (Date.now() > deadline) throw new Error('deletion never stored');
      await sleep(20);
    }
    c.destroy();
    await waitFor(() => srv.minutes.stats().documents === 0, 5_000, 'doc unloaded');
    const again = client(srv, 'emptied', 'w1');
    await again.synced();
    expect(minutesText(again.doc)).toEqual([]);
  });

  it('stores each update within about the flush delay, and merges the rows into one when the doc leaves memory', async () => {
    const srv = await server({ options: { flushDelayMs: 200 } });
    const c = client(srv, 'durable', 'w1');
    await c.synced();
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = Date.now();
      appendParagraph(c.doc, `edit ${i}`);
      await waitForStored(srv.store, 'durable', `edit ${i}`);
      latencies.push(Date.now() - started);
    }
    expect(Math.max(...latencies)).toBeLessThan(1_000);
    expect((await stored(srv.store, 'durable')).rows).toBeGreaterThan(1);
    c.destroy();
    await waitFor(() => srv.minutes.stats().documents === 0, 5_000, 'doc unloaded');
    const { rows, text } = await stored(srv.store, 'durable');
    expect(rows).toBe(1);
    expect(text.slice(-5)).toEqual(['edit 0', 'edit 1', 'edit 2', 'edit 3', 'edit 4']);
  });

  it('compacts after `compactAfter` rows while the doc is open', async () => {
    const srv = await server({ options: { flushDelayMs: 10, compactAfter: 5 } });
    const c = client(srv, 'compact', 'w1');
    await c.synced();
    for (let i = 0; i < 12; i++) {
      appendParagraph(c.doc, `row ${i}`);
      await waitForStored(srv.store, 'compact', `row ${i}`);
    }
    const { rows, text } = await stored(srv.store, 'compact');
    expect(rows).toBeLessThan(5);
    expect(text.filter((t) => t.startsWith('row '))).toHaveLength(12);
  });
});

async function waitForStored(store: Store, sessionId: string, text: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    if ((await stored(store, sessionId)).text.includes(text)) return;
    if (Date.now() > deadline) throw new Error(`${text} never stored`);
    await sleep(10);
  }
}

describe('approval lock', () => {
  it('drops every write after approve(), which returns the hash of the stored content at the approval', async () => {
    const srv = await server();
    const secretary = client(srv, 'approve', 'w1');
    const chair = client(srv, 'approve', 'w2');
    await Promise.all([secretary.synced(), chair.synced()]);
    appendParagraph(secretary.doc, 'agreed text');
    await waitFor(() => minutesText(chair.doc).includes('agreed text'), 5_000, 'chair sees the text');
    const hash = await srv.minutes.approve('approve');
    expect(hash).toBe(contentHash(chair.doc));
    appendParagraph(secretary.doc, 'too late');
    await barrier(secretary, chair, 'after-lock');
    expect(minutesText(chair.doc)).not.toContain('too late');
    expect(await srv.minutes.approve('approve')).toBe(hash);
    expect(contentHash(await srv.minutes.getDoc('approve'))).toBe(hash);
    const late = client(srv, 'approve', 'w1');
    await late.synced();
    expect(minutesText(late.doc)).not.toContain('too late');
  });

  it('opens an approved session read-only for everyone, writers included', async () => {
    const srv = await server();
    const writer = client(srv, 'locked-1', 'w1');
    const other = client(srv, 'locked-1', 'w2');
    await Promise.all([writer.synced(), other.synced()]);
    appendParagraph(writer.doc, 'after approval');
    await barrier(writer, other, 'x');
    expect(minutesText(other.doc)).not.toContain('after approval');
    expect(minutesText(await srv.minutes.getDoc('locked-1'))).not.toContain('after approval');
  });
});

describe('getDoc', () => {
  it('returns a copy of the live document, and loads (and pre-fills) one nobody has open', async () => {
    const srv = await server();
    const c = client(srv, 'export', 'w1');
    await c.synced();
    appendParagraph(c.doc, 'live edit');
    await waitFor(() => srv.minutes.stats().documents === 1, 1_000, 'open');
    await waitForStored(srv.store, 'export', 'live edit');
    const copy = await srv.minutes.getDoc('export');
    expect(minutesText(copy)).toContain('live edit');
    copy.getXmlFragment('default').delete(0, 1); // a copy: the room is not touched
    await sleep(50);
    expect(minutesText(c.doc)[0]).toBe('ỦY BAN NHÂN DÂN');
    const never = await srv.minutes.getDoc('never-opened');
    expect(minutesText(never)).toHaveLength(TEMPLATE_BLOCKS);
    await waitFor(() => srv.minutes.stats().documents === 1, 5_000, 'never-opened unloaded again');
  });
});
