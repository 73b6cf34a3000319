/**
 * Carry-over keeps the facts (issue 13, finding 9): the next session holds each open opinion with the number it had
 * in the earlier session, the day it was received and its channel; the earlier session's phones learn where their
 * question went, live and on a later sync.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionState } from '../../../shared/domain/types.ts';
import type { Report } from '../../../shared/report/report.ts';
import { startServer, subscribe, type TestServer } from '../../helpers/server.ts';
import { wardDay } from '../../helpers/wardDay.ts';

let server: TestServer;
const isoDay = wardDay;

const ids = { answered: randomUUID(), typed: randomUUID(), paper: randomUUID() };
let first: { id: string; joinCode: string };
let next: { id: string; joinCode: string };
let asker: { token: string; participantId: string };
let askerPushed: Awaited<ReturnType<typeof subscribe>>['received'];
let before: Report;

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));
const report = async (id: string) =>
  (await server.api<Report>('GET', `/api/sessions/${id}/report`, { token: server.adminToken })).body;

beforeAll(async () => {
  server = await startServer();
  first = await server.createSession({ title: 'Hội nghị đối thoại lần 1 năm 2026', moderation: 'open' });
  await server.setStatus(first.id, 'collecting');
  asker = await server.join(first.joinCode, { name: 'Nguyễn Văn A', group: 3 });
  for (const questionId of [ids.answered, ids.typed]) {
    const ack = await server.command(asker.token, {
      type: 'question.submit',
      sessionId: first.id,
      questionId,
      text: `Ý kiến ${questionId.slice(0, 4)} về thủ tục đất đai`,
    });
    expect(ack).toMatchObject({ ok: true });
  }
  const paper = await server.command(server.adminToken, {
    type: 'paper_form.enter',
    sessionId: first.id,
    participantId: randomUUID(),
    name: 'Trần Thị B',
    group: 9,
    questions: [{ questionId: ids.paper, text: 'Đề nghị sửa đường ngõ 12', anonymous: false }],
  });
  expect(paper).toMatchObject({ ok: true });
  await server.setStatus(first.id, 'live');
  const chair = await server.staffToken('chair', { name: 'Chủ tịch Phạm Văn E' });
  const answered = await server.command(chair, {
    type: 'question.answer',
    sessionId: first.id,
    questionId: ids.answered,
    mode: 'live',
    note: 'Đã trả lời tại hội nghị',
  });
  expect(answered).toMatchObject({ ok: true });
  await server.setStatus(first.id, 'closed');
  before = await report(first.id);

  // The asker's phone stays connected to the earlier session while the office prepares the next one.
  askerPushed = (await subscribe(await server.connect(asker.token), first.id)).received;
  // The received times must differ from the carry-over's own.
  await settle(30);
  next = await server.createSession({
    title: 'Hội nghị đối thoại lần 2 năm 2026',
    date: isoDay(180),
    carryOverFrom: first.id,
  });
}, 60_000);

afterAll(() => server?.close());

describe('carry-over', () => {
  it('keeps each opinion’s number in the earlier session, its received time and its channel', async () => {
    const state = (
      await server.api<SessionState>('GET', `/api/sessions/${next.id}/state`, {
        token: server.adminToken,
      })
    ).body;
    const carried = Object.values(state.questions);
    expect(carried).toHaveLength(2);
    for (const id of [ids.typed, ids.paper]) {
      const was = before.questions.find((r) => r.id === id);
      const now = carried.find((x) => x.carriedFrom?.questionId === id);
      expect(now?.carriedFrom, id).toMatchObject({
        sessionId: first.id,
        sessionTitle: 'Hội nghị đối thoại lần 1 năm 2026',
        number: was?.number,
      });
      expect(now?.createdAt).toBe(was?.createdAt);
      expect(now?.source).toBe(was?.source);
    }
    const paperRow = (await report(next.id)).questions.find((r) => r.source === 'paper');
    const wasPaper = before.questions.find((r) => r.id === ids.paper);
    expect(paperRow?.createdAt).toBe(wasPaper?.createdAt);
    expect(paperRow).toMatchObject({
      carriedFrom: 'Hội nghị đối thoại lần 1 năm 2026',
      carriedFromNumber: wasPaper?.number,
    });
  });

  it('tells the earlier session’s phones where their question went, live and after a reload', async () => {
    const newNumber = (await report(next.id)).questions.find((r) =>
      r.text.includes(ids.typed.slice(0, 4)),
    )?.number;
    const expected = {
      sessionId: next.id,
      sessionTitle: 'Hội nghị đối thoại lần 2 năm 2026',
      sessionDate: isoDay(180),
      number: newNumber,
    };
    await expect
      .poll(() =>
        askerPushed
          .filter((e) => e.type === 'question.carried_over')
          .map((e) => (e as unknown as { question: SessionState['questions'][string] }).question),
      )
      .toContainEqual(
        expect.objectContaining({ id: ids.typed, carriedTo: expect.objectContaining(expected) }),
      );

    const reload = await subscribe(await server.connect(asker.token), first.id);
    if (!reload.reply.ok || reload.reply.mode !== 'snapshot') throw new Error('expected a snapshot');
    const mine = reload.reply.state.questions;
    expect(mine[ids.typed]?.carriedTo).toMatchObject(expected);
    // What was answered at the meeting stayed where it was.
    expect(mine[ids.answered]?.carriedTo).toBeUndefined();
    expect(mine[ids.typed]?.status).toBe('published');

    // The office's list of the earlier session says it too.
    const old = await report(first.id);
    const carriedPaper = report(next.id).then((r) => r.questions.find((x) => x.source === 'paper')?.number);
    expect(old.questions.find((r) => r.id === ids.paper)).toMatchObject({
      carriedTo: 'Hội nghị đối thoại lần 2 năm 2026',
      carriedToNumber: await carriedPaper,
    });
  });
});
