/**
 * The minutes fill themselves from what happened (issue 13, finding 7): the actual opening from the session's
 * events (not the planned time), the closing time once it is recorded, and the register number ("Số") up to the
 * approval — an approved record does not change. A real server; the stock y-websocket client reads the minutes.
 */
import JSZip from 'jszip';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { SyncReply } from '../../../shared/protocol.ts';
import { dateAndTime, hhmmAt, isoDateAt } from '../../../shared/i18n/dates.ts';
import { minutesText, openMinutesClient, waitFor, type MinutesClient } from '../../helpers/minutesClient.ts';
import { staffState, startServer, type TestServer } from '../../helpers/server.ts';

let server: TestServer;
let secretary: string;
let chair: string;
const clients: MinutesClient[] = [];

beforeAll(async () => {
  server = await startServer();
  secretary = await server.staffToken('secretary', { name: 'Trần Thị Bình' });
  chair = await server.staffToken('chair', { name: 'Nguyễn Văn An' });
});

afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
});

afterAll(async () => {
  await server?.close();
});

async function open(id: string): Promise<MinutesClient> {
  const client = openMinutesClient(`ws://127.0.0.1:${server.port}/yjs`, id, secretary);
  clients.push(client);
  await client.synced();
  return client;
}

/** The status_changed event's time, as the ward's clock writes it: "08 giờ 34, ngày 05 tháng 6 năm 2020". */
async function recordedAt(sessionId: string, status: 'live' | 'closed'): Promise<string> {
  const socket = await server.connect(server.adminToken);
  try {
    const reply: SyncReply = await socket.emitWithAck('sync', { sessionId, since: 0 });
    if (!reply.ok) throw new Error('sync failed');
    const events = reply.mode === 'events' ? reply.events : [];
    const state = reply.mode === 'snapshot' ? reply.state : undefined;
    const at =
      events.find((e) => e.type === 'session.status_changed' && e.status === status)?.at ??
      (status === 'live' ? state?.openedAt : state?.closedAt);
    if (at === undefined) throw new Error(`no ${status} time recorded`);
    return dateAndTime(isoDateAt(at), hhmmAt(at));
  } finally {
    socket.disconnect();
  }
}

const line = (client: MinutesClient, start: string): string =>
  minutesText(client.doc).find((text) => text.startsWith(start)) ?? '';

async function documentText(id: string): Promise<string> {
  const res = await fetch(`${server.url}/api/sessions/${id}/export/minutes.docx`, {
    headers: { authorization: `Bearer ${secretary}` },
  });
  expect(res.status).toBe(200);
  const zip = await JSZip.loadAsync(Buffer.from(await res.arrayBuffer()));
  const xml = (await zip.file('word/document.xml')?.async('string')) ?? '';
  return Array.from(xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g), (m) => m[1] ?? '').join('\n');
}

describe('minutes filled from what happened', () => {
  it('writes the actual opening and closing times into the minutes when they are recorded', async () => {
    const { id } = await server.createSession({ startTime: '07:30' });
    const client = await open(id);
    const date = (await staffState(server, id)).date;
    // Before the meeting: the planned time, and blanks for the closing.
    expect(line(client, 'Thời gian bắt đầu')).toBe(`Thời gian bắt đầu: ${dateAndTime(date, '07:30')}`);
    expect(line(client, 'Hội nghị kết thúc')).toMatch(/^Hội nghị kết thúc vào … giờ …, ngày/);

    await server.setStatus(id, 'collecting');
    await server.setStatus(id, 'live');
    const opened = await recordedAt(id, 'live');
    await waitFor(
      () => line(client, 'Thời gian bắt đầu') === `Thời gian bắt đầu: ${opened}`,
      5_000,
      'the actual opening in the minutes',
    );

    await server.setStatus(id, 'closed');
    const closed = await recordedAt(id, 'closed');
    await waitFor(
      () => line(client, 'Hội nghị kết thúc') === `Hội nghị kết thúc vào ${closed}./.`,
      5_000,
      'the closing time in the minutes',
    );
    const docx = await documentText(id);
    expect(docx).toContain(opened);
    expect(docx).toContain(`Hội nghị kết thúc vào ${closed}./.`);
  });

  it('fills the template with the actual opening when the minutes are first opened after it', async () => {
    const { id } = await server.createSession({ startTime: '07:30' });
    await server.setStatus(id, 'collecting');
    await server.setStatus(id, 'live');
    const opened = await recordedAt(id, 'live');
    const client = await open(id);
    expect(line(client, 'Thời gian bắt đầu')).toBe(`Thời gian bắt đầu: ${opened}`);
  });

  it('leaves a line the secretary wrote in her own words', async () => {
    const { id } = await server.createSession();
    const client = await open(id);
    const fragment = client.doc.getXmlFragment('default');
    const index = minutesText(client.doc).findIndex((text) => text.startsWith('Thời gian bắt đầu'));
    client.doc.transact(() => {
      const paragraph = fragment.get(index);
      const text = paragraph instanceof Y.XmlElement ? paragraph.get(0) : null;
      if (!(text instanceof Y.XmlText)) throw new Error('no text in the opening line');
      text.delete(0, text.length);
      text.insert(0, 'Thời gian bắt đầu: sáng thứ Hai, sau phần văn nghệ', {});
    });
    await server.setStatus(id, 'collecting');
    await server.setStatus(id, 'live');
    const reader = await open(id);
    await waitFor(
      () => line(reader, 'Thời gian bắt đầu').includes('văn nghệ'),
      5_000,
      'the edit on the server',
    );
    // A moment for a fill that should not come.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(line(reader, 'Thời gian bắt đầu')).toBe('Thời gian bắt đầu: sáng thứ Hai, sau phần văn nghệ');
  });

  it('takes the register number with the approval, and changes nothing once approved', async () => {
    const { id } = await server.createSession();
    const client = await open(id);
    expect(minutesText(client.doc)).toContain('Số: …/BB-UBND');

    const bad = await server.api<{ code: string }>('POST', `/api/sessions/${id}/minutes/approve`, {
      token: chair,
      body: { docNumber: '<b>1</b>' },
    });
    expect(bad.status).toBe(400);

    const approved = await server.api<{ hash: string }>('POST', `/api/sessions/${id}/minutes/approve`, {
      token: chair,
      body: { docNumber: '15' },
    });
    expect(approved.status).toBe(200);
    await waitFor(
      () => minutesText(client.doc).includes('Số: 15/BB-UBND'),
      5_000,
      'the number in the minutes',
    );
    expect(await documentText(id)).toContain('Số: 15/BB-UBND');

    // After the approval: no other number, and closing the meeting does not touch the record.
    const again = await server.api<{ code: string }>('POST', `/api/sessions/${id}/minutes/approve`, {
      token: chair,
      body: { docNumber: '16' },
    });
    expect(again.body.code).toBe('minutes_approved');
    const before = await documentText(id);
    await server.setStatus(id, 'collecting');
    await server.setStatus(id, 'live');
    await server.setStatus(id, 'closed');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await documentText(id)).toBe(before);
    expect(before).toMatch(/Hội nghị kết thúc vào … giờ …/);
  });
});
