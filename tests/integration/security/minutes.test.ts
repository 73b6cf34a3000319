/**
 * Regression tests for the minutes' integrity (issue 12, findings 7 and 8), against the real app with the stock
 * y-websocket client: the approval is made by the server from the stored minutes and holds on every node; presence
 * entries belong to the connection that made them; a deeply nested insert is refused, the exports walk any tree
 * without recursion, and a room that fails to apply an update closes its connections and reloads from the store.
 */
import * as encoding from 'lib0/encoding';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { minutesDocName } from '../../../server/minutes/MinutesServer.ts';
import { contentHash } from '../../../server/minutes/hash.ts';
import type { YDocStore } from '../../../server/store/EventStore.ts';
import { MinutesCloseCode } from '../../../shared/minutes/closeCodes.ts';
import {
  appendParagraph,
  minutesText,
  openMinutesClient,
  sleep,
  waitFor,
  type MinutesClient,
} from '../../helpers/minutesClient.ts';
import { staffState, startServer, type TestServer } from '../../helpers/server.ts';
import { twoNodesOnRedis } from '../../helpers/twoNodes.ts';

let server: TestServer;
let chair: string;
let secretary: string;
let official: string;
const clients: MinutesClient[] = [];
const sockets: WebSocket[] = [];

beforeAll(async () => {
  server = await startServer();
  chair = await server.staffToken('chair', { name: 'Nguyễn Văn An' });
  secretary = await server.staffToken('secretary', { name: 'Trần Thị Bình' });
  official = await server.staffToken('official', { name: 'Lê Văn Cường' });
});

afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
  for (const s of sockets.splice(0)) s.terminate();
});

afterAll(async () => {
  await server?.close();
});

function wsBase(node: TestServer): string {
  return `${node.url.replace('http', 'ws')}/yjs`;
}

function open(node: TestServer, sessionId: string, token: string): MinutesClient {
  const client = openMinutesClient(wsBase(node), sessionId, token);
  clients.push(client);
  return client;
}

/** A bare websocket on the minutes endpoint, for frames the stock client would never send. */
async function rawSocket(
  node: TestServer,
  sessionId: string,
  token: string,
): Promise<{ ws: WebSocket; closed: Promise<number> }> {
  const ws = new WebSocket(`${wsBase(node)}/${sessionId}?token=${token}`);
  sockets.push(ws);
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  // The server's step1 arrives once the document is loaded: from then on frames go to the room.
  await new Promise<void>((resolve) => ws.once('message', () => resolve()));
  return { ws, closed };
}

function syncUpdateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0); // sync
  encoding.writeVarUint(encoder, 2); // update
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** An awareness frame with one entry, as y-protocols encodes it. */
function awarenessFrame(clientId: number, clock: number, state: unknown): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, 1);
  encoding.writeVarUint(inner, clientId);
  encoding.writeVarUint(inner, clock);
  encoding.writeVarString(inner, JSON.stringify(state));
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1); // awareness
  encoding.writeVarUint8Array(encoder, encoding.toUint8Array(inner));
  return encoding.toUint8Array(encoder);
}

/** The minutes as stored, merged into one document. */
async function storedDoc(ydocs: YDocStore, sessionId: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  const rows = await ydocs.loadUpdates(minutesDocName(sessionId));
  if (rows.length > 0) Y.applyUpdate(doc, Y.mergeUpdates(rows));
  return doc;
}

async function exportHtml(node: TestServer, sessionId: string, token: string): Promise<string> {
  const res = await fetch(`${node.url}/api/sessions/${sessionId}/export/minutes.html`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.status).toBe(200);
  return res.text();
}

async function exportStatus(node: TestServer, sessionId: string, kind: 'html' | 'docx'): Promise<number> {
  const res = await fetch(`${node.url}/api/sessions/${sessionId}/export/minutes.${kind}`, {
    headers: { authorization: `Bearer ${chair}` },
  });
  await res.arrayBuffer();
  return res.status;
}

/** `levels` elements, each inside the previous, in a new paragraph at the end of the minutes. */
function nest(doc: Y.Doc, levels: number, name = 'span'): Y.XmlElement {
  const fragment = doc.getXmlFragment('default');
  const paragraph = new Y.XmlElement('paragraph');
  doc.transact(() => {
    fragment.insert(fragment.length, [paragraph]);
    let parent = paragraph;
    for (let i = 0; i < levels; i++) {
      const child = new Y.XmlElement(name);
      parent.insert(0, [child]);
      parent = child;
    }
    parent.insert(0, [new Y.XmlText('innermost')]);
  });
  return paragraph;
}

/**
 * Writes a session's minutes straight into the store, as a document made before the nesting limit existed: the
 * template's title and a paragraph holding 20,000 nested elements. Returns the id of the outermost nested element.
 */
async function storeDeepMinutes(sessionId: string): Promise<Y.ID> {
  const doc = new Y.Doc();
  doc.getMap('meta').set('templated', true);
  appendParagraph(doc, 'BIÊN BẢN');
  appendParagraph(doc, 'Nội dung có từ trước.');
  const paragraph = nest(doc, 20_000);
  const outer = paragraph.get(0);
  if (!(outer instanceof Y.XmlElement) || !outer._item) throw new Error('no nested element');
  await server.app.ctx.store.ydocs.appendUpdate(minutesDocName(sessionId), Y.encodeStateAsUpdate(doc));
  return outer._item.id;
}

/** A Yjs update that deletes one item and inserts nothing (what deleting the element in an editor sends). */
function deleteUpdate(id: Y.ID): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0); // no structs
  encoding.writeVarUint(encoder, 1); // one client in the delete set
  encoding.writeVarUint(encoder, id.client);
  encoding.writeVarUint(encoder, 1); // one range
  encoding.writeVarUint(encoder, id.clock);
  encoding.writeVarUint(encoder, 1);
  return encoding.toUint8Array(encoder);
}

describe('minutes approval', () => {
  it('refuses an approval sent over the socket with a client-made hash; the server hashes the stored minutes', async () => {
    const { id } = await server.createSession();
    const sec = open(server, id, secretary);
    await sec.synced();
    appendParagraph(sec.doc, 'Nội dung đã thống nhất.');
    await waitFor(() => minutesText(sec.doc).includes('Nội dung đã thống nhất.'), 5_000, 'typed');
    await sleep(400); // written within 200 ms

    const forged = await server.command(chair, {
      type: 'minutes.approve',
      sessionId: id,
      hash: '0'.repeat(64),
    });
    expect(forged.ok).toBe(false);
    expect((await staffState(server, id)).minutesApproved).toBeUndefined();

    const res = await server.api<{ hash: string }>('POST', `/api/sessions/${id}/minutes/approve`, {
      token: chair,
    });
    expect(res.status).toBe(200);
    const stored = await storedDoc(server.app.ctx.store.ydocs, id);
    expect(minutesText(stored)).toContain('Nội dung đã thống nhất.');
    expect(res.body.hash).toBe(contentHash(stored));
    expect((await staffState(server, id)).minutesApproved?.hash).toBe(res.body.hash);

    // The writer still connected cannot change the approved text, and the export is that text.
    appendParagraph(sec.doc, 'Sửa sau khi duyệt.');
    await sleep(600);
    expect(contentHash(await storedDoc(server.app.ctx.store.ydocs, id))).toBe(res.body.hash);
    expect(await exportHtml(server, id, chair)).not.toContain('Sửa sau khi duyệt.');
  });
});

describe('minutes approval across nodes', () => {
  const nodes = twoNodesOnRedis(() => {
    for (const c of clients.splice(0)) c.destroy();
  });

  it(
    'holds on every node: a writer on node B cannot change the text approved on node A, and both export it',
    { timeout: 60_000 },
    async () => {
      const { a, b } = nodes;
      const { id } = await a.createSession();
      const [chairOnA, secretaryOnB, officialOnB] = await Promise.all([
        a.staffToken('chair', { name: 'Nguyễn Văn An' }),
        b.staffToken('secretary', { name: 'Trần Thị Bình' }),
        b.staffToken('official', { name: 'Lê Văn Cường' }),
      ]);
      const writer = open(b, id, secretaryOnB);
      const watcher = open(a, id, chairOnA);
      await Promise.all([writer.synced(), watcher.synced()]);
      appendParagraph(writer.doc, 'Trước khi duyệt.');
      await waitFor(() => minutesText(watcher.doc).includes('Trước khi duyệt.'), 10_000, 'A sees B');
      await sleep(400);

      const res = await a.api<{ hash: string }>('POST', `/api/sessions/${id}/minutes/approve`, {
        token: chairOnA,
      });
      expect(res.status).toBe(200);
      // Node B had the room open before the approval; its writer goes on typing.
      for (let i = 0; i < 5; i++) {
        appendParagraph(writer.doc, `Sau khi duyệt ${i}.`);
        await sleep(100);
      }
      await sleep(1_000);

      const stored = await storedDoc(a.app.ctx.store.ydocs, id);
      expect(minutesText(stored)).toContain('Trước khi duyệt.');
      expect(minutesText(stored).join('\n')).not.toContain('Sau khi duyệt');
      expect(contentHash(stored)).toBe(res.body.hash);
      const [onA, onB] = await Promise.all([exportHtml(a, id, chairOnA), exportHtml(b, id, officialOnB)]);
      expect(onA).toContain('Trước khi duyệt.');
      expect(onA).not.toContain('Sau khi duyệt');
      expect(onB).toBe(onA);
      const late = open(b, id, officialOnB);
      await late.synced();
      await sleep(300);
      expect(minutesText(late.doc).join('\n')).not.toContain('Sau khi duyệt');
    },
  );
});

describe('minutes presence', () => {
  it("drops an entry forged for another connection's client id and an oversized entry; neither is relayed", async () => {
    const { id } = await server.createSession();
    const chairClient = open(server, id, chair);
    const viewer = open(server, id, official);
    const observer = open(server, id, secretary);
    await Promise.all([chairClient.synced(), viewer.synced(), observer.synced()]);
    chairClient.provider.awareness.setLocalStateField('user', { name: 'Nguyễn Văn An', role: 'chair' });
    const chairId = chairClient.doc.clientID;
    const viewerId = viewer.doc.clientID;
    await waitFor(
      () => observer.provider.awareness.getStates().get(chairId)?.['user']?.name === 'Nguyễn Văn An',
      5_000,
      "the chair's presence",
    );
    // Everything the observer is shown of the chair's and the viewer's entries, from now on.
    const chairNames: string[] = [];
    let largestViewerState = 0;
    observer.provider.awareness.on('update', () => {
      const states = observer.provider.awareness.getStates();
      const name: unknown = states.get(chairId)?.['user']?.name;
      if (typeof name === 'string') chairNames.push(name);
      largestViewerState = Math.max(largestViewerState, JSON.stringify(states.get(viewerId) ?? {}).length);
    });

    const socket = viewer.provider.ws;
    if (!socket) throw new Error('viewer not connected');
    const ws = { send: (bytes: Uint8Array) => socket.send(new Uint8Array(bytes)) };
    const chairClock = (chairClient.provider.awareness.meta.get(chairId)?.clock ?? 0) + 10;
    const padding = 'x'.repeat(200_000);
    // The read-only official overwrites the chair's entry: small, then with 200 KB.
    ws.send(awarenessFrame(chairId, chairClock, { user: { name: 'Chủ tọa giả', role: 'chair' } }));
    ws.send(awarenessFrame(chairId, chairClock + 1, { user: { name: 'Chủ tọa giả' }, padding }));
    // Its own entry with 200 KB, then with a name of 10,000 characters.
    const viewerClock = viewer.provider.awareness.meta.get(viewerId)?.clock ?? 0;
    ws.send(awarenessFrame(viewerId, viewerClock + 5, { user: { name: 'Lê Văn Cường' }, padding }));
    ws.send(awarenessFrame(viewerId, viewerClock + 6, { user: { name: 'C'.repeat(10_000) } }));
    // Then an ordinary entry of its own: it is relayed, so everything before it was handled.
    ws.send(awarenessFrame(viewerId, viewerClock + 7, { user: { name: 'Lê Văn Cường' }, mark: 'done' }));
    await waitFor(
      () => observer.provider.awareness.getStates().get(viewerId)?.['mark'] === 'done',
      5_000,
      "the viewer's own entry",
    );
    await sleep(100);
    expect(chairNames.filter((name) => name !== 'Nguyễn Văn An')).toEqual([]);
    expect(observer.provider.awareness.getStates().get(chairId)?.['user']?.name).toBe('Nguyễn Văn An');
    expect(largestViewerState).toBeLessThan(4_096);
    // The same account on a second socket (a reconnect) takes its entry over; another account's socket cannot.
    const again = await rawSocket(server, id, official);
    again.ws.send(
      awarenessFrame(viewerId, viewerClock + 8, { user: { name: 'Lê Văn Cường' }, mark: 'moved' }),
    );
    await waitFor(
      () => observer.provider.awareness.getStates().get(viewerId)?.['mark'] === 'moved',
      5_000,
      'the entry moved to the new socket',
    );
    const other = await rawSocket(server, id, secretary);
    other.ws.send(awarenessFrame(viewerId, viewerClock + 9, { user: { name: 'Giả mạo' }, mark: 'taken' }));
    again.ws.send(
      awarenessFrame(viewerId, viewerClock + 10, { user: { name: 'Lê Văn Cường' }, mark: 'kept' }),
    );
    await waitFor(
      () => observer.provider.awareness.getStates().get(viewerId)?.['mark'] === 'kept',
      5_000,
      'the entry kept by its account',
    );
    // The chair's own updates still go through.
    chairClient.provider.awareness.setLocalStateField('user', { name: 'Nguyễn Văn An', role: 'chair', v: 2 });
    await waitFor(
      () => observer.provider.awareness.getStates().get(chairId)?.['user']?.v === 2,
      5_000,
      "the chair's next update",
    );
  });
});

describe('minutes presence names', () => {
  it("shows every connection under its account's name and role, whatever its presence claims", async () => {
    const { id } = await server.createSession();
    const pretender = open(server, id, secretary);
    const reader = open(server, id, official);
    const observer = open(server, id, chair);
    await Promise.all([pretender.synced(), reader.synced(), observer.synced()]);
    // The secretary's tab says it is the chairman; the read-only official's says it may write.
    pretender.provider.awareness.setLocalStateField('user', {
      name: 'Chủ tịch UBND phường',
      role: 'chair',
      color: '#112233',
      writer: true,
    });
    reader.provider.awareness.setLocalStateField('user', { name: 'Ai đó', role: 'chair', writer: true });
    const shown = (clientId: number) => observer.provider.awareness.getStates().get(clientId)?.['user'];
    await waitFor(
      () => shown(pretender.doc.clientID) !== undefined && shown(reader.doc.clientID) !== undefined,
      5_000,
      'both entries',
    );
    expect(shown(pretender.doc.clientID)).toEqual({
      name: 'Trần Thị Bình',
      role: 'secretary',
      color: '#112233',
      writer: true,
    });
    expect(shown(reader.doc.clientID)).toMatchObject({
      name: 'Lê Văn Cường',
      role: 'official',
      writer: false,
    });
  });
});

describe('minutes nesting', () => {
  it('refuses an update that nests deeper than the limit with a named code: nothing is applied, exports work', async () => {
    const { id } = await server.createSession();
    const attacker = open(server, id, secretary);
    const other = open(server, id, chair);
    await Promise.all([attacker.synced(), other.synced()]);
    // Nesting a real document has (lists in lists) is accepted.
    nest(other.doc, 12, 'blockquote');
    await sleep(400);
    nest(attacker.doc, 20_000);
    await waitFor(() => attacker.closes.length > 0, 10_000, 'the attacker closed');
    expect(attacker.closes[0]?.code).toBe(MinutesCloseCode.UpdateRefused);
    expect(attacker.provider.shouldConnect).toBe(false);
    await sleep(400);
    const stored = await storedDoc(server.app.ctx.store.ydocs, id);
    const paragraphs = stored.getXmlFragment('default').toArray();
    expect(paragraphs.filter((p) => p instanceof Y.XmlElement && p.toString().includes('<span>'))).toEqual(
      [],
    );
    expect(minutesText(stored)).toContain('innermost'); // the 12 levels
    expect(minutesText(other.doc).filter((t) => t === 'innermost')).toHaveLength(1);
    expect(await exportStatus(server, id, 'html')).toBe(200);
    expect(await exportStatus(server, id, 'docx')).toBe(200);
  });

  it(
    'exports and approves minutes stored with 20,000 nested elements, without recursion',
    { timeout: 60_000 },
    async () => {
      const { id } = await server.createSession();
      await storeDeepMinutes(id);
      expect(await exportStatus(server, id, 'html')).toBe(200);
      expect(await exportStatus(server, id, 'docx')).toBe(200);
      const res = await server.api<{ hash: string }>('POST', `/api/sessions/${id}/minutes/approve`, {
        token: chair,
      });
      expect(res.status).toBe(200);
      expect(res.body.hash).toBe(contentHash(await storedDoc(server.app.ctx.store.ydocs, id)));
      expect(await exportHtml(server, id, chair)).toContain('innermost');
    },
  );

  it(
    'closes every connection and reloads from the store when the room fails to apply an update; later edits are saved',
    { timeout: 60_000 },
    async () => {
      const { id } = await server.createSession();
      const outer = await storeDeepMinutes(id);
      const writer = open(server, id, chair);
      await writer.synced(20_000);
      const attacker = await rawSocket(server, id, secretary);
      // Deleting the element makes Yjs recurse 20,000 levels deep while it applies the update.
      attacker.ws.send(syncUpdateFrame(deleteUpdate(outer)));
      expect(await attacker.closed).toBe(MinutesCloseCode.UpdateRefused);
      await waitFor(() => writer.closes.length > 0, 10_000, "the writer's connection closed");
      expect(writer.closes[0]?.code).toBe(MinutesCloseCode.Reloading);
      // Transient: the stock client reconnects to the reloaded room, and what it types is saved.
      await waitFor(() => writer.provider.wsconnected && writer.provider.synced, 20_000, 'reconnected');
      appendParagraph(writer.doc, 'Sau khi tải lại.');
      await waitFor(
        () => minutesText(writer.doc).includes('Sau khi tải lại.'),
        1_000,
        'typed after the reload',
      );
      const deadline = Date.now() + 10_000;
      let stored = await storedDoc(server.app.ctx.store.ydocs, id);
      while (!minutesText(stored).includes('Sau khi tải lại.') && Date.now() < deadline) {
        await sleep(100);
        stored = await storedDoc(server.app.ctx.store.ydocs, id);
      }
      expect(minutesText(stored)).toContain('Sau khi tải lại.');
      expect(minutesText(stored)).toContain('innermost');
    },
  );
});
