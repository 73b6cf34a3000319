/**
 * Domain integrity against a real server (issue 12, findings 5 and 9): ids named like Object.prototype's members
 * never reach it, closed sessions refuse what is not an after-meeting task, carry-over keeps unapproved questions
 * unapproved, and dates are real calendar dates.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewDomainEvent } from '../../../shared/domain/events.ts';
import type { SessionState } from '../../../shared/domain/types.ts';
import { startServer, subscribe, type TestServer } from '../../helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
});

async function restart(): Promise<void> {
  const dataDir = server.dataDir;
  await server.close();
  server = await startServer({ dataDir });
}

/**
 * Every reader of a session answers: the audit log and its CSV, the report and its files, the staff state (each
 * record under its own id, none under "undefined"), and a phone's sync. Returns the staff state.
 */
async function expectReadable(s: TestServer, sessionId: string): Promise<SessionState> {
  const get = (path: string) =>
    fetch(`${s.url}/api/sessions/${sessionId}/${path}`, {
      headers: { authorization: `Bearer ${s.adminToken}` },
    });
  for (const path of [
    'events',
    'export/audit.csv',
    'report',
    'export/report.csv',
    'export/report.xlsx',
    'export/questions.csv',
  ])
    expect((await get(path)).status, path).toBe(200);
  const res = await get('state');
  expect(res.status).toBe(200);
  const state = (await res.json()) as SessionState;
  const records: Array<[Record<string, object>, 'id' | 'participantId']> = [
    [state.questions, 'id'],
    [state.participants, 'id'],
    [state.surveys, 'participantId'],
  ];
  for (const [map, idKey] of records) {
    expect(Object.keys(map)).not.toContain('undefined');
    for (const [key, value] of Object.entries(map))
      expect((value as Record<string, unknown>)[idKey]).toBe(key);
  }
  const { joinCode } = (
    await s.api<{ joinCode: string }>('GET', `/api/sessions/${sessionId}`, { token: s.adminToken })
  ).body;
  const phone = await s.join(joinCode);
  const socket = await s.connect(phone.token);
  const { reply } = await subscribe(socket, sessionId);
  expect(reply).toMatchObject({ ok: true });
  socket.disconnect();
  return state;
}

const PROTO_NAMES = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', 'prototype'];

describe('ids named like Object.prototype members', () => {
  it('are refused over socket.io and REST, and the log, audit.csv and a restart stay healthy', async () => {
    const session = await server.createSession({ moderation: 'open' });
    await server.setStatus(session.id, 'live');
    const phone = await server.join(session.joinCode, { name: 'Nguyễn Văn A' });
    const socket = await server.connect(phone.token);
    await subscribe(socket, session.id);
    const send = (cmd: Record<string, unknown>) =>
      socket.emitWithAck('command', { id: randomUUID(), sessionId: session.id, ...cmd } as never);

    for (const name of PROTO_NAMES) {
      // As a participant id at join …
      const join = await server.api('POST', '/api/join', {
        body: { joinCode: session.joinCode, participantId: name },
      });
      expect(join.status, `join as ${name}`).toBe(400);
      // … as a question, hand and vote target over the socket …
      const submit = await send({ type: 'question.submit', questionId: name, text: 'Câu hỏi' });
      expect(submit, `submit ${name}`).toMatchObject({ ok: false, code: 'bad_request' });
      const vote = await send({ type: 'question.vote', questionId: name, value: true });
      expect(vote, `vote ${name}`).toMatchObject({ ok: false, code: 'bad_request' });
      const hand = await send({ type: 'hand.raise', handId: name });
      expect(hand, `hand ${name}`).toMatchObject({ ok: false, code: 'bad_request' });
      // … as the command id itself, and on a paper form entered by staff.
      const paper = await server.command(server.adminToken, {
        type: 'paper_form.enter',
        sessionId: session.id,
        participantId: name,
        answers: { procedures: 4 },
      });
      expect(paper, `paper ${name}`).toMatchObject({ ok: false, code: 'bad_request' });
      const idAsName = await socket.emitWithAck('command', {
        id: name,
        sessionId: session.id,
        type: 'question.submit',
        questionId: randomUUID(),
        text: 'Câu hỏi',
      } as never);
      expect(idAsName, `command id ${name}`).toMatchObject({ ok: false, code: 'bad_request' });
      // REST paths that take an id.
      const written = await server.api(
        'POST',
        `/api/sessions/${session.id}/questions/${name}/written-answer`,
        {
          token: server.adminToken,
          body: { text: 'Trả lời' },
        },
      );
      expect(written.status, `written answer to ${name}`).toBe(400);
    }

    const state = await server.api<{
      participants: Record<string, unknown>;
      questions: Record<string, unknown>;
    }>('GET', `/api/sessions/${session.id}/state`, { token: server.adminToken });
    expect(state.status).toBe(200);
    expect(Object.keys(state.body.participants)).toEqual([phone.participantId]);
    expect(Object.keys(state.body.questions)).toEqual([]);

    await expectReadable(server, session.id);
    await restart();
    await expectReadable(server, session.id);
  });

  it('written into a log before they were refused, still load: state, audit log, exports, a restart', async () => {
    const session = await server.createSession({ moderation: 'open' });
    await server.setStatus(session.id, 'live');
    const at = Date.now();
    const ghost = (id: string) => ({ role: 'attendee' as const, id });
    const chair = { role: 'chair' as const, id: 'u-chair', name: 'Chủ tịch' };
    // What the earlier core wrote when such ids reached it (each line: the command that caused it).
    const old = [
      // question.submit by a token whose participant id was "constructor": the author was Object itself.
      {
        type: 'question.submitted',
        at,
        actor: ghost('constructor'),
        question: {
          id: 'q-ghost',
          authorId: 'constructor',
          authorName: 'Object',
          anonymous: false,
          text: 'Câu hỏi của bóng ma',
          source: 'phone',
          status: 'published',
          preMeeting: false,
          createdAt: at,
          updatedAt: at,
          votes: 0,
          voters: [],
        },
      },
      // question.vote by "toString", a participant that never joined.
      {
        type: 'question.voted',
        at,
        actor: ghost('toString'),
        questionId: 'q-ghost',
        participantId: 'toString',
        value: true,
        votes: 1,
      },
      // question.hide / question.assign / question.note of question "toString": a question without id or text.
      {
        type: 'question.hidden',
        at,
        actor: chair,
        question: { status: 'hidden', hiddenReason: 'x', updatedAt: at },
      },
      {
        type: 'question.assigned',
        at,
        actor: chair,
        question: { assignedFieldId: 'dia-chinh', updatedAt: at },
      },
      { type: 'question.noted', at, actor: chair, question: { staffNote: 'ghi chú' } },
      // question.vote of question "constructor" after the above: a vote on Object.
      { type: 'question.voted', at, actor: ghost('valueOf'), questionId: 'constructor', votes: 1 },
      // participant.update by "valueOf": a participant without id.
      { type: 'participant.updated', at, actor: ghost('valueOf'), participant: {} },
      // survey.submit by "__proto__" (the count did not move: Object.prototype looked like an earlier form).
      {
        type: 'survey.submitted',
        at,
        actor: ghost('__proto__'),
        response: { participantId: '__proto__', answers: { procedures: 3 }, source: 'phone', at },
        surveyCount: 0,
      },
    ];
    const sessions = server.app.ctx.sessions;
    const ack = await sessions.appendSystem(session.id, randomUUID(), old as unknown as NewDomainEvent[]);
    expect(ack.ok).toBe(true);

    const check = async (s: TestServer) => {
      const state = await expectReadable(s, session.id);
      expect(Object.keys(state.questions)).toEqual(['q-ghost']);
    };
    await check(server);
    const live = (await sessions.state(session.id)) as SessionState;
    // A snapshot written by the earlier core (records under "undefined", a survey under "__proto__"), and a restart.
    const stored = JSON.parse(JSON.stringify(live)) as SessionState;
    (stored.questions as Record<string, unknown>).undefined = { status: 'hidden', updatedAt: at };
    (stored.participants as Record<string, unknown>).undefined = {};
    await server.app.ctx.store.events.saveSnapshot(session.id, { seq: live.seq, state: stored });
    await restart();
    await check(server);
  });
});

describe('a closed session', () => {
  it('refuses a phone’s withdraw and change of details, and still takes the written answer', async () => {
    const session = await server.createSession({ moderation: 'open' });
    await server.setStatus(session.id, 'live');
    const phone = await server.join(session.joinCode, { name: 'Trần Thị B' });
    const socket = await server.connect(phone.token);
    const send = (cmd: Record<string, unknown>) =>
      socket.emitWithAck('command', { id: randomUUID(), sessionId: session.id, ...cmd } as never);
    const open = randomUUID();
    const writing = randomUUID();
    expect(await send({ type: 'question.submit', questionId: open, text: 'Chưa trả lời' })).toMatchObject({
      ok: true,
    });
    expect(await send({ type: 'question.submit', questionId: writing, text: 'Trả lời sau' })).toMatchObject({
      ok: true,
    });
    const chair = await server.staffToken('chair', { name: 'Chủ tịch' });
    expect(
      await server.command(chair, {
        type: 'question.answer',
        sessionId: session.id,
        questionId: writing,
        mode: 'writing',
        dueDate: '2030-07-01',
      }),
    ).toMatchObject({ ok: true });
    await server.setStatus(session.id, 'closed');

    expect(await send({ type: 'question.withdraw', questionId: open })).toMatchObject({
      ok: false,
      code: 'session_closed',
    });
    expect(await send({ type: 'participant.update', name: 'Tên khác' })).toMatchObject({
      ok: false,
      code: 'session_closed',
    });
    const state = await server.api<SessionState>('GET', `/api/sessions/${session.id}/state`, {
      token: server.adminToken,
    });
    expect(state.body.questions[open]?.status).toBe('published');
    expect(state.body.participants[phone.participantId]?.name).toBe('Trần Thị B');
    // The office's work after the meeting goes on.
    const written = await server.api(
      'POST',
      `/api/sessions/${session.id}/questions/${writing}/written-answer`,
      {
        token: server.adminToken,
        body: { text: 'Văn bản trả lời' },
      },
    );
    expect(written.status).toBe(200);
  });
});

describe('carry-over', () => {
  it('keeps questions never approved unapproved in the next session', async () => {
    const first = await server.createSession({ moderation: 'review' });
    await server.setStatus(first.id, 'live');
    const phone = await server.join(first.joinCode);
    const socket = await server.connect(phone.token);
    const pending = randomUUID();
    const approved = randomUUID();
    for (const [questionId, text] of [
      [pending, 'Chưa được duyệt'],
      [approved, 'Đã được duyệt'],
    ] as const)
      expect(
        await socket.emitWithAck('command', {
          id: randomUUID(),
          sessionId: first.id,
          type: 'question.submit',
          questionId,
          text,
        } as never),
      ).toMatchObject({ ok: true });
    const chair = await server.staffToken('chair');
    expect(
      await server.command(chair, { type: 'question.approve', sessionId: first.id, questionIds: [approved] }),
    ).toMatchObject({ ok: true });
    await server.setStatus(first.id, 'closed');

    const next = await server.createSession({ title: 'Hội nghị đối thoại lần 2', carryOverFrom: first.id });
    const state = await server.api<SessionState>('GET', `/api/sessions/${next.id}/state`, {
      token: server.adminToken,
    });
    const carried = Object.values(state.body.questions);
    expect(carried.find((q) => q.carriedFrom?.questionId === pending)?.status).toBe('pending');
    expect(carried.find((q) => q.carriedFrom?.questionId === approved)?.status).toBe('published');
    // A phone of the next session sees the approved one, not the text of the other.
    await server.setStatus(next.id, 'live');
    const other = await server.join(next.joinCode);
    const { reply } = await subscribe(await server.connect(other.token), next.id);
    const seen = JSON.stringify(reply);
    expect(seen).toContain('Đã được duyệt');
    expect(seen).not.toContain('Chưa được duyệt');
  });
});

describe('dates', () => {
  it('are calendar dates in REST bodies, commands and due dates', async () => {
    const bad = await server.api('POST', '/api/sessions', {
      token: server.adminToken,
      body: { title: 'Đối thoại', date: '2030-02-30', venue: 'Hội trường' },
    });
    expect(bad.status).toBe(400);
    const session = await server.createSession({ moderation: 'open' });
    expect(
      await server.command(server.adminToken, {
        type: 'session.update',
        sessionId: session.id,
        date: '2024-99-99',
      }),
    ).toMatchObject({ ok: false, code: 'bad_request' });
    await server.setStatus(session.id, 'live');
    const phone = await server.join(session.joinCode);
    const questionId = randomUUID();
    expect(
      await server.command(phone.token, {
        type: 'question.submit',
        sessionId: session.id,
        questionId,
        text: 'Hỏi',
      }),
    ).toMatchObject({ ok: true });
    const chair = await server.staffToken('chair');
    const answer = (dueDate: string) =>
      server.command(chair, {
        type: 'question.answer',
        sessionId: session.id,
        questionId,
        mode: 'writing',
        dueDate,
      });
    expect(await answer('2030-04-31')).toMatchObject({ ok: false, code: 'bad_request' });
    expect(await answer('2030-04-30')).toMatchObject({ ok: true });
  });
});

describe('who may answer', () => {
  it('an official answers and notes the questions of their field or assigned to them, not others', async () => {
    const session = await server.createSession({ moderation: 'open' });
    await server.setStatus(session.id, 'live');
    const phone = await server.join(session.joinCode);
    const land = randomUUID();
    const police = randomUUID();
    for (const [questionId, fieldId] of [
      [land, 'dia-chinh'],
      [police, 'cong-an'],
    ] as const)
      await server.command(phone.token, {
        type: 'question.submit',
        sessionId: session.id,
        questionId,
        text: 'Hỏi',
        fieldId,
      });
    const official = await server.staffToken('official', {
      fieldIds: ['dia-chinh'],
      name: 'Cán bộ Địa chính',
    });
    const note = (questionId: string) =>
      server.command(official, { type: 'question.note', sessionId: session.id, questionId, note: 'Ghi chú' });
    const answer = (questionId: string) =>
      server.command(official, {
        type: 'question.answer',
        sessionId: session.id,
        questionId,
        mode: 'writing',
        dueDate: '2030-07-01',
      });
    expect(await note(police)).toMatchObject({ ok: false, code: 'not_responsible' });
    expect(await answer(police)).toMatchObject({ ok: false, code: 'not_responsible' });
    expect(await note(land)).toMatchObject({ ok: true });
    expect(await answer(land)).toMatchObject({ ok: true });
    // The written answer over REST: the police's question is not theirs.
    const chair = await server.staffToken('chair');
    await server.command(chair, {
      type: 'question.answer',
      sessionId: session.id,
      questionId: police,
      mode: 'writing',
      dueDate: '2030-07-01',
    });
    const written = await server.api(
      'POST',
      `/api/sessions/${session.id}/questions/${police}/written-answer`,
      {
        token: official,
        body: { text: 'Văn bản' },
      },
    );
    expect(written.status).toBe(403);
    expect(written.body).toMatchObject({ code: 'not_responsible' });
  });
});
