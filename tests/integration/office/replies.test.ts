/**
 * Written replies that reach everyone (issue 13, finding 3): the letter (công văn) in the Decree 30 layout for one
 * opinion or a batch, its number and date kept with the reply, its delivery recorded, the follow-up that shows both,
 * and the asker's phone that shows the reply.
 */
import { randomUUID } from 'node:crypto';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionState } from '../../../shared/domain/types.ts';
import type { FollowUpReply } from '../../../server/http/office.ts';
import { startServer, subscribe, type TestServer } from '../../helpers/server.ts';

let server: TestServer;
let session: { id: string; joinCode: string };
let chair: string;
let asker: { token: string; participantId: string };
const paperId = randomUUID();
const qPhone = randomUUID();
const qPaper = randomUUID();
const qPaper2 = randomUUID();

async function ok(token: string, cmd: Record<string, unknown>) {
  const ack = await server.command(token, { sessionId: session.id, ...cmd });
  expect(ack, JSON.stringify(cmd)).toMatchObject({ ok: true });
}

async function documentXml(path: string): Promise<{ status: number; xml: string; disposition: string }> {
  const res = await fetch(server.url + path, { headers: { authorization: `Bearer ${server.adminToken}` } });
  if (res.status !== 200) return { status: res.status, xml: await res.text(), disposition: '' };
  const zip = await JSZip.loadAsync(Buffer.from(await res.arrayBuffer()));
  const xml = (await zip.file('word/document.xml')?.async('string')) ?? '';
  return { status: res.status, xml, disposition: res.headers.get('content-disposition') ?? '' };
}
/** The text of a document.xml, runs joined per paragraph. */
const textOf = (xml: string) =>
  xml
    .split('</w:p>')
    .map((p) => [...p.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(''))
    .join('\n');

beforeAll(async () => {
  server = await startServer();
  const ward = await server.api<Record<string, unknown>>('GET', '/api/ward', { token: server.adminToken });
  const put = await server.api('PUT', '/api/ward', {
    token: server.adminToken,
    body: {
      ...ward.body,
      name: 'Kiến Hưng',
      place: 'Kiến Hưng',
      groups: 22,
      officials: [
        { id: 'o-ct', name: 'Nguyễn Văn Chủ', title: 'Chủ tịch UBND phường', fieldIds: [] },
        { id: 'o-ca', name: 'Phạm Văn Dũng', title: 'Trưởng Công an phường', fieldIds: ['cong-an'] },
      ],
    },
  });
  expect(put.status).toBe(200);
  session = await server.createSession();
  await server.setStatus(session.id, 'live');
  chair = await server.staffToken('chair');
  asker = await server.join(session.joinCode, { name: 'Nguyễn Văn An', group: 3 });
  await ok(asker.token, { type: 'question.submit', questionId: qPhone, text: 'Thời hạn cấp sổ đỏ?' });
  await ok(server.adminToken, {
    type: 'paper_form.enter',
    participantId: paperId,
    name: 'Lê Văn Cường',
    group: 9,
    questions: [
      { questionId: qPaper, text: 'Đề nghị lắp đèn ngõ 7', fieldId: 'cong-an' },
      { questionId: qPaper2, text: 'Đề nghị tuần tra ban đêm', fieldId: 'cong-an' },
    ],
  });
  const contact = await server.api('PUT', `/api/sessions/${session.id}/participants/${paperId}/contact`, {
    token: server.adminToken,
    body: { address: 'Số 5 ngõ 7, Tổ dân phố 9' },
  });
  expect(contact.status).toBe(204);
  await ok(chair, { type: 'question.approve', questionIds: [qPhone, qPaper, qPaper2] });
  for (const questionId of [qPhone, qPaper, qPaper2])
    await ok(chair, { type: 'question.answer', questionId, mode: 'writing', dueDate: '2030-01-15' });
  await ok(server.adminToken, {
    type: 'question.answer_written',
    questionId: qPaper,
    text: 'Công an phường đã phối hợp lắp đèn.\nDự kiến hoàn thành trong tháng 01.',
  });
  await ok(server.adminToken, {
    type: 'question.answer_written',
    questionId: qPaper2,
    text: 'Đã tăng cường tuần tra.',
  });
  await ok(server.adminToken, {
    type: 'question.answer_written',
    questionId: qPhone,
    text: 'Thời hạn là 30 ngày.',
  });
});

afterAll(() => server.close());

describe('reply letters', () => {
  it('refuses a letter for a reply not yet written, and a letter nobody signs', async () => {
    const other = randomUUID();
    await ok(asker.token, { type: 'question.submit', questionId: other, text: 'Câu khác' });
    const res = await server.api('POST', `/api/sessions/${session.id}/replies/letter`, {
      token: server.adminToken,
      body: { questionIds: [other], number: '1/UBND', date: '2030-01-10', signedBy: 'o-ct' },
    });
    expect(res.status).toBe(422);
    const unsigned = await server.api('POST', `/api/sessions/${session.id}/replies/letter`, {
      token: server.adminToken,
      body: { questionIds: [qPaper], number: '1/UBND', date: '2030-01-10', signedBy: 'nobody' },
    });
    expect(unsigned.status).toBeGreaterThanOrEqual(400);
    const chairTries = await server.api('POST', `/api/sessions/${session.id}/replies/letter`, {
      token: chair,
      body: { questionIds: [qPaper], number: '1/UBND', date: '2030-01-10', signedBy: 'o-ct' },
    });
    expect(chairTries.status).toBe(403);
  });

  it('keeps the number and date of a batch letter and lays it out as a Decree 30 công văn', async () => {
    const issued = await server.api('POST', `/api/sessions/${session.id}/replies/letter`, {
      token: server.adminToken,
      body: { questionIds: [qPaper, qPaper2], number: '15/UBND-VP', date: '2030-01-10', signedBy: 'o-ct' },
    });
    expect(issued.status).toBe(200);
    const state = await server.api<SessionState>('GET', `/api/sessions/${session.id}/state`, {
      token: chair,
    });
    for (const id of [qPaper, qPaper2])
      expect(state.body.questions[id]?.answer?.written?.letter).toMatchObject({
        number: '15/UBND-VP',
        date: '2030-01-10',
        signer: { officialId: 'o-ct', name: 'Nguyễn Văn Chủ' },
      });
    const { status, xml, disposition } = await documentXml(
      `/api/sessions/${session.id}/export/reply-letter.docx?questions=${qPaper},${qPaper2}`,
    );
    expect(status).toBe(200);
    expect(disposition).toContain('cong-van-15-UBND-VP.docx');
    const text = textOf(xml);
    for (const expected of [
      'ỦY BAN NHÂN DÂN',
      'PHƯỜNG KIẾN HƯNG',
      'Số: 15/UBND-VP',
      'V/v trả lời ý kiến, kiến nghị của công dân',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'Kiến Hưng, ngày 10 tháng 01 năm 2030',
      'Kính gửi: Ông/Bà Lê Văn Cường, Tổ dân phố số 9 (địa chỉ: Số 5 ngõ 7, Tổ dân phố 9)',
      '1. Nội dung ý kiến: “Đề nghị lắp đèn ngõ 7”',
      'Công an phường đã phối hợp lắp đèn.',
      'Dự kiến hoàn thành trong tháng 01.',
      '2. Nội dung ý kiến: “Đề nghị tuần tra ban đêm”',
      'Nơi nhận:',
      '- Tổ dân phố số 9 (để chuyển);',
      '- Lưu: VT.',
      'TM. ỦY BAN NHÂN DÂN',
      'CHỦ TỊCH',
      'Nguyễn Văn Chủ',
    ])
      expect(text).toContain(expected);
    // A4, Decree 30 margins, Times New Roman 14 as the default (in styles), two-column header as a table.
    expect(xml).toContain('w:w="11906"');
    expect(xml).toContain('w:left="1701"');
    expect(xml).toContain('<w:tbl>');
  });

  it('refuses one file for replies of different letters', async () => {
    await server.api('POST', `/api/sessions/${session.id}/replies/letter`, {
      token: server.adminToken,
      body: { questionIds: [qPhone], number: '16/UBND-VP', date: '2030-01-11', signedBy: 'o-ca' },
    });
    const { status } = await documentXml(
      `/api/sessions/${session.id}/export/reply-letter.docx?questions=${qPaper},${qPhone}`,
    );
    expect(status).toBe(400);
    const single = await documentXml(
      `/api/sessions/${session.id}/export/reply-letter.docx?questions=${qPhone}`,
    );
    expect(single.status).toBe(200);
    // An official signs in their own name, with their title.
    expect(textOf(single.xml)).toContain('TRƯỞNG CÔNG AN PHƯỜNG');
    expect(textOf(single.xml)).not.toContain('TM. ỦY BAN NHÂN DÂN');
  });
});

describe('delivery', () => {
  it('records how and when a reply was delivered; the follow-up shows delivered / not yet', async () => {
    const before = await server.api<FollowUpReply>('GET', '/api/followup?show=all', {
      token: server.adminToken,
    });
    const paperItem = before.body.items.find((i) => i.questionId === qPaper);
    expect(paperItem).toMatchObject({ source: 'paper', done: true, letter: { number: '15/UBND-VP' } });
    expect(paperItem?.delivery).toBeUndefined();
    const res = await server.api('POST', `/api/sessions/${session.id}/replies/delivery`, {
      token: server.adminToken,
      body: { questionIds: [qPaper, qPaper2], method: 'group', date: '2030-01-12' },
    });
    expect(res.status).toBe(200);
    const after = await server.api<FollowUpReply>('GET', '/api/followup?show=all', {
      token: server.adminToken,
    });
    expect(after.body.items.find((i) => i.questionId === qPaper)?.delivery).toMatchObject({
      method: 'group',
      date: '2030-01-12',
    });
    const report = await server.api<{ totals: { delivered: number; writtenDone: number } }>(
      'GET',
      `/api/sessions/${session.id}/report`,
      { token: chair },
    );
    expect(report.body.totals).toMatchObject({ delivered: 2, writtenDone: 3 });
    // A delivered letter keeps its number.
    const renumber = await server.api('POST', `/api/sessions/${session.id}/replies/letter`, {
      token: server.adminToken,
      body: { questionIds: [qPaper], number: '99/UBND', date: '2030-01-13', signedBy: 'o-ct' },
    });
    expect(renumber.status).toBe(422);
  });

  it("the asker's phone shows the reply, its letter and its delivery", async () => {
    await server.api('POST', `/api/sessions/${session.id}/replies/delivery`, {
      token: server.adminToken,
      body: { questionIds: [qPhone], method: 'app', date: '2030-01-12' },
    });
    const { reply } = await subscribe(await server.connect(asker.token), session.id);
    if (!reply.ok || reply.mode !== 'snapshot') throw new Error('expected a snapshot');
    expect(reply.state.questions[qPhone]?.answer?.written).toMatchObject({
      text: 'Thời hạn là 30 ngày.',
      letter: { number: '16/UBND-VP', date: '2030-01-11' },
      delivery: { method: 'app', date: '2030-01-12' },
    });
  });
});
