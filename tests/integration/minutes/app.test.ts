/**
 * The minutes as the real app wires them (server/http/minutes.ts), spoken to by the stock y-websocket client in
 * Node: who may write, read or not connect at all, the Decree 30 template filled from the session, the chair's
 * approval (lock + hash recorded in the event log) and the DOCX export of what the writers typed.
 */
import JSZip from 'jszip';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  appendParagraph,
  minutesText,
  openMinutesClient,
  sleep,
  waitFor,
  type MinutesClient,
} from '../../helpers/minutesClient.ts';
import { staffState, startServer, type TestServer } from '../../helpers/server.ts';

let server: TestServer;
let wsBase: string;
let secretary: string;
let chair: string;
let official: string;
const clients: MinutesClient[] = [];

function open(sessionId: string, token: string | null): MinutesClient {
  const client = openMinutesClient(wsBase, sessionId, token);
  clients.push(client);
  return client;
}

const text = (c: MinutesClient) => minutesText(c.doc).join('\n');

/** Inserts `value` at the start of the first empty paragraph (under the first programme heading), as typing would. */
function typeInFirstEmptyParagraph(doc: Y.Doc, value: string): void {
  const fragment = doc.getXmlFragment('default');
  const paragraph = fragment
    .toArray()
    .find(
      (n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === 'paragraph' && n.length === 0,
    );
  if (!paragraph) throw new Error('no empty paragraph in the template');
  doc.transact(() => {
    const t = new Y.XmlText();
    paragraph.insert(0, [t]);
    t.insert(0, value, {});
  });
}

beforeAll(async () => {
  server = await startServer();
  wsBase = `ws://127.0.0.1:${server.port}/yjs`;
  secretary = await server.staffToken('secretary', { name: 'Trần Thị Bình' });
  chair = await server.staffToken('chair', { name: 'Nguyễn Văn An' });
  official = await server.staffToken('official', { name: 'Lê Văn Cường' });
});

afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
});

afterAll(async () => {
  await server?.close();
});

describe('minutes in the app', () => {
  it('pre-fills the Decree 30 template with the session title and venue, once', async () => {
    const { id } = await server.createSession({
      title: 'Hội nghị đối thoại quý II',
      venue: 'Hội trường tổ dân phố 5',
    });
    const a = open(id, secretary);
    await a.synced();
    const first = minutesText(a.doc);
    expect(first).toContain('BIÊN BẢN');
    expect(first).toContain('Hội nghị đối thoại quý II');
    expect(first.some((line) => line.includes('Địa điểm') && line.includes('Hội trường tổ dân phố 5'))).toBe(
      true,
    );
    expect(first).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    // A second writer (and a reload) sees the same document, not a second template.
    const b = open(id, chair);
    await b.synced();
    expect(minutesText(b.doc)).toEqual(first);
  });

  it('secretary and chair type at the same time and converge', async () => {
    const { id } = await server.createSession();
    const sec = open(id, secretary);
    const ch = open(id, chair);
    await Promise.all([sec.synced(), ch.synced()]);
    // Both type into the same empty paragraph before either has seen the other's edit.
    typeInFirstEmptyParagraph(sec.doc, 'Thư ký ghi: khai mạc lúc 8 giờ.');
    typeInFirstEmptyParagraph(ch.doc, 'Chủ tọa bổ sung: có 120 đại biểu.');
    appendParagraph(sec.doc, 'Đoạn của thư ký ở cuối.');
    appendParagraph(ch.doc, 'Đoạn của chủ tọa ở cuối.');
    await waitFor(
      () =>
        text(sec) === text(ch) &&
        text(sec).includes('Đoạn của chủ tọa') &&
        text(ch).includes('Đoạn của thư ký'),
      5_000,
      'convergence',
    );
    for (const s of [
      'Thư ký ghi: khai mạc lúc 8 giờ.',
      'Chủ tọa bổ sung: có 120 đại biểu.',
      'Đoạn của thư ký ở cuối.',
      'Đoạn của chủ tọa ở cuối.',
    ]) {
      expect(text(sec)).toContain(s);
    }
    // A third client opening afterwards gets the same merged document from the server.
    const late = open(id, official);
    await late.synced();
    await waitFor(() => text(late) === text(sec), 5_000, 'late reader in step');
  });

  it("an official's connection is read-only: its edits reach no one", async () => {
    const { id } = await server.createSession();
    const sec = open(id, secretary);
    const off = open(id, official);
    await Promise.all([sec.synced(), off.synced()]);
    appendParagraph(off.doc, 'Sửa trái phép của công chức.');
    // Then the secretary writes: once the official sees it, the official's earlier frame was handled long before.
    appendParagraph(sec.doc, 'Dấu mốc của thư ký.');
    await waitFor(() => text(off).includes('Dấu mốc của thư ký.'), 5_000, 'official receives the secretary');
    await sleep(100);
    expect(text(sec)).not.toContain('Sửa trái phép');
    const fresh = open(id, chair);
    await fresh.synced();
    expect(text(fresh)).toContain('Dấu mốc của thư ký.');
    expect(text(fresh)).not.toContain('Sửa trái phép');
  });

  it('closes an attendee with 4403 and a bad token with 4401, for good', async () => {
    const { id, joinCode } = await server.createSession();
    await server.setStatus(id, 'live');
    const attendee = await server.join(joinCode, { name: 'Nguyễn Thị Lan', group: 3 });
    const a = open(id, attendee.token);
    const bad = open(id, 'not-a-token');
    const none = open(id, null);
    await waitFor(
      () => a.closes.length > 0 && bad.closes.length > 0 && none.closes.length > 0,
      5_000,
      'refusals',
    );
    expect(a.closes[0]?.code).toBe(4403);
    expect(bad.closes[0]?.code).toBe(4401);
    expect(none.closes[0]?.code).toBe(4401);
    // Permanent: the stock client stops retrying.
    expect(a.provider.shouldConnect).toBe(false);
    expect(bad.provider.shouldConnect).toBe(false);
    await sleep(600);
    expect(a.closes).toHaveLength(1);
    expect(a.provider.synced).toBe(false);
    expect(minutesText(a.doc)).toEqual([]);
  });

  it('approval records the content hash in the log and drops every later edit', async () => {
    const { id } = await server.createSession({ title: 'Đối thoại cuối năm' });
    const sec = open(id, secretary);
    await sec.synced();
    appendParagraph(sec.doc, 'Nội dung trước khi duyệt.');
    const watcher = open(id, chair);
    await watcher.synced();
    await waitFor(() => text(watcher).includes('Nội dung trước khi duyệt.'), 5_000, 'chair sees the text');

    // Only the chair approves.
    const denied = await server.api('POST', `/api/sessions/${id}/minutes/approve`, { token: secretary });
    expect(denied.status).toBe(403);
    const res = await server.api<{ hash: string; seq: number }>(
      'POST',
      `/api/sessions/${id}/minutes/approve`,
      { token: chair },
    );
    expect(res.status).toBe(200);
    expect(res.body.hash).toMatch(/^[0-9a-f]{64}$/);

    const state = await staffState(server, id);
    expect(state.minutesApproved?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(state.minutesApproved?.hash).toBe(res.body.hash);
    expect(state.minutesApproved?.by.role).toBe('chair');

    // A second approval is refused.
    const again = await server.api<{ code: string }>('POST', `/api/sessions/${id}/minutes/approve`, {
      token: chair,
    });
    expect(again.status).toBeGreaterThanOrEqual(400);
    expect(again.body.code).toBe('minutes_approved');

    // The still-open writer's edit, and a new writer's, are dropped.
    appendParagraph(sec.doc, 'Sửa sau khi duyệt.');
    const late = open(id, secretary);
    await late.synced();
    appendParagraph(late.doc, 'Sửa của kết nối mới sau khi duyệt.');
    await sleep(400);
    expect(text(watcher)).not.toContain('Sửa sau khi duyệt.');
    const check = open(id, chair);
    await check.synced();
    expect(text(check)).toContain('Nội dung trước khi duyệt.');
    expect(text(check)).not.toContain('Sửa sau khi duyệt.');
    expect(text(check)).not.toContain('Sửa của kết nối mới');
  });

  it('exports a DOCX holding the session title and what the writers typed', async () => {
    const { id } = await server.createSession({ title: 'Hội nghị đối thoại về thủ tục đất đai' });
    const sec = open(id, secretary);
    const ch = open(id, chair);
    await Promise.all([sec.synced(), ch.synced()]);
    typeInFirstEmptyParagraph(
      sec.doc,
      'Ông Phạm Quốc Bảo (Tổ dân phố 5) phát biểu về cấp giấy phép xây dựng.',
    );
    appendParagraph(ch.doc, 'Chủ tọa kết luận: giao Văn phòng tổng hợp ý kiến.');
    await waitFor(
      () => text(sec).includes('Chủ tọa kết luận') && text(ch).includes('Phạm Quốc Bảo'),
      5_000,
      'both texts on the server',
    );

    const res = await fetch(`${server.url}/api/sessions/${id}/export/minutes.docx`, {
      headers: { authorization: `Bearer ${secretary}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('wordprocessingml');
    const zip = await JSZip.loadAsync(Buffer.from(await res.arrayBuffer()));
    const xml = await zip.file('word/document.xml')?.async('string');
    expect(xml).toBeDefined();
    const plain = Array.from(
      (xml ?? '').matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g),
      (m) => m[1] ?? '',
    ).join('');
    expect(plain).toContain('Hội nghị đối thoại về thủ tục đất đai');
    expect(plain).toContain('Ông Phạm Quốc Bảo (Tổ dân phố 5) phát biểu về cấp giấy phép xây dựng.');
    expect(plain).toContain('Chủ tọa kết luận: giao Văn phòng tổng hợp ý kiến.');

    // Staff only: no token, no file.
    const anonymous = await fetch(`${server.url}/api/sessions/${id}/export/minutes.docx`);
    expect(anonymous.status).toBe(401);
  });
});
