/**
 * A scripted session — phones joining, questions in several fields before and during the meeting, answers live and
 * in writing, merges, a hidden and a withdrawn question, satisfaction forms from phones and paper — and the
 * synthesis it produces, checked number by number: in the JSON, in the panel's own fold of the events, in the CSV
 * and in the XLSX parsed back. Then the audit log, the follow-up of written answers, and the carry-over.
 */
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAll } from '../../../shared/domain/apply.ts';
import type { DomainEvent } from '../../../shared/domain/events.ts';
import type { SessionState } from '../../../shared/domain/types.ts';
import { parseCsv } from '../../../shared/report/csv.ts';
import { buildReport, type Report } from '../../../shared/report/report.ts';
import type { AuditPage, FollowUpReply } from '../../../server/http/office.ts';
import { startServer, subscribe, type TestServer } from '../../helpers/server.ts';
import { wardDay } from '../../helpers/wardDay.ts';

let server: TestServer;
const isoDay = wardDay;
const TODAY = isoDay(0);
const YESTERDAY = isoDay(-1);
const NEXT_WEEK = isoDay(7);

const q = {
  q1: randomUUID(),
  q2: randomUUID(),
  q3: randomUUID(),
  q4: randomUUID(),
  q5: randomUUID(),
  q6: randomUUID(),
  q7: randomUUID(),
  q8: randomUUID(),
};
let session: { id: string; joinCode: string };
let panel: {
  reply: Awaited<ReturnType<typeof subscribe>>['reply'];
  received: Array<{ seq: number; type: string }>;
};
let chair: string;
let official: string;
let asker: { token: string; participantId: string };
let anonymousAsker: { token: string; participantId: string };

async function ok(token: string, cmd: Record<string, unknown>) {
  const ack = await server.command(token, { sessionId: session.id, ...cmd });
  expect(ack, JSON.stringify(cmd)).toMatchObject({ ok: true });
  return ack;
}

async function download(
  path: string,
  token = server.adminToken,
): Promise<{ status: number; type: string; disposition: string; bytes: Buffer }> {
  const res = await fetch(server.url + path, { headers: { authorization: `Bearer ${token}` } });
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    disposition: res.headers.get('content-disposition') ?? '',
    bytes: Buffer.from(await res.arrayBuffer()),
  };
}

beforeAll(async () => {
  server = await startServer();
  chair = await server.staffToken('chair', { name: 'Chủ tịch Phạm Văn E' });
  // Answers for the fields of the questions it follows up below (officials act on their fields' questions only).
  official = await server.staffToken('official', {
    name: 'Công chức Địa chính',
    fieldIds: ['dia-chinh', 'van-phong', 'tu-phap'],
  });
  session = await server.createSession({ moderation: 'review', title: 'Đối thoại lần 1 năm 2020' });
  const sub = await subscribe(await server.connect(chair), session.id);
  panel = sub;

  // Before the meeting: the phone link and a paper form.
  await server.setStatus(session.id, 'collecting');
  asker = await server.join(session.joinCode, { name: 'Nguyễn Văn A', group: 3 });
  anonymousAsker = await server.join(session.joinCode, {
    name: 'Lê Văn B',
    group: 5,
    kind: 'business',
    organisation: 'Công ty Hưng Thịnh',
  });
  await ok(asker.token, {
    type: 'question.submit',
    questionId: q.q1,
    text: 'Cấp giấy phép xây dựng mất bao lâu?',
    fieldId: 'dia-chinh',
  });
  await ok(asker.token, { type: 'survey.submit', answers: { procedures: 5, official: 4 } });
  await ok(anonymousAsker.token, {
    type: 'question.submit',
    questionId: q.q2,
    text: 'Chứng thực bản sao, phí bao nhiêu?',
    fieldId: 'tu-phap',
    anonymous: true,
  });
  await ok(server.adminToken, {
    type: 'paper_form.enter',
    participantId: randomUUID(),
    name: 'Trần Thị C',
    group: 3,
    kind: 'resident',
    questions: [
      { questionId: q.q3, text: 'Đo đạc lại thửa đất, nộp hồ sơ ở đâu?', fieldId: 'dia-chinh' },
      { questionId: q.q4, text: '=Giờ làm việc của bộ phận một cửa, "thứ Bảy" có làm không?' },
    ],
    answers: { procedures: 3, official: 2, result: 4 },
    comment: 'Cần thêm ghế chờ, nhất là buổi sáng',
  });

  // The meeting.
  await server.setStatus(session.id, 'live');
  const delegate = await server.join(session.joinCode, { kind: 'delegate' });
  await ok(delegate.token, {
    type: 'question.submit',
    questionId: q.q5,
    text: 'Chuyện riêng, không liên quan',
    fieldId: 'cong-an',
  });
  await ok(delegate.token, {
    type: 'question.submit',
    questionId: q.q6,
    text: 'Câu hỏi rút lại',
    fieldId: 'cong-an',
  });
  await ok(delegate.token, { type: 'question.withdraw', questionId: q.q6 });
  await ok(anonymousAsker.token, {
    type: 'question.submit',
    questionId: q.q7,
    text: 'Phí chứng thực bản sao?',
    fieldId: 'tu-phap',
  });
  await ok(asker.token, { type: 'question.submit', questionId: q.q8, text: 'Xin hỏi chung về thủ tục' });
  await ok(chair, { type: 'question.approve', questionIds: [q.q1, q.q2, q.q4, q.q5, q.q7, q.q8] });
  await ok(chair, {
    type: 'question.answer',
    questionId: q.q1,
    mode: 'live',
    note: 'Đã trả lời: 15 ngày làm việc',
  });
  await ok(chair, { type: 'question.assign', questionId: q.q4, fieldId: 'van-phong' });
  await ok(chair, {
    type: 'question.answer',
    questionId: q.q2,
    mode: 'writing',
    dueDate: YESTERDAY,
    note: 'Sẽ trả lời bằng văn bản',
  });
  await ok(chair, { type: 'question.answer', questionId: q.q4, mode: 'writing', dueDate: NEXT_WEEK });
  await ok(chair, { type: 'question.hide', questionId: q.q5, reason: 'Không thuộc thẩm quyền' });
  await ok(chair, { type: 'question.merge', questionId: q.q7, intoId: q.q2 });
  await ok(delegate.token, {
    type: 'survey.submit',
    answers: { procedures: 4, official: 4, result: 5, feedback: 3 },
  });
  await ok(server.adminToken, {
    type: 'paper_form.enter',
    participantId: randomUUID(),
    group: 7,
    kind: 'business',
    answers: { procedures: 1 },
  });
  const hand = randomUUID();
  await ok(chair, { type: 'hand.add', handId: hand, name: 'Ông Hoàng', group: 2 });
  await ok(chair, { type: 'speaker.give_floor', handId: hand });
  await ok(chair, { type: 'speaker.end' });
  // The written answer of q4, through the follow-up REST call.
  const written = await server.api('POST', `/api/sessions/${session.id}/questions/${q.q4}/written-answer`, {
    token: official,
    body: { text: 'Bộ phận một cửa làm việc sáng thứ Bảy từ 7 giờ 30 đến 11 giờ 30.' },
  });
  expect(written.status).toBe(200);
  await server.setStatus(session.id, 'closed');
});

afterAll(async () => {
  await server?.close();
});

const row = (report: Report, fieldId: string | null) => report.byField.find((r) => r.fieldId === fieldId);

describe('the synthesis report of a scripted session', () => {
  let report: Report;
  beforeAll(async () => {
    const res = await server.api<Report>('GET', `/api/sessions/${session.id}/report?today=${TODAY}`, {
      token: server.adminToken,
    });
    expect(res.status).toBe(200);
    report = res.body;
  });

  it('is final once the session is closed', () => {
    expect(report.meta).toMatchObject({
      final: true,
      status: 'closed',
      title: 'Đối thoại lần 1 năm 2020',
      today: TODAY,
    });
  });

  it('counts by field, under the assigned field when there is one', () => {
    expect(row(report, 'dia-chinh')).toMatchObject({
      received: 2,
      answeredLive: 1,
      open: 1,
      inWriting: 0,
      preMeeting: 2,
      paper: 1,
    });
    expect(row(report, 'tu-phap')).toMatchObject({
      received: 2,
      inWriting: 1,
      writtenPending: 1,
      overdue: 1,
      merged: 1,
      preMeeting: 1,
      paper: 0,
    });
    expect(row(report, 'van-phong')).toMatchObject({
      received: 1,
      inWriting: 1,
      writtenDone: 1,
      writtenPending: 0,
      preMeeting: 1,
      paper: 1,
    });
    expect(row(report, 'cong-an')).toMatchObject({ received: 1, hidden: 1, open: 0 });
    expect(row(report, null)).toMatchObject({ received: 1, open: 1, name: '' });
    expect(row(report, 'quan-su')).toMatchObject({ received: 0 });
  });

  it('totals every outcome exactly once and leaves withdrawn questions out', () => {
    expect(report.totals).toEqual({
      received: 7,
      opinions: 5,
      phone: 5,
      answeredLive: 1,
      inWriting: 2,
      writtenDone: 1,
      delivered: 0,
      writtenPending: 1,
      overdue: 1,
      upward: 0,
      outside: 0,
      open: 2,
      merged: 1,
      hidden: 1,
      preMeeting: 4,
      paper: 2,
      speech: 0,
      carried: 0,
    });
    expect(report.withdrawn).toBe(1);
    for (const r of report.byField)
      expect(r.answeredLive + r.inWriting + r.upward + r.outside + r.open + r.merged + r.hidden, r.name).toBe(
        r.received,
      );
  });

  it('gives satisfaction per criterion: answers, average to 2 decimals, distribution', () => {
    const c = Object.fromEntries(report.satisfaction.criteria.map((x) => [x.criterionId, x]));
    expect(c.procedures).toMatchObject({ count: 4, average: 3.25, distribution: [1, 0, 1, 1, 1] });
    expect(c.official).toMatchObject({ count: 3, average: 3.33, distribution: [0, 1, 0, 2, 0] });
    expect(c.result).toMatchObject({ count: 2, average: 4.5, distribution: [0, 0, 0, 1, 1] });
    expect(c.feedback).toMatchObject({ count: 1, average: 3, distribution: [0, 0, 1, 0, 0] });
    expect(report.satisfaction).toMatchObject({
      responses: 4,
      bySource: { phone: 2, paper: 2 },
      overallAverage: 3.5,
    });
    expect(report.satisfaction.comments.map((x) => x.text)).toEqual(['Cần thêm ghế chờ, nhất là buổi sáng']);
  });

  it('gives participation by residential group, kind and source', () => {
    const p = report.participation;
    expect(p).toMatchObject({
      participants: 5,
      byKind: { resident: 2, business: 2, delegate: 1, staff: 0 },
      bySource: { phone: 3, paper: 2 },
      groupsRepresented: 3,
      speeches: 1,
    });
    const g = (n: number | null) => p.byGroup.find((x) => x.group === n);
    expect(p.byGroup.filter((x) => x.group !== null)).toHaveLength(22);
    expect(g(3)).toMatchObject({
      participants: 2,
      byKind: { resident: 2 },
      bySource: { phone: 1, paper: 1 },
      questions: 4,
    });
    expect(g(5)).toMatchObject({ participants: 1, byKind: { business: 1 }, questions: 1 });
    expect(g(7)).toMatchObject({ participants: 1, bySource: { paper: 1 }, questions: 0 });
    // The anonymous question and the delegate's (no group) count as "not stated".
    expect(g(null)).toMatchObject({ participants: 1, questions: 2 });
    expect(p.byGroup.reduce((n, x) => n + x.questions, 0)).toBe(report.totals.received);
  });

  it('lists the questions in the order received, never naming an anonymous asker', () => {
    expect(report.questions.map((x) => x.id)).toEqual([q.q1, q.q2, q.q3, q.q4, q.q5, q.q7, q.q8]);
    const anon = report.questions.find((x) => x.id === q.q2);
    expect(anon).toMatchObject({
      anonymous: true,
      outcome: 'writing_pending',
      overdue: true,
      dueDate: YESTERDAY,
    });
    expect(anon?.authorName).toBeUndefined();
    expect(JSON.stringify(report)).not.toContain(anonymousAsker.participantId);
    expect(report.questions.find((x) => x.id === q.q7)).toMatchObject({ outcome: 'merged', mergedInto: 2 });
    expect(report.questions.find((x) => x.id === q.q4)).toMatchObject({
      outcome: 'writing_done',
      fieldId: 'van-phong',
      writtenBy: 'Công chức Địa chính',
    });
  });

  it('is the same report the panel computes from the events it was pushed', async () => {
    expect(panel.reply.ok).toBe(true);
    if (!panel.reply.ok || panel.reply.mode !== 'snapshot') throw new Error('expected a snapshot');
    const base = panel.reply.state;
    const fold = (): SessionState =>
      applyAll(
        base,
        (panel.received as unknown as DomainEvent[]).filter((e) => e.seq > base.seq),
      );
    // Events are pushed in batches: wait for the last one.
    await expect.poll(() => fold().seq).toBe(report.meta.seq);
    expect(buildReport(fold(), { today: TODAY })).toEqual(report);
  });

  it('is the fold of the stored event log', async () => {
    const events = (await server.app.ctx.store.events.read(session.id, 0)) as unknown as DomainEvent[];
    const { emptyState } = await import('../../../shared/domain/state.ts');
    const { projectState } = await import('../../../shared/domain/projection.ts');
    const state = applyAll(emptyState(session.id), events);
    expect(buildReport(projectState(state, { audience: 'staff' }), { today: TODAY })).toEqual(report);
  });
});

describe('exports', () => {
  it('writes report.csv as UTF-8 with a BOM, CRLF and RFC 4180 quoting, with the same numbers', async () => {
    const file = await download(`/api/sessions/${session.id}/export/report.csv?today=${TODAY}`);
    expect(file.status).toBe(200);
    expect(file.type).toMatch(/^text\/csv; charset=utf-8/);
    expect(file.disposition).toMatch(/attachment; filename="?tong-hop-y-kien-\d{4}-\d{2}-\d{2}\.csv/);
    expect([...file.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = file.bytes.toString('utf8');
    expect(text.replace(/"[^"]*"/g, '')).not.toMatch(/[^\r]\n/);
    expect(text.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(text);
    const at = (title: string) => rows.findIndex((r) => r[0] === title);
    expect(rows[0]).toEqual(['TỔNG HỢP Ý KIẾN HỘI NGHỊ ĐỐI THOẠI']);
    expect(rows.find((r) => r[0] === 'Hội nghị')?.[1]).toBe('Đối thoại lần 1 năm 2020');
    const fields = at('I. TỔNG HỢP THEO LĨNH VỰC');
    expect(rows[fields + 1]?.slice(0, 10)).toEqual([
      'Lĩnh vực',
      'Ý kiến nhận được',
      'Trả lời tại hội nghị',
      'Trả lời bằng văn bản',
      'Đã trả lời bằng văn bản',
      'Chờ trả lời bằng văn bản',
      'Quá hạn',
      'Chưa trả lời',
      'Đã gộp',
      'Không tiếp nhận',
    ]);
    const byName = (name: string) => rows.slice(fields).find((r) => r[0] === name);
    expect(byName('Địa chính – Xây dựng')?.slice(1, 13)).toEqual([
      '2',
      '1',
      '0',
      '0',
      '0',
      '0',
      '1',
      '0',
      '0',
      '2',
      '1',
      '0',
    ]);
    expect(byName('Tư pháp – Hộ tịch')?.slice(1, 13)).toEqual([
      '2',
      '0',
      '1',
      '0',
      '1',
      '1',
      '0',
      '1',
      '0',
      '1',
      '0',
      '0',
    ]);
    expect(byName('Chưa xác định lĩnh vực')?.slice(1, 3)).toEqual(['1', '0']);
    expect(byName('Tổng cộng')?.slice(1, 13)).toEqual([
      '7',
      '1',
      '2',
      '1',
      '1',
      '1',
      '2',
      '1',
      '1',
      '4',
      '2',
      '0',
    ]);
    const sat = at('II. MỨC ĐỘ HÀI LÒNG');
    expect(rows.slice(sat).find((r) => r[0] === 'Thủ tục hành chính')).toEqual([
      'Thủ tục hành chính',
      '4',
      '3.25',
      '1',
      '0',
      '1',
      '1',
      '1',
    ]);
    expect(rows.slice(sat).find((r) => r[0] === 'Điểm trung bình chung')?.[1]).toBe('3.5');
    const groups = at('Theo tổ dân phố');
    expect(rows[groups + 1]?.[0]).toBe('Tổ dân phố');
    expect(rows[groups + 4]).toEqual(['3', '2', '2', '0', '0', '0', '1', '1', '4']);
    // Quoting and the formula guard survive the round trip.
    const list = at('IV. DANH SÁCH Ý KIẾN');
    const q4 = rows.slice(list).find((r) => r[0] === '4');
    expect(q4?.[3]).toBe(`'=Giờ làm việc của bộ phận một cửa, "thứ Bảy" có làm không?`);
    expect(q4?.[2]).toBe('Văn phòng – Thống kê');
    const q2 = rows.slice(list).find((r) => r[0] === '2');
    expect(q2?.[4]).toBe('Ẩn danh');
    expect(q2?.join(' ')).not.toContain('Lê Văn B');
  });

  it('writes report.xlsx with a sheet per table, numbers as numbers', async () => {
    const file = await download(`/api/sessions/${session.id}/export/report.xlsx?today=${TODAY}`);
    expect(file.status).toBe(200);
    expect(file.type).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.bytes as unknown as ArrayBuffer);
    expect(wb.worksheets.map((s) => s.name)).toEqual([
      'Thông tin chung',
      'Theo lĩnh vực',
      'Mức độ hài lòng',
      'Tham dự',
      'Danh sách ý kiến',
    ]);
    const values = (name: string) => {
      const out: unknown[][] = [];
      wb.getWorksheet(name)?.eachRow({ includeEmpty: false }, (r) =>
        out.push((r.values as unknown[]).slice(1)),
      );
      return out;
    };
    const fields = values('Theo lĩnh vực');
    expect(fields.find((r) => r[0] === 'Tư pháp – Hộ tịch')?.slice(1, 10)).toEqual([
      2, 0, 1, 0, 1, 1, 0, 1, 0,
    ]);
    expect(fields.find((r) => r[0] === 'Tổng cộng')?.slice(1, 13)).toEqual([
      7, 1, 2, 1, 1, 1, 2, 1, 1, 4, 2, 0,
    ]);
    const sat = values('Mức độ hài lòng');
    expect(sat.find((r) => r[0] === 'Công chức trực tiếp giải quyết công việc')).toEqual([
      'Công chức trực tiếp giải quyết công việc',
      3,
      3.33,
      0,
      1,
      0,
      2,
      0,
    ]);
    expect(sat.find((r) => r[0] === 'Số phiếu lấy ý kiến')?.[1]).toBe(4);
    const part = values('Tham dự');
    expect(part.find((r) => r[0] === 'Người tham dự')?.[1]).toBe(5);
    expect(part.find((r) => r[0] === 'Doanh nghiệp, tổ chức')?.[1]).toBe(2);
    expect(part.find((r) => r[0] === 'Phiếu giấy')?.[1]).toBe(2);
    const list = values('Danh sách ý kiến');
    expect(list).toHaveLength(8);
    expect(list[1]?.[3]).toBe('Cấp giấy phép xây dựng mất bao lâu?');
    expect(list[1]?.[9]).toBe('Đã trả lời tại hội nghị');
    // In a workbook text is text: no formula guard needed, and the original text is kept.
    expect(list[4]?.[3]).toBe('=Giờ làm việc của bộ phận một cửa, "thứ Bảy" có làm không?');
  });

  it('writes the export in English when asked', async () => {
    const file = await download(`/api/sessions/${session.id}/export/report.csv?lang=en`);
    const rows = parseCsv(file.bytes.toString('utf8'));
    expect(rows.some((r) => r[0] === 'I. BY FIELD')).toBe(true);
    expect(rows.find((r) => r[0] === 'Total')?.[1]).toBe('7');
  });

  it('writes questions.csv: one header and a row per received question', async () => {
    const file = await download(`/api/sessions/${session.id}/export/questions.csv`);
    const rows = parseCsv(file.bytes.toString('utf8'));
    expect(rows).toHaveLength(8);
    expect(rows[0]?.[0]).toBe('STT');
  });

  it('refuses exports without a staff token', async () => {
    const res = await fetch(`${server.url}/api/sessions/${session.id}/export/report.csv`);
    expect(res.status).toBe(401);
    const attendee = await download(`/api/sessions/${session.id}/export/report.xlsx`, asker.token);
    expect(attendee.status).toBe(403);
  });
});

describe('the audit log', () => {
  it('lists every event, described, without identifying anonymous askers', async () => {
    const res = await server.api<AuditPage>('GET', `/api/sessions/${session.id}/events?limit=1000`, {
      token: server.adminToken,
    });
    expect(res.status).toBe(200);
    const head = await server.app.ctx.store.events.head(session.id);
    expect(res.body.total).toBe(head);
    expect(res.body.rows.map((r) => r.seq)).toEqual(Array.from({ length: head }, (_, i) => i + 1));
    expect(res.body.next).toBeNull();
    const anon = res.body.events.find((e) => e.type === 'question.submitted' && e.question.id === q.q2);
    expect(anon && 'question' in anon ? anon.question.authorId : 'missing').toBeUndefined();
    const anonRow = res.body.rows.find((r) => r.seq === anon?.seq);
    expect(anonRow?.detail).toContain('ẩn danh');
    expect(anonRow?.detail).not.toContain('Lê Văn B');
    const closed = res.body.rows.find(
      (r) => r.type === 'session.status_changed' && r.detail.includes('Đã bế mạc'),
    );
    expect(closed).toMatchObject({
      typeLabel: 'Chuyển trạng thái',
      detail: 'Đang diễn ra → Đã bế mạc',
      roleLabel: 'Văn phòng (quản trị)',
    });
  });

  it('filters by type and role and pages with after/limit', async () => {
    const all = await server.api<AuditPage>(
      'GET',
      `/api/sessions/${session.id}/events?type=question.*&role=chair&limit=1000`,
      { token: server.adminToken },
    );
    expect(all.body.rows.length).toBeGreaterThan(4);
    expect(all.body.rows.every((r) => r.type.startsWith('question.') && r.role === 'chair')).toBe(true);
    const first = await server.api<AuditPage>(
      'GET',
      `/api/sessions/${session.id}/events?type=question.*&role=chair&limit=3`,
      { token: server.adminToken },
    );
    expect(first.body.rows).toHaveLength(3);
    expect(first.body.next).toBe(first.body.rows[2]?.seq);
    const second = await server.api<AuditPage>(
      'GET',
      `/api/sessions/${session.id}/events?type=question.*&role=chair&limit=3&after=${first.body.next}`,
      { token: server.adminToken },
    );
    expect(second.body.rows[0]?.seq).toBe(all.body.rows[3]?.seq);
    const answered = await server.api<AuditPage>(
      'GET',
      `/api/sessions/${session.id}/events?type=question.answered`,
      { token: server.adminToken },
    );
    expect(answered.body.rows).toHaveLength(3);
  });

  it('exports the filtered log as CSV', async () => {
    const file = await download(`/api/sessions/${session.id}/export/audit.csv?type=session.*`);
    const rows = parseCsv(file.bytes.toString('utf8'));
    expect(rows[0]).toEqual(['STT', 'Thời gian', 'Vai trò', 'Người thực hiện', 'Thao tác', 'Chi tiết']);
    expect(rows.slice(1).map((r) => r[4])).toEqual([
      'Tạo hội nghị',
      'Chuyển trạng thái',
      'Chuyển trạng thái',
      'Chuyển trạng thái',
    ]);
    expect(rows[1]?.[1]).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/);
  });

  it('is for administrators only', async () => {
    const res = await server.api('GET', `/api/sessions/${session.id}/events`, { token: chair });
    expect(res.status).toBe(403);
  });
});

describe('follow-up and carry-over', () => {
  it('lists the overdue written answers across sessions', async () => {
    const res = await server.api<FollowUpReply>('GET', `/api/followup?show=overdue&today=${TODAY}`, {
      token: official,
    });
    expect(res.status).toBe(200);
    expect(res.body.items.map((i) => i.questionId)).toEqual([q.q2]);
    expect(res.body.items[0]).toMatchObject({
      overdue: true,
      daysOverdue: 1,
      done: false,
      anonymous: true,
      fieldId: 'tu-phap',
      sessionId: session.id,
    });
    expect(res.body.items[0]?.authorName).toBeUndefined();
    expect(res.body.counts).toMatchObject({ overdue: 1, pending: 1, done: 1 });
  });

  it('carries exactly the open questions to the next session, with their history', async () => {
    const next = await server.createSession({
      title: 'Đối thoại lần 2',
      date: isoDay(180),
      carryOverFrom: session.id,
    });
    const state = await server.app.ctx.sessions.state(next.id);
    const carried = Object.values(state?.questions ?? {});
    expect(carried.map((x) => x.carriedFrom?.questionId).sort()).toEqual([q.q2, q.q3, q.q8].sort());
    expect(
      carried.every(
        (x) =>
          x.carriedFrom?.sessionId === session.id &&
          x.carriedFrom.sessionTitle === 'Đối thoại lần 1 năm 2020',
      ),
    ).toBe(true);
    const q2 = carried.find((x) => x.carriedFrom?.questionId === q.q2);
    expect(q2?.staffNote).toContain('Sẽ trả lời bằng văn bản');
    const res = await server.api<Report>('GET', `/api/sessions/${next.id}/report`, {
      token: server.adminToken,
    });
    expect(res.body.totals).toMatchObject({ received: 3, open: 3, carried: 3, preMeeting: 3 });

    // Once only: a second session carrying over from the same one is refused, names the first, and is not created.
    const before = await server.api<unknown[]>('GET', '/api/sessions', { token: server.adminToken });
    const twice = await server.api('POST', '/api/sessions', {
      token: server.adminToken,
      body: {
        title: 'Đối thoại lần 2 (trùng)',
        date: isoDay(181),
        venue: 'Hội trường',
        carryOverFrom: session.id,
      },
    });
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ code: 'already_carried_over', params: { title: 'Đối thoại lần 2' } });
    const after = await server.api<unknown[]>('GET', '/api/sessions', { token: server.adminToken });
    expect(after.body).toHaveLength(before.body.length);
    expect(Object.keys((await server.app.ctx.sessions.state(next.id))?.questions ?? {})).toHaveLength(3);
  });

  it('takes a written answer from an official; the asker sees it on their link', async () => {
    const text = 'Phí chứng thực bản sao là 2.000 đồng/trang.';
    const res = await server.api('POST', `/api/sessions/${session.id}/questions/${q.q2}/written-answer`, {
      token: official,
      body: { text },
    });
    expect(res.status).toBe(200);
    const phone = await subscribe(await server.connect(anonymousAsker.token), session.id);
    if (!phone.reply.ok || phone.reply.mode !== 'snapshot') throw new Error('expected a snapshot');
    expect(phone.reply.state.questions[q.q2]?.answer?.written?.text).toBe(text);
    const after = await server.api<FollowUpReply>('GET', `/api/followup?show=overdue&today=${TODAY}`, {
      token: official,
    });
    expect(after.body.items).toEqual([]);
    const again = await server.api('POST', `/api/sessions/${session.id}/questions/${q.q1}/written-answer`, {
      token: official,
      body: { text },
    });
    expect(again.status).toBe(422);
    expect(again.body).toMatchObject({ code: 'invalid_state' });
    const refused = await server.api('POST', `/api/sessions/${session.id}/questions/${q.q2}/written-answer`, {
      token: asker.token,
      body: { text },
    });
    expect(refused.status).toBe(403);
  });
});
