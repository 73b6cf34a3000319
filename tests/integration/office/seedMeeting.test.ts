/**
 * The ward's meeting of ../shared/seed run as the ward runs it (issue 13, "Done when"), against a real server with
 * real sockets: forms handed out per residential group and organisation, opinions before the meeting on phones and
 * on paper, typed questions, speeches recorded as opinions, answers by three officials recorded by the chairman and
 * the secretary, promises in writing, a recommendation upward, an opinion outside the remit, the closing's bulk
 * outcome, a paper form entered after closing and one corrected, a written reply in a letter with its delivery.
 * Then every place the figures appear — the staff state, the panel's fold of its events, a phone, the screen, the
 * report, the XLSX, the CSV and the synthesis DOCX — says the same numbers, and the DOCX lists every opinion.
 */
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAll } from '../../../shared/domain/apply.ts';
import { emptyState } from '../../../shared/domain/state.ts';
import type { SessionState } from '../../../shared/domain/types.ts';
import adminMessages from '../../../shared/i18n/admin.ts';
import { parseCsv } from '../../../shared/report/csv.ts';
import { sessionFigures, type Figures } from '../../../shared/report/figures.ts';
import type { Report } from '../../../shared/report/report.ts';
import { sideList } from '../../../client/surfaces/minutes/sideList.ts';
import { docxTables } from '../../helpers/docx.ts';
import { startServer, subscribe, type TestServer } from '../../helpers/server.ts';
import { wardDay } from '../../helpers/wardDay.ts';

const L = adminMessages.vi.admin;
const E = L.export;
const P = L.paper.issued;
const TODAY = wardDay();
const DUE = wardDay(14);

let server: TestServer;
let session: { id: string; joinCode: string };
let chair: string;
let secretary: string;
let landOfficial: string;
let panel: Awaited<ReturnType<typeof subscribe>>;
let screen: Awaited<ReturnType<typeof subscribe>>;
let phoneA: { token: string; participantId: string };

const q = (): string => randomUUID();
const ids = {
  pre1: q(),
  pre2: q(),
  paperA1: q(),
  paperA2: q(),
  paperB1: q(),
  paperC1: q(),
  typed: [q(), q(), q(), q(), q()],
  dup: q(),
  spoken: [q(), q(), q(), q()],
  hands: [q(), q(), q()],
};
const formA = q();
const formB = q();
const formC = q();

async function ok(token: string, cmd: Record<string, unknown>) {
  const ack = await server.command(token, { id: randomUUID(), sessionId: session.id, ...cmd });
  expect(ack, JSON.stringify(cmd)).toMatchObject({ ok: true });
  return ack;
}
async function download(path: string): Promise<Buffer> {
  const res = await fetch(server.url + path, { headers: { authorization: `Bearer ${server.adminToken}` } });
  expect(res.status, path).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}
const get = async <T>(path: string): Promise<T> => {
  const res = await server.api<T>('GET', path, { token: server.adminToken });
  expect(res.status, path).toBe(200);
  return res.body;
};

/** What a synced client holds: its sync reply, then every event pushed to it since. */
function folded(sub: Awaited<ReturnType<typeof subscribe>>): SessionState {
  if (!sub.reply.ok) throw new Error('sync refused');
  const start =
    sub.reply.mode === 'snapshot' ? sub.reply.state : applyAll(emptyState(session.id), sub.reply.events);
  return applyAll(start, sub.received as never);
}

beforeAll(async () => {
  server = await startServer();
  chair = await server.staffToken('chair', { name: 'Nguyễn Văn Chủ' });
  secretary = await server.staffToken('secretary', { name: 'Đỗ Thị Ghi' });
  landOfficial = await server.staffToken('official', { name: 'Phạm Văn Dũng', fieldIds: ['dia-chinh'] });
  session = await server.createSession({ moderation: 'review', title: 'Hội nghị đối thoại lần 1 năm 2026' });
  panel = await subscribe(await server.connect(chair), session.id);
  const display = await server.api<{ token: string }>('POST', `/api/sessions/${session.id}/display-token`, {
    token: server.adminToken,
  });
  expect(display.status).toBe(200);
  screen = await subscribe(await server.connect(display.body.token), session.id);

  const official = (id: string, name: string, title: string, fieldIds: string[]) =>
    ok(server.adminToken, { type: 'official.upsert', official: { id, name, title, fieldIds } });
  await official('o-chu', 'Nguyễn Văn Chủ', 'Chủ tịch UBND phường', []);
  await official('o-dung', 'Phạm Văn Dũng', 'Công chức Địa chính – Xây dựng', ['dia-chinh']);
  await official('o-police', 'Trần Văn Công', 'Trưởng Công an phường', ['cong-an']);
  await official('o-tp', 'Lê Thị Tư', 'Công chức Tư pháp – Hộ tịch', ['tu-phap']);

  // Forms handed out per residential group and organisation.
  await ok(server.adminToken, {
    type: 'paper_form.set_issued',
    groups: [
      { group: 3, count: 5 },
      { group: 9, count: 10 },
    ],
    organisations: [{ organisation: 'Hội Phụ nữ', count: 8 }],
  });

  // Before the meeting: a phone and a paper form.
  await server.setStatus(session.id, 'collecting');
  phoneA = await server.join(session.joinCode, { name: 'Lê Thị Mai', group: 3 });
  const phoneB = await server.join(session.joinCode, { name: 'Hoàng Văn Bình', group: 9 });
  const ask = (token: string, questionId: string, fieldId: string, text: string, anonymous = false) =>
    ok(token, { type: 'question.submit', questionId, fieldId, text, anonymous });
  await ask(phoneA.token, ids.pre1, 'dia-chinh', 'Thời hạn cấp giấy chứng nhận quyền sử dụng đất');
  await ask(phoneB.token, ids.pre2, 'tu-phap', 'Chứng thực bản sao có làm trực tuyến được không', true);
  await ok(server.adminToken, {
    type: 'paper_form.enter',
    participantId: formA,
    name: 'Nguyen Thi Hao',
    group: 9,
    organisation: 'Hội Phụ nữ',
    questions: [
      { questionId: ids.paperA1, text: 'Đường ngõ 12 ngập khi mưa', fieldId: 'do-thi' },
      { questionId: ids.paperA2, text: 'Cần thêm ghế chờ ở bộ phận một cửa', fieldId: 'van-phong' },
    ],
    answers: { procedures: 4, official: 5 },
  });

  // The meeting.
  await server.setStatus(session.id, 'live');
  const typed = [
    ['dia-chinh', 'Hồ sơ tách thửa bị trả lại nhiều lần'],
    ['cong-an', 'Đăng ký thường trú cần giấy tờ gì'],
    ['tu-phap', 'Lệ phí đăng ký kết hôn là bao nhiêu'],
    ['cong-an', 'Xin cấp căn cước cho người già tại nhà'],
    ['van-hoa', 'Tổ chức lễ hội cần xin phép ở đâu'],
  ] as const;
  for (const [i, [field, text]] of typed.entries())
    await ask(i % 2 === 0 ? phoneA.token : phoneB.token, ids.typed[i]!, field, text);
  await ask(phoneB.token, ids.dup, 'cong-an', 'Đăng ký thường trú cần những giấy tờ nào');
  await ok(chair, {
    type: 'question.approve',
    questionIds: [ids.pre1, ids.pre2, ...ids.typed, ids.dup, ids.paperA1, ids.paperA2],
  });
  await ok(chair, { type: 'question.merge', questionId: ids.dup, intoId: ids.typed[1] });
  await ok(secretary, {
    type: 'paper_form.enter',
    participantId: formB,
    // No name on this form: the DOCX's author cell is empty (docx writes an empty paragraph into it).
    group: 3,
    questions: [
      { questionId: ids.paperB1, text: 'Thủ tục xin giấy phép xây dựng nhà ở', fieldId: 'dia-chinh' },
    ],
  });
  await ok(chair, { type: 'question.approve', questionIds: [ids.paperB1] });

  // Three speeches, recorded as four opinions.
  const speakers = [
    ['Nguyễn Thị Hoa', 9],
    ['Trần Văn Sơn', 3],
    ['Đặng Thị Lan', 12],
  ] as const;
  const spoken = [
    [
      { questionId: ids.spoken[0], text: 'Đề nghị sửa quy định hạn mức tách thửa', fieldId: 'dia-chinh' },
      { questionId: ids.spoken[1], text: 'Thái độ tiếp dân ở bộ phận một cửa', fieldId: 'van-phong' },
    ],
    [{ questionId: ids.spoken[2], text: 'Lệ phí chứng thực cao', fieldId: 'tu-phap' }],
    [
      {
        questionId: ids.spoken[3],
        text: 'Trật tự lòng đường chợ tạm',
        fieldId: 'cong-an',
        officialId: 'o-police',
      },
    ],
  ];
  for (const [i, [name, group]] of speakers.entries()) {
    await ok(secretary, { type: 'hand.add', handId: ids.hands[i], name, group });
    await ok(chair, { type: 'speaker.give_floor', handId: ids.hands[i] });
    await ok(chair, { type: 'speaker.end' });
    await ok(i === 1 ? chair : secretary, {
      type: 'speech.record_opinions',
      handId: ids.hands[i],
      opinions: spoken[i],
    });
  }

  // Answers by three officials, recorded by the chairman and the secretary; the plan's other outcomes.
  const answer = (token: string, questionId: string, rest: Record<string, unknown>) =>
    ok(token, { type: 'question.answer', questionId, ...rest });
  await answer(chair, ids.typed[0]!, { mode: 'live', answeredBy: 'o-dung', note: 'Bổ sung bản vẽ' });
  await answer(secretary, ids.typed[1]!, { mode: 'live', answeredBy: 'o-police', note: 'CCCD và sổ' });
  await answer(chair, ids.typed[2]!, { mode: 'live', answeredBy: 'o-tp', note: 'Miễn lệ phí' });
  await answer(chair, ids.pre1, { mode: 'writing', dueDate: DUE, answeredBy: 'o-dung' });
  await answer(secretary, ids.paperA1, { mode: 'writing', dueDate: DUE, answeredBy: 'o-chu' });
  await answer(chair, ids.spoken[0]!, {
    mode: 'upward',
    authority: 'UBND thành phố Hà Nội',
    answeredBy: 'o-dung',
  });
  await answer(chair, ids.spoken[3]!, {
    mode: 'outside',
    reason: 'Thuộc thẩm quyền của Công an thành phố',
    answeredBy: 'o-police',
  });

  // Phones fill in the satisfaction form.
  await ok(phoneA.token, { type: 'survey.submit', answers: { procedures: 3, official: 4 } });

  // Closing: every open opinion of the meeting gets an outcome first.
  const open = (await get<SessionState>(`/api/sessions/${session.id}/state`)).questions;
  const stillOpen = Object.values(open)
    .filter((x) => x.status === 'published' || x.status === 'pending')
    .map((x) => x.id);
  expect(stillOpen.length).toBeGreaterThan(0);
  await ok(chair, { type: 'question.answer_bulk', questionIds: stillOpen, mode: 'writing', dueDate: DUE });
  await server.setStatus(session.id, 'closed');

  // After closing: the Front's form, and form A corrected (one opinion added, the name's accents put right).
  await ok(server.adminToken, {
    type: 'paper_form.enter',
    participantId: formC,
    name: 'Bùi Văn Tâm',
    group: 9,
    organisation: 'Hội Cựu chiến binh',
    questions: [{ questionId: ids.paperC1, text: 'Hỗ trợ hộ nghèo làm thủ tục vay vốn', fieldId: 'ldtbxh' }],
  });
  await ok(server.adminToken, {
    type: 'paper_form.correct',
    participantId: formA,
    name: 'Nguyễn Thị Hảo',
    group: 9,
    organisation: 'Hội Phụ nữ',
    questions: [
      { questionId: ids.paperA1, text: 'Đường ngõ 12 ngập khi mưa', fieldId: 'do-thi' },
      { questionId: ids.paperA2, text: 'Cần thêm ghế chờ ở bộ phận một cửa', fieldId: 'van-phong' },
    ],
    answers: { procedures: 4, official: 5 },
    comment: 'Cán bộ nhiệt tình',
  });
  await ok(chair, {
    type: 'question.answer_bulk',
    questionIds: [ids.paperC1],
    mode: 'writing',
    dueDate: DUE,
  });

  // The written reply to the paper asker, its letter and its delivery by post.
  const written = await server.api(
    'POST',
    `/api/sessions/${session.id}/questions/${ids.pre1}/written-answer`,
    {
      token: landOfficial,
      body: { text: 'Thời hạn là 15 ngày làm việc kể từ ngày nhận đủ hồ sơ.' },
    },
  );
  expect(written.status).toBe(200);
  const chairReply = await server.api(
    'POST',
    `/api/sessions/${session.id}/questions/${ids.paperA1}/written-answer`,
    { token: chair, body: { text: 'Phường đã đưa ngõ 12 vào kế hoạch cải tạo thoát nước năm sau.' } },
  );
  expect(chairReply.status).toBe(200);
  const letter = await server.api('POST', `/api/sessions/${session.id}/replies/letter`, {
    token: server.adminToken,
    body: { questionIds: [ids.paperA1], number: '125/UBND', date: TODAY, signedBy: 'o-chu' },
  });
  expect(letter.status).toBe(200);
  const delivery = await server.api('POST', `/api/sessions/${session.id}/replies/delivery`, {
    token: server.adminToken,
    body: { questionIds: [ids.paperA1], method: 'post', date: TODAY },
  });
  expect(delivery.status).toBe(200);
}, 120_000);

afterAll(async () => {
  await server?.close();
});

/** The figures every surface shows: counts, speeches, forms and surveys (satisfaction rows aside). */
const headline = (f: Figures) => {
  const { satisfaction: _s, ...rest } = f;
  return rest;
};

/**
 * The figures the hall sees (phones and the screen). Their views leave out other askers' merged, hidden and withdrawn
 * questions, so they show the opinions dealt with, never "received".
 */
const hall = (f: Figures) => ({
  opinions: f.opinions,
  answeredLive: f.answeredLive,
  inWriting: f.inWriting,
  writtenDone: f.writtenDone,
  upward: f.upward,
  outside: f.outside,
  open: f.open,
  speeches: f.speeches,
  surveys: f.surveys,
});

describe('the seed meeting, run as a ward runs it', () => {
  let state: SessionState;
  let report: Report;
  let figures: Figures;
  beforeAll(async () => {
    state = await get<SessionState>(`/api/sessions/${session.id}/state`);
    report = await get<Report>(`/api/sessions/${session.id}/report?today=${TODAY}`);
    figures = sessionFigures(state, TODAY);
  });

  it('holds what happened: every channel, all four outcomes, a delivered reply', () => {
    expect(figures).toMatchObject({
      received: 16,
      merged: 1,
      opinions: 15,
      phone: 8,
      paper: 4,
      speech: 4,
      answeredLive: 3,
      upward: 1,
      outside: 1,
      delivered: 1,
      open: 0,
      speeches: 3,
      formsCollected: 3,
    });
    expect(report.paperForms).toMatchObject({ collected: 3, issued: 23 });
  });

  it('the panel’s own fold counts what the report counts; a phone and the screen show the same hall figures', async () => {
    await expect.poll(() => headline(sessionFigures(folded(panel), TODAY))).toEqual(headline(figures));
    const { speeches: _s, formsCollected: _f, surveys: _v, satisfaction: _sat, ...counts } = figures;
    expect(report.totals).toEqual(counts);
    expect(report.figures.speeches).toBe(figures.speeches);
    expect(report.figures.formsCollected).toBe(figures.formsCollected);

    const phone = await subscribe(await server.connect(phoneA.token), session.id);
    if (!phone.reply.ok) throw new Error('phone sync refused');
    const phoneState =
      phone.reply.mode === 'snapshot'
        ? phone.reply.state
        : applyAll(emptyState(session.id), phone.reply.events);
    expect(hall(sessionFigures(phoneState, TODAY))).toEqual(hall(figures));
    expect(hall(sessionFigures(folded(screen), TODAY))).toEqual(hall(figures));
  });

  it('the minutes’ inserts, from the secretary’s fold, count the opinions by field as the report does', async () => {
    const minutes = sideList(folded(panel)).figures;
    expect(minutes.questions).toBe(figures.opinions);
    expect(minutes.attendanceParagraph).toContain(`${figures.opinions} câu hỏi, ý kiến`);
    const reported = report.byField.filter((r) => r.opinions > 0);
    expect(minutes.byField.map((r) => r.name)).toEqual(reported.map((r) => r.name));
    for (const [i, r] of reported.entries())
      expect(minutes.byField[i], r.name).toMatchObject({
        count: r.opinions,
        answered: r.answeredLive,
        writing: r.inWriting,
        upward: r.upward,
        outside: r.outside,
      });
  });

  it('the XLSX and the CSV carry the same totals and the forms handed out and collected', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(
      (await download(
        `/api/sessions/${session.id}/export/report.xlsx?today=${TODAY}`,
      )) as unknown as ArrayBuffer,
    );
    const xlsx: string[][] = [];
    wb.eachSheet((sheet) =>
      sheet.eachRow({ includeEmpty: false }, (r) =>
        xlsx.push(
          (r.values as unknown[]).slice(1).map((v) => (v === undefined || v === null ? '' : String(v))),
        ),
      ),
    );
    const csv = parseCsv(
      (await download(`/api/sessions/${session.id}/export/report.csv?today=${TODAY}`)).toString('utf8'),
    );
    for (const rows of [xlsx, csv]) {
      const header = rows.find((r) => r[0] === E.field && r.includes(E.received)) ?? [];
      const total = rows.find((r) => r[0] === E.total && r.length === header.length) ?? [];
      for (const key of [
        'received',
        'opinions',
        'answeredLive',
        'inWriting',
        'upward',
        'outside',
        'open',
      ] as const)
        expect(total[header.indexOf(E[key])], key).toBe(String(figures[key]));
      // The forms per residential group and per organisation, as the paper tab shows them.
      const byGroup = rows.findIndex((r) => r[0] === `${P.title} – ${P.byGroup}`);
      expect(byGroup, 'forms by group').toBeGreaterThan(-1);
      expect(rows[byGroup + 1]).toEqual([P.group, P.issued, P.collected]);
      for (const [i, row] of report.paperForms.byGroup.entries())
        expect(rows[byGroup + 2 + i]).toEqual([
          row.key === null ? P.none : `${row.key}`,
          String(row.issued),
          String(row.collected),
        ]);
      expect(rows[byGroup + 2 + report.paperForms.byGroup.length]).toEqual([P.total, '15', '3']);
      const byOrg = rows.findIndex((r) => r[0] === `${P.title} – ${P.byOrganisation}`);
      expect(byOrg, 'forms by organisation').toBeGreaterThan(-1);
      for (const [i, row] of report.paperForms.byOrganisation.entries())
        expect(rows[byOrg + 2 + i]).toEqual([
          row.key === null ? P.noneOrganisation : String(row.key),
          String(row.issued),
          String(row.collected),
        ]);
    }
  });

  it('the synthesis report DOCX: the Decree 30 layout, the same figures, every opinion with its outcome', async () => {
    const zip = await JSZip.loadAsync(
      await download(`/api/sessions/${session.id}/export/report.docx?today=${TODAY}`),
    );
    const xml = (await zip.file('word/document.xml')?.async('string')) ?? '';
    expect(xml).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(xml).toContain('BÁO CÁO');
    expect(xml).toContain('Tổng hợp ý kiến, kiến nghị');
    expect(xml).toContain('Nơi nhận:');
    const tables = docxTables(xml);

    // The figures, each under the export's own label.
    const facts = new Map(tables.flatMap((t) => t.filter((r) => r.length === 2).map((r) => [r[0], r[1]])));
    const keys = [
      'received',
      'phone',
      'paper',
      'speech',
      'preMeeting',
      'opinions',
      'answeredLive',
      'inWriting',
      'writtenDone',
      'delivered',
      'writtenPending',
      'overdue',
      'upward',
      'outside',
      'open',
      'merged',
      'hidden',
    ] as const;
    for (const key of keys) expect(facts.get(E[key]), key).toBe(String(figures[key]));
    expect(facts.get(E.speeches)).toBe(String(figures.speeches));
    expect(facts.get(E.formsCollected)).toBe(String(figures.formsCollected));

    // The opinions: number, field, text, outcome and the official accountable, for every one received.
    const list = tables.find((t) => t[0]?.[0] === E.number && t[0].includes(E.outcome)) ?? [];
    const col = (name: string) => list[0]?.indexOf(name) ?? -1;
    expect(list.length - 1).toBe(report.questions.length);
    for (const row of report.questions) {
      const line = list.find((r) => r[col(E.number)] === String(row.number)) ?? [];
      expect(line[col(E.field)], row.text).toBe(row.fieldId === null ? E.noField : row.fieldName);
      expect(line[col(E.text)]).toContain(row.text);
      expect(line[col(E.outcome)]).toContain(L.outcome[row.outcome]);
      expect(line[col(E.answeredBy)]).toBe(row.answeredBy ?? row.assignedOfficial ?? '');
    }
    const upward = list.find((r) => r[col(E.text)]?.includes('hạn mức tách thửa')) ?? [];
    expect(upward[col(E.outcome)]).toContain('UBND thành phố Hà Nội');

    // The forms handed out and collected, as on the paper tab.
    const forms = tables.find((t) => t[0]?.[0] === P.group && t[0][1] === P.issued) ?? [];
    for (const row of report.paperForms.byGroup)
      expect(forms).toContainEqual([
        row.key === null ? P.none : String(row.key),
        String(row.issued),
        String(row.collected),
      ]);
  });
});
