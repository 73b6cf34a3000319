/**
 * Paper forms after the meeting (issue 13, finding 5), against a real server: a form collected by the Front after
 * closing is entered; a mistyped form is opened again and corrected — name, group, organisation, its opinions, its
 * scores, its comment — or removed; figures follow on every audience; each change is in the audit log with before
 * and after; the forms handed out and collected per residential group and organisation reach the report; and the
 * approved minutes stay as approved while the report shows the later forms.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionState } from '../../../shared/domain/types.ts';
import type { Report } from '../../../shared/report/report.ts';
import type { AuditPage } from '../../../server/http/office.ts';
import { startServer, subscribe, type TestServer } from '../../helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
});

const get = async <T>(path: string): Promise<T> => {
  const res = await server.api<T>('GET', path, { token: server.adminToken });
  expect(res.status, path).toBe(200);
  return res.body;
};
const staffState = (id: string) => get<SessionState>(`/api/sessions/${id}/state`);
const report = (id: string) => get<Report>(`/api/sessions/${id}/report`);
const audit = (id: string) => get<AuditPage>(`/api/sessions/${id}/events?type=paper_form.*`);

/** A live session and the office's way of sending it commands. */
async function liveSession() {
  const session = await server.createSession({ moderation: 'open' });
  await server.setStatus(session.id, 'live');
  const send = (cmd: Record<string, unknown>) =>
    server.command(server.adminToken, { sessionId: session.id, ...cmd });
  return { session, send };
}

/** A live session with one paper form of one opinion (`text`, by `name` when given). */
async function liveSessionWithOpinion(text: string, name?: string) {
  const { session, send } = await liveSession();
  const participantId = randomUUID();
  const questionId = randomUUID();
  expect(
    await send({
      type: 'paper_form.enter',
      participantId,
      ...(name ? { name } : {}),
      questions: [{ questionId, text }],
    }),
  ).toMatchObject({ ok: true });
  return { session, send, participantId, questionId };
}

async function closedSessionWithForm() {
  const { session, send } = await liveSession();
  const form = {
    type: 'paper_form.enter',
    participantId: randomUUID(),
    name: 'Nguyen Thi Hao',
    group: 3,
    organisation: 'Hội Phụ nữ',
    questions: [
      { questionId: randomUUID(), text: 'Thủ tục cấp sổ đỏ quá lâu', fieldId: 'dia-chinh' },
      { questionId: randomUUID(), text: 'Cần thêm ghế chờ ở bộ phận một cửa' },
    ],
    answers: { procedures: 2, official: 4 },
    comment: 'Cán bộ nhiệt tình',
  };
  expect(await send(form)).toMatchObject({ ok: true });
  await server.setStatus(session.id, 'closed');
  return { session, send, form };
}

describe('paper forms after the meeting', () => {
  it('a form collected after closing is entered and counted', async () => {
    const { session, send } = await closedSessionWithForm();
    const late = await send({
      type: 'paper_form.enter',
      participantId: randomUUID(),
      name: 'Trần Văn Minh',
      organisation: 'Hội Cựu chiến binh',
      questions: [{ questionId: randomUUID(), text: 'Xin hướng dẫn thủ tục chứng thực' }],
    });
    expect(late).toMatchObject({ ok: true });
    const r = await report(session.id);
    expect(r.totals.paper).toBe(3);
    expect(r.paperForms.collected).toBe(2);
  });

  it('a form is opened again and corrected: author, opinions, scores and comment; figures and phones follow', async () => {
    const { session, send, form } = await closedSessionWithForm();
    const staffWatch = await subscribe(await server.connect(server.adminToken), session.id);
    const [kept, dropped] = form.questions;
    const added = randomUUID();
    const ack = await send({
      type: 'paper_form.correct',
      participantId: form.participantId,
      name: 'Nguyễn Thị Hảo',
      group: 4,
      organisation: 'Hội Phụ nữ phường',
      questions: [
        { questionId: kept!.questionId, text: 'Thủ tục cấp giấy chứng nhận quá lâu', fieldId: 'tu-phap' },
        { questionId: added, text: 'Niêm yết phí, lệ phí chưa rõ' },
      ],
      answers: { procedures: 3, official: 5 },
      comment: 'Cán bộ rất nhiệt tình',
    });
    expect(ack).toMatchObject({ ok: true });

    const state = await staffState(session.id);
    expect(state.participants[form.participantId]).toMatchObject({
      name: 'Nguyễn Thị Hảo',
      group: 4,
      organisation: 'Hội Phụ nữ phường',
      source: 'paper',
    });
    expect(state.questions[kept!.questionId]).toMatchObject({
      text: 'Thủ tục cấp giấy chứng nhận quá lâu',
      fieldId: 'tu-phap',
      authorName: 'Nguyễn Thị Hảo',
      authorGroup: 4,
    });
    expect(state.questions[dropped!.questionId]).toBeUndefined();
    expect(state.questions[added]).toMatchObject({ text: 'Niêm yết phí, lệ phí chưa rõ', source: 'paper' });
    expect(state.surveys[form.participantId]).toMatchObject({
      answers: { procedures: 3, official: 5 },
      comment: 'Cán bộ rất nhiệt tình',
    });
    expect(state.surveyCount).toBe(1);

    const r = await report(session.id);
    expect(r.totals.received).toBe(2);
    expect(r.byField.find((f) => f.fieldId === 'tu-phap')?.received).toBe(1);
    expect(r.byField.find((f) => f.fieldId === 'dia-chinh')?.received).toBe(0);
    expect(r.satisfaction.criteria.find((c) => c.criterionId === 'procedures')?.average).toBe(3);

    // The staff socket folded the correction as the server did.
    await expect.poll(() => staffWatch.received.some((e) => e.type === 'paper_form.corrected')).toBe(true);

    // The audit log says what changed, before and after.
    const page = await audit(session.id);
    const row = page.rows.find((x) => x.type === 'paper_form.corrected');
    expect(row?.detail).toContain('Nguyen Thi Hao');
    expect(row?.detail).toContain('Nguyễn Thị Hảo');
    expect(row?.detail).toContain('“Thủ tục cấp sổ đỏ quá lâu” → “Thủ tục cấp giấy chứng nhận quá lâu”');
    expect(row?.detail).toContain('“Cần thêm ghế chờ ở bộ phận một cửa”');
    expect(row?.detail).toContain('2 4 → 3 5');
    expect(row?.actorName).toBe('Quản trị');
  });

  it('a correction refused names the field it is about, and changes nothing', async () => {
    const { session, send, form } = await closedSessionWithForm();
    const before = await staffState(session.id);
    const ack = await send({ ...form, type: 'paper_form.correct', group: 99 });
    expect(ack).toMatchObject({ ok: false, code: 'bad_request', params: { field: 'group' } });
    const unknownField = await send({
      ...form,
      type: 'paper_form.correct',
      questions: [{ ...form.questions[0], fieldId: 'khong-co' }],
    });
    expect(unknownField).toMatchObject({
      ok: false,
      code: 'unknown_field',
      params: { field: 'questions.0.fieldId' },
    });
    expect((await staffState(session.id)).seq).toBe(before.seq);
  });

  it('a form is removed with its opinions and scores; every audience counts without it', async () => {
    const { session, send, form } = await closedSessionWithForm();
    const before = await report(session.id);
    expect(before.totals.received).toBe(2);
    expect(before.satisfaction.responses).toBe(1);

    expect(await send({ type: 'paper_form.remove', participantId: form.participantId })).toMatchObject({
      ok: true,
    });
    const state = await staffState(session.id);
    expect(state.participants[form.participantId]).toBeUndefined();
    expect(state.surveys[form.participantId]).toBeUndefined();
    for (const q of form.questions) expect(state.questions[q.questionId]).toBeUndefined();
    const after = await report(session.id);
    expect(after.totals.received).toBe(0);
    expect(after.satisfaction.responses).toBe(0);
    expect(after.participation.participants).toBe(0);

    const page = await audit(session.id);
    const row = page.rows.find((x) => x.type === 'paper_form.removed');
    expect(row?.detail).toContain('Nguyen Thi Hao');
    expect(row?.detail).toContain('“Thủ tục cấp sổ đỏ quá lâu”');

    // Removed twice: nothing left to remove.
    expect(await send({ type: 'paper_form.remove', participantId: form.participantId })).toMatchObject({
      ok: false,
      code: 'not_found',
    });
  });

  it('an answered opinion stays on the record: its form cannot be removed', async () => {
    const { session, send, participantId, questionId } =
      await liveSessionWithOpinion('Câu hỏi đã được trả lời');
    const chair = await server.staffToken('chair');
    expect(
      await server.command(chair, {
        sessionId: session.id,
        type: 'question.answer',
        questionId,
        mode: 'live',
      }),
    ).toMatchObject({ ok: true });
    expect(await send({ type: 'paper_form.remove', participantId })).toMatchObject({
      ok: false,
      code: 'already_answered',
      params: { field: 'questions' },
    });
  });

  it('a phone folds the correction and the removal: a paper opinion it saw changes, then goes', async () => {
    const { session, send, participantId, questionId } = await liveSessionWithOpinion(
      'Bản nháp',
      'Lê Thị Lan',
    );
    const asker = await server.join(session.joinCode);
    const phone = await subscribe(await server.connect(asker.token), session.id);
    await send({
      type: 'paper_form.correct',
      participantId,
      name: 'Lê Thị Lan',
      questions: [{ questionId, text: 'Bản đã sửa' }],
    });
    await send({ type: 'paper_form.remove', participantId });
    await expect.poll(() => phone.received.map((e) => e.type)).toContain('paper_form.removed');
    const corrected = phone.received.find((e) => e.type === 'paper_form.corrected') as unknown as {
      questions: Array<{ text: string; authorId?: string }>;
      before?: unknown;
      participant?: unknown;
    };
    expect(corrected.questions[0]?.text).toBe('Bản đã sửa');
    expect(corrected.before).toBeUndefined();
    expect(corrected.participant).toBeUndefined();
    const removed = phone.received.find((e) => e.type === 'paper_form.removed');
    expect(removed).toMatchObject({ removedQuestionIds: [questionId], participantCount: 1 });
    expect(removed).not.toHaveProperty('before');
  });
});

describe('forms handed out and collected', () => {
  it('per residential group and organisation, in the report; the approved minutes stay as approved', async () => {
    const { session, send } = await closedSessionWithForm();
    const issued = await send({
      type: 'paper_form.set_issued',
      groups: [
        { group: 3, count: 10 },
        { group: 5, count: 8 },
      ],
      organisations: [{ organisation: 'Hội phụ nữ', count: 30 }],
    });
    expect(issued).toMatchObject({ ok: true });
    const tooHigh = await send({ type: 'paper_form.set_issued', groups: [{ group: 99, count: 1 }] });
    expect(tooHigh).toMatchObject({ ok: false, params: { field: 'groups.0.group' } });

    const chair = await server.staffToken('chair');
    const approved = await server.api('POST', `/api/sessions/${session.id}/minutes/approve`, {
      token: chair,
    });
    expect(approved.status).toBe(200);
    const sealed = await server.api<{ hash: string }>('GET', `/api/sessions/${session.id}/state`, {
      token: server.adminToken,
    });
    // Collected by the Front after the approval.
    expect(
      await send({
        type: 'paper_form.enter',
        participantId: randomUUID(),
        group: 5,
        organisation: 'Hội Phụ nữ ',
        answers: { procedures: 5 },
      }),
    ).toMatchObject({ ok: true });

    const r = await report(session.id);
    expect(r.paperForms.issued).toBe(48);
    expect(r.paperForms.collected).toBe(2);
    expect(r.paperForms.byGroup).toEqual([
      { key: 3, issued: 10, collected: 1 },
      { key: 5, issued: 8, collected: 1 },
    ]);
    expect(r.paperForms.byOrganisation).toEqual([{ key: 'Hội phụ nữ', issued: 30, collected: 2 }]);
    expect(r.paperForms.afterApproval).toBe(1);
    const state = await staffState(session.id);
    expect(state.minutesApproved?.hash).toBe((sealed.body as unknown as SessionState).minutesApproved?.hash);
    const page = await audit(session.id);
    expect(page.rows.find((x) => x.type === 'paper_form.issued_set')?.detail).toBe(
      'tổ 3: 10 · tổ 5: 8 · Hội phụ nữ: 30',
    );
  });
});
