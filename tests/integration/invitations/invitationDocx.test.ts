/**
 * The giấy mời as DOCX (issue 14): one page per invitee in the Decree 30 layout — "Số: 15/GM-UBND", GIẤY MỜI,
 * "Kính gửi: Bà …", the meeting's time in words, the signature — with the invitee's personal QR (the very link of
 * the printable letter), all invitees or one.
 */
import JSZip from 'jszip';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InvitationsReply, Invitee } from '../../../shared/invitations/invitees.ts';
import { startServer, type TestServer } from '../../helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
});

async function docx(path: string, token = server.adminToken) {
  const res = await fetch(server.url + path, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) return { status: res.status, text: '', images: [] as Buffer[] };
  const zip = await JSZip.loadAsync(Buffer.from(await res.arrayBuffer()));
  const xml = await zip.file('word/document.xml')!.async('string');
  const text = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
  const media = Object.keys(zip.files)
    .filter((f) => f.startsWith('word/media/'))
    .sort();
  const images = await Promise.all(
    media.map(async (f) => Buffer.from(await zip.file(f)!.async('uint8array'))),
  );
  return { status: res.status, text, images, pageBreaks: xml.match(/<w:pageBreakBefore\/>/g)?.length ?? 0 };
}

describe('giấy mời as DOCX', () => {
  it('writes one letter per invitee with their personal QR, or one invitee’s alone', async () => {
    const { id } = await server.createSession({ title: 'Hội nghị đối thoại năm 2026', date: '2026-12-15' });
    const add = async (body: Record<string, unknown>) =>
      (await server.api<Invitee>('POST', `/api/sessions/${id}/invitees`, { token: server.adminToken, body }))
        .body;
    const lan = await add({ salutation: 'ba', name: 'Nguyễn Thị Lan', category: 'groupLeader', group: 3 });
    await add({ salutation: 'ong', name: 'Lê Văn Tâm', category: 'front' });
    await server.api('PUT', `/api/sessions/${id}/invitations/settings`, {
      token: server.adminToken,
      body: {
        number: '15',
        signFor: 'TM. ỦY BAN NHÂN DÂN',
        signerTitle: 'CHỦ TỊCH',
        signerName: 'Trần Văn Hùng',
        issuedOn: '2026-12-01',
      },
    });

    // The settings alone, as the Khách mời tab reads them.
    expect(
      (await server.api(`GET`, `/api/sessions/${id}/invitations/settings`, { token: server.adminToken }))
        .body,
    ).toMatchObject({ number: '15', signerName: 'Trần Văn Hùng', issuedOn: '2026-12-01' });
    const all = await docx(`/api/sessions/${id}/export/invitations.docx`);
    expect(all.status).toBe(200);
    for (const words of [
      'Số: 15/GM-UBND',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'GIẤY MỜI',
      'Kính gửi: Bà Nguyễn Thị Lan',
      'Kính gửi: Ông Lê Văn Tâm',
      'Vào hồi 08 giờ 00, thứ Ba, ngày 15 tháng 12 năm 2026',
      'ngày 01 tháng 12 năm 2026',
      'Trần Văn Hùng',
    ])
      expect(all.text, words).toContain(words);
    expect(all.text.match(/Kính gửi:/g)).toHaveLength(2);
    expect(all.pageBreaks).toBe(1);

    // The QR is the printable letter's personal link.
    const cards = (
      await server.api<InvitationsReply>('GET', `/api/sessions/${id}/invitations`, {
        token: server.adminToken,
      })
    ).body.cards;
    const link = cards.find((c) => c.invitee.id === lan.id)!.link;
    const qr = await QRCode.toBuffer(link, { type: 'png', errorCorrectionLevel: 'M', margin: 1, width: 300 });
    const one = await docx(`/api/sessions/${id}/export/invitations.docx?invitee=${lan.id}`);
    expect(one.text.match(/Kính gửi:/g)).toHaveLength(1);
    expect(one.text).toContain('Kính gửi: Bà Nguyễn Thị Lan');
    expect(one.images).toHaveLength(1);
    expect(one.images[0]!.equals(qr)).toBe(true);

    expect((await docx(`/api/sessions/${id}/export/invitations.docx?invitee=nobody`)).status).toBe(404);
    expect(
      (await docx(`/api/sessions/${id}/export/invitations.docx`, await server.staffToken('secretary')))
        .status,
    ).toBe(403);
  });
});
