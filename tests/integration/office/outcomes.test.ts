/**
 * Issue 13 against a real server: spoken opinions (finding 1), who answered apart from who recorded it (finding 2),
 * the plan's four outcomes with the closing's bulk outcome (finding 8), and the same figures in the report, the
 * CSV, the XLSX, the staff fold and a phone (finding 4).
 */
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAll } from '../../../shared/domain/apply.ts';
import type { DomainEvent } from '../../../shared/domain/events.ts';
import { emptyState } from '../../../shared/domain/state.ts';
import type { SessionState } from '../../../shared/domain/types.ts';
import { parseCsv } from '../../../shared/report/csv.ts';
import { sessionFigures } from '../../../shared/report/figures.ts';
import type { Report } from '../../../shared/report/report.ts';
import { startServer, subscribe, type TestServer } from '../../helpers/server.ts';
import { wardDay } from '../../helpers/wardDay.ts';

let server: TestServer;
let session: { id: string; joinCode: string };
let chair: string;
let secretary: string;
let asker: { token: string; participantId: string };
const TODAY = wardDay();
const DUE = wardDay(14);
const id = {
  land: randomUUID(),
  police: randomUUID(),
  civil: randomUUID(),
  spokenLand: randomUUID(),
  spokenCivil: randomUUID(),
  hand: randomUUID(),
};

async function ok(token: string, cmd: Record<string, unknown>) {
  const ack = await server.command(token, { id: randomUUID(), sessionId: session.id, ...cmd });
  expect(ack, JSON.stringify(cmd)).toMatchObject({ ok: true });
  return ack;
}
async function refused(token: string, cmd: Record<string, unknown>) {
  return server.command(token, { id: randomUUID(), sessionId: session.id, ...cmd });
}
async function download(path: string): Promise<Buffer> {
  const res = await fetch(server.url + path, { headers: { authorization: `Bearer ${server.adminToken}` } });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

beforeAll(async () => {
  server = await startServer();
  chair = await server.staffToken('chair', { name: 'Nguyễn Văn Chủ' });
  secretary = await server.staffToken('secretary', { name: 'Đỗ Thị Ghi' });
  session = await server.createSession({ moderation: 'review' });
  const official = (oid: string, name: string, title: string, fieldIds: string[]) =>
    ok(server.adminToken, { type: 'official.upsert', official: { id: oid, name, title, fieldIds } });
  await official('o-dung', 'Phạm Văn Dũng', 'Công chức Địa chính – Xây dựng', ['dia-chinh']);
  await official('o-police', 'Trần Văn Công', 'Trưởng Công an phường', ['cong-an']);
  await server.setStatus(session.id, 'live');
  asker = await server.join(session.joinCode, { name: 'Lê Thị Mai', group: 4 });
  const ask = (questionId: string, fieldId: string, text: string) =>
    ok(asker.token, { type: 'question.submit', questionId, fieldId, text });
  await ask(id.land, 'dia-chinh', 'Cấp giấy chứng nhận quyền sử dụng đất chậm');
  await ask(id.police, 'cong-an', 'Đăng ký thường trú cần giấy tờ gì');
  await ask(id.civil, 'tu-phap', 'Chứng thực bản sao mất nhiều thời gian');
  await ok(chair, { type: 'question.approve', questionIds: [id.land, id.police, id.civil] });

  // A speech, ended, then recorded as two opinions by the secretary.
  await ok(secretary, { type: 'hand.add', handId: id.hand, name: 'Nguyễn Thị Hoa', group: 9 });
  await ok(chair, { type: 'speaker.give_floor', handId: id.hand });
  await ok(chair, { type: 'speaker.end' });
  await ok(secretary, {
    type: 'speech.record_opinions',
    handId: id.hand,
    opinions: [
      {
        questionId: id.spokenLand,
        text: 'Đề nghị sửa quy định hạn mức tách thửa',
        fieldId: 'dia-chinh',
        officialId: 'o-dung',
      },
      { questionId: id.spokenCivil, text: 'Lệ phí chứng thực cao', fieldId: 'tu-phap' },
    ],
  });

  // The chairman records what official Dũng answered; the secretary records the recommendation he made.
  await ok(chair, { type: 'question.answer', questionId: id.land, mode: 'live', answeredBy: 'o-dung' });
  await ok(secretary, {
    type: 'question.answer',
    questionId: id.spokenLand,
    mode: 'upward',
    authority: 'UBND tỉnh Hà Nam',
  });
  await ok(chair, {
    type: 'question.answer',
    questionId: id.police,
    mode: 'outside',
    reason: 'Thuộc thẩm quyền của Công an tỉnh',
    answeredBy: 'o-police',
  });
});

afterAll(async () => {
  await server?.close();
});

describe('closing with open opinions', () => {
  it('the bulk outcome gives every open opinion of a field the same outcome, all or nothing', async () => {
    const open = [id.civil, id.spokenCivil];
    const bad = await refused(chair, {
      type: 'question.answer_bulk',
      questionIds: [...open, id.land],
      mode: 'writing',
      dueDate: DUE,
    });
    expect(bad).toMatchObject({ ok: false, code: 'already_answered' });
    expect(
      await refused(secretary, {
        type: 'question.answer_bulk',
        questionIds: open,
        mode: 'writing',
        dueDate: DUE,
      }),
    ).toMatchObject({ ok: false, code: 'forbidden' });
    expect(
      await refused(chair, { type: 'question.answer_bulk', questionIds: open, mode: 'writing' }),
    ).toMatchObject({ ok: false, code: 'due_date_required' });
    await ok(chair, { type: 'question.answer_bulk', questionIds: open, mode: 'writing', dueDate: DUE });
    await server.setStatus(session.id, 'closed');
  });
});

describe('the record of the meeting', () => {
  let report: Report;
  let state: SessionState;
  beforeAll(async () => {
    const res = await server.api<Report>('GET', `/api/sessions/${session.id}/report?today=${TODAY}`, {
      token: server.adminToken,
    });
    expect(res.status).toBe(200);
    report = res.body;
    const events = (await server.app.ctx.store.events.read(session.id, 0)) as unknown as DomainEvent[];
    state = applyAll(emptyState(session.id), events);
  });

  it('spoken opinions are in the register: channel speech, the speaker as author (finding 1)', () => {
    const spoken = report.questions.filter((q) => q.source === 'speech');
    expect(spoken.map((q) => q.text)).toEqual([
      'Đề nghị sửa quy định hạn mức tách thửa',
      'Lệ phí chứng thực cao',
    ]);
    expect(spoken[0]).toMatchObject({
      authorName: 'Nguyễn Thị Hoa',
      authorGroup: 9,
      assignedOfficial: 'Phạm Văn Dũng',
    });
    expect(report.figures.speeches).toBe(1);
  });

  it('who answered is the official, not whoever recorded it (finding 2)', () => {
    const land = state.questions[id.land]?.answer;
    expect(land?.by.name).toBe('Nguyễn Văn Chủ');
    expect(land?.answerer?.name).toBe('Phạm Văn Dũng');
    // Recorded by the secretary, answered by the assignee.
    expect(state.questions[id.spokenLand]?.answer).toMatchObject({
      by: { role: 'secretary' },
      answerer: { officialId: 'o-dung' },
    });
    const row = report.questions.find((q) => q.id === id.land);
    expect(row?.answeredBy).toBe('Phạm Văn Dũng');
  });

  it('the four outcomes, one figure each, the same in the report and every fold (finding 4)', () => {
    expect(report.totals).toMatchObject({
      received: 5,
      opinions: 5,
      phone: 3,
      speech: 2,
      answeredLive: 1,
      inWriting: 2,
      upward: 1,
      outside: 1,
      open: 0,
    });
    const {
      speeches: _s,
      formsCollected: _f,
      surveys: _v,
      satisfaction: _sat,
      ...counts
    } = sessionFigures(state, TODAY);
    expect(counts).toEqual(report.totals);
    expect(report.questions.find((q) => q.id === id.spokenLand)).toMatchObject({
      outcome: 'upward',
      authority: 'UBND tỉnh Hà Nam',
    });
    expect(report.questions.find((q) => q.id === id.police)).toMatchObject({
      outcome: 'outside',
      outsideReason: 'Thuộc thẩm quyền của Công an tỉnh',
      answeredBy: 'Trần Văn Công',
    });
  });

  it('the CSV and the XLSX show each outcome, the authority, the reason and who answered', async () => {
    const csv = parseCsv(
      (await download(`/api/sessions/${session.id}/export/report.csv?today=${TODAY}`)).toString('utf8'),
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(
      (await download(
        `/api/sessions/${session.id}/export/report.xlsx?today=${TODAY}`,
      )) as unknown as ArrayBuffer,
    );
    const sheet: string[][] = [];
    wb.getWorksheet('Danh sách ý kiến')?.eachRow({ includeEmpty: false }, (r) =>
      sheet.push(
        (r.values as unknown[]).slice(1).map((v) => (v === undefined || v === null ? '' : String(v))),
      ),
    );
    for (const rows of [csv, sheet]) {
      const header = rows.find((r) => r.includes('Cơ quan được kiến nghị')) ?? [];
      const col = (name: string) => header.indexOf(name);
      const byText = (text: string) => rows.find((r) => r.includes(text)) ?? [];
      const upward = byText('Đề nghị sửa quy định hạn mức tách thửa');
      expect(upward[col('Tình trạng')]).toBe('Kiến nghị cấp có thẩm quyền');
      expect(upward[col('Cơ quan được kiến nghị')]).toBe('UBND tỉnh Hà Nam');
      expect(upward[col('Hình thức')]).toBe('Phát biểu tại hội nghị');
      expect(upward[col('Người trả lời')]).toBe('Phạm Văn Dũng');
      const outside = byText('Đăng ký thường trú cần giấy tờ gì');
      expect(outside[col('Tình trạng')]).toBe('Ngoài thẩm quyền của phường');
      expect(outside[col('Lý do ngoài thẩm quyền')]).toBe('Thuộc thẩm quyền của Công an tỉnh');
      expect(outside[col('Người trả lời')]).toBe('Trần Văn Công');
      expect(byText('Cấp giấy chứng nhận quyền sử dụng đất chậm')[col('Người trả lời')]).toBe(
        'Phạm Văn Dũng',
      );
    }
    const totals = csv.find((r) => r[0] === 'Tổng cộng' && r.length > 15) ?? [];
    const fieldHeader =
      csv.find((r) => r.includes('Kiến nghị cấp có thẩm quyền') && r[0] === 'Lĩnh vực') ?? [];
    expect(totals[fieldHeader.indexOf('Kiến nghị cấp có thẩm quyền')]).toBe('1');
    expect(totals[fieldHeader.indexOf('Ngoài thẩm quyền')]).toBe('1');
    expect(totals[fieldHeader.indexOf('Phát biểu tại hội nghị')]).toBe('2');
  });

  it("the asker's phone shows the outcome, its reason and who answered", async () => {
    const phone = await subscribe(await server.connect(asker.token), session.id);
    expect(phone.reply.ok).toBe(true);
    const mine =
      phone.reply.ok && phone.reply.mode === 'snapshot'
        ? phone.reply.state.questions
        : applyAll(emptyState(session.id), phone.reply.ok ? phone.reply.events : []).questions;
    expect(mine[id.police]?.answer).toMatchObject({
      mode: 'outside',
      reason: 'Thuộc thẩm quyền của Công an tỉnh',
      answerer: { name: 'Trần Văn Công' },
    });
    expect(mine[id.land]?.answer?.answerer?.name).toBe('Phạm Văn Dũng');
    expect(sessionFigures({ ...state, questions: mine }).opinions).toBe(5);
  });
});
