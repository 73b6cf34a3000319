/**
 * decide(): every command's happy path and every guard, driven through a session the way the server drives it
 * (zod-parsed commands, events folded with their seqs). A refused command must change nothing (TestSession.fail
 * checks it), and the last test checks that every domain error code was reached by some test here.
 */
import { describe, expect, it } from 'vitest';
import { decide } from '../../../shared/domain/decide.ts';
import { ERROR_CODES } from '../../../shared/domain/errors.ts';
import { emptyState } from '../../../shared/domain/state.ts';
import {
  ADMIN,
  CHAIR,
  OFFICIAL,
  SCREEN,
  SECRETARY,
  TestSession,
  VICE_CHAIR,
  attendee,
  type Draft,
} from './fixtures.ts';

/** Every session of this file: the last test collects the error codes they returned. */
const sessions: TestSession[] = [];
const session = (options?: ConstructorParameters<typeof TestSession>[0]) => {
  const s = new TestSession(options);
  sessions.push(s);
  return s;
};

const submit = (questionId: string, text = `Câu hỏi ${questionId}`, extra: Partial<Draft> = {}): Draft =>
  ({ type: 'question.submit', questionId, text, ...extra }) as Draft;

describe('session set-up', () => {
  it('session.update changes the given settings only', () => {
    const s = session({ status: 'draft' });
    const [e] = s.ok(ADMIN, { type: 'session.update', title: '  Đối thoại quý II  ', defaultSpeechSec: 120 });
    expect(e).toMatchObject({
      type: 'session.updated',
      changes: { title: 'Đối thoại quý II', defaultSpeechSec: 120 },
    });
    expect(s.state.title).toBe('Đối thoại quý II');
    expect(s.state.venue).toBe('Hội trường');
  });

  it('session.update refuses duplicate criterion ids', () => {
    const s = session();
    const criteria = [
      { id: 'x', label: 'A' },
      { id: 'x', label: 'B' },
    ];
    expect(s.fail(ADMIN, { type: 'session.update', criteria }).code).toBe('bad_request');
  });

  it('session.set_status follows draft → collecting → live → closed and nothing else', () => {
    const s = session({ status: 'draft' });
    expect(s.fail(ADMIN, { type: 'session.set_status', status: 'closed' })).toMatchObject({
      code: 'invalid_transition',
      params: { from: 'draft', to: 'closed' },
    });
    expect(s.fail(ADMIN, { type: 'session.set_status', status: 'draft' }).code).toBe('invalid_transition');
    s.ok(ADMIN, { type: 'session.set_status', status: 'collecting' });
    expect(s.fail(CHAIR, { type: 'session.set_status', status: 'collecting' }).code).toBe(
      'invalid_transition',
    );
    const [e] = s.ok(CHAIR, { type: 'session.set_status', status: 'live' });
    expect(e).toMatchObject({ type: 'session.status_changed', status: 'live', from: 'collecting' });
    expect(s.fail(CHAIR, { type: 'session.set_status', status: 'collecting' }).code).toBe(
      'invalid_transition',
    );
    s.ok(CHAIR, { type: 'session.set_status', status: 'closed' });
    for (const status of ['draft', 'collecting', 'live', 'closed'] as const)
      expect(s.fail(ADMIN, { type: 'session.set_status', status }).code).toBe('invalid_transition');
    expect(s.state.status).toBe('closed');
  });

  it('a draft session may go live directly', () => {
    const s = session({ status: 'draft' });
    s.ok(ADMIN, { type: 'session.set_status', status: 'live' });
    expect(s.state.status).toBe('live');
  });

  it('closing the session ends the speech in progress first', () => {
    const s = session();
    const p = s.join('p1', { name: 'An' });
    s.ok(p, { type: 'hand.raise', handId: 'h1' });
    s.ok(CHAIR, { type: 'speaker.give_floor', handId: 'h1' });
    const events = s.ok(CHAIR, { type: 'session.set_status', status: 'closed' });
    expect(events.map((e) => e.type)).toEqual(['speaker.speech_ended', 'session.status_changed']);
    expect(s.state.floor).toBeUndefined();
    expect(s.state.speeches).toHaveLength(1);
  });

  it('session.set_join_code replaces the code', () => {
    const s = session();
    s.ok(ADMIN, { type: 'session.set_join_code', joinCode: 'NEW123' });
    expect(s.state.joinCode).toBe('NEW123');
  });

  it('agenda.set replaces the programme, refuses duplicate ids, and forgets a removed current item', () => {
    const s = session();
    s.ok(CHAIR, { type: 'agenda.start', itemId: 'a2' });
    expect(
      s.fail(SECRETARY, {
        type: 'agenda.set',
        items: [
          { id: 'x', title: 'A' },
          { id: 'x', title: 'B' },
        ],
      }).code,
    ).toBe('bad_request');
    s.ok(SECRETARY, { type: 'agenda.set', items: [{ id: 'b1', title: 'Khai mạc' }] });
    expect(s.state.agenda).toEqual([{ id: 'b1', title: 'Khai mạc' }]);
    expect(s.state.currentAgendaItemId).toBeUndefined();
  });

  it('agenda.start needs a live meeting and a known item; starting the current item again changes nothing', () => {
    const pre = session({ status: 'collecting' });
    expect(pre.fail(CHAIR, { type: 'agenda.start', itemId: 'a1' }).code).toBe('session_not_live');
    const closed = session({ status: 'closed' });
    expect(closed.fail(CHAIR, { type: 'agenda.start', itemId: 'a1' }).code).toBe('session_closed');
    const s = session();
    expect(s.fail(VICE_CHAIR, { type: 'agenda.start', itemId: 'nope' }).code).toBe('not_found');
    expect(s.ok(VICE_CHAIR, { type: 'agenda.start', itemId: 'a3' })).toHaveLength(1);
    expect(s.state.currentAgendaItemId).toBe('a3');
    expect(s.ok(SECRETARY, { type: 'agenda.start', itemId: 'a3' })).toHaveLength(0);
  });

  it('field.upsert adds and replaces (retire) a field', () => {
    const s = session();
    s.ok(ADMIN, { type: 'field.upsert', field: { id: 'moi', name: 'Lĩnh vực mới' } });
    expect(s.state.fields.at(-1)).toEqual({ id: 'moi', name: 'Lĩnh vực mới' });
    const count = s.state.fields.length;
    s.ok(ADMIN, { type: 'field.upsert', field: { id: 'moi', name: 'Lĩnh vực mới', retired: true } });
    expect(s.state.fields).toHaveLength(count);
    expect(s.state.fields.find((f) => f.id === 'moi')?.retired).toBe(true);
  });

  it('official.upsert needs known fields', () => {
    const s = session();
    const official = { id: 'o-new', name: 'Vũ Văn Hóa', title: 'Công chức', fieldIds: ['van-hoa'] };
    s.ok(ADMIN, { type: 'official.upsert', official });
    expect(s.state.officials.find((o) => o.id === 'o-new')).toEqual(official);
    expect(
      s.fail(ADMIN, { type: 'official.upsert', official: { ...official, fieldIds: ['nope'] } }),
    ).toMatchObject({ code: 'unknown_field', params: { fieldId: 'nope' } });
  });
});

describe('participants', () => {
  it('participant.join adds the participant and counts them', () => {
    const s = session({ status: 'collecting' });
    const [e] = s.ok(attendee('p1'), {
      type: 'participant.join',
      participantId: 'p1',
      name: 'Bà Hoa',
      group: 5,
    });
    expect(e).toMatchObject({ type: 'participant.joined', participantCount: 1 });
    expect(s.state.participants.p1).toMatchObject({
      id: 'p1',
      name: 'Bà Hoa',
      group: 5,
      kind: 'resident',
      source: 'phone',
    });
    s.join('p2');
    expect(s.state.participantCount).toBe(2);
  });

  it('participant.join: not in a draft session, only as oneself, once, within the groups', () => {
    const draft = session({ status: 'draft' });
    expect(draft.fail(attendee('p1'), { type: 'participant.join', participantId: 'p1' }).code).toBe(
      'session_not_open',
    );
    const s = session();
    expect(s.fail(attendee('p1'), { type: 'participant.join', participantId: 'p2' }).code).toBe('forbidden');
    s.join('p1');
    expect(s.fail(attendee('p1'), { type: 'participant.join', participantId: 'p1' }).code).toBe('duplicate');
    expect(
      s.fail(attendee('p3'), { type: 'participant.join', participantId: 'p3', group: 23 }),
    ).toMatchObject({
      code: 'bad_request',
      params: { groups: 22 },
    });
  });

  it('participant.update changes one’s own record; a null group clears it', () => {
    const s = session();
    const p = s.join('p1', { name: 'An', group: 3 });
    s.ok(p, { type: 'participant.update', organisation: 'Công ty A', kind: 'business' });
    expect(s.state.participants.p1).toMatchObject({
      name: 'An',
      group: 3,
      organisation: 'Công ty A',
      kind: 'business',
    });
    s.ok(p, { type: 'participant.update', group: null });
    expect(s.state.participants.p1?.group).toBeUndefined();
    expect(s.fail(p, { type: 'participant.update', group: 99 }).code).toBe('bad_request');
    expect(s.fail(attendee('stranger'), { type: 'participant.update', name: 'X' }).code).toBe('forbidden');
  });
});

describe('question lifecycle', () => {
  it('submit → approve → assign → answer live', () => {
    const s = session({ moderation: 'review' });
    const p = s.join('p1', { name: 'Ông Bình', group: 7 });
    const [submitted] = s.ok(p, submit('q1', 'Cấp sổ đỏ mất bao lâu?', { fieldId: 'dia-chinh' }));
    expect(submitted).toMatchObject({
      type: 'question.submitted',
      question: {
        id: 'q1',
        authorId: 'p1',
        authorName: 'Ông Bình',
        authorGroup: 7,
        anonymous: false,
        status: 'pending',
        preMeeting: false,
        votes: 0,
        voters: [],
        source: 'phone',
      },
    });
    s.ok(CHAIR, { type: 'question.approve', questionIds: ['q1'] });
    expect(s.question('q1').status).toBe('published');
    s.ok(SECRETARY, { type: 'question.assign', questionId: 'q1', fieldId: 'dia-chinh', officialId: 'o-dc' });
    expect(s.question('q1')).toMatchObject({ assignedFieldId: 'dia-chinh', assignedOfficialId: 'o-dc' });
    s.ok(OFFICIAL, { type: 'question.answer', questionId: 'q1', mode: 'live', note: 'Trả lời tại hội nghị' });
    expect(s.question('q1')).toMatchObject({
      status: 'answered',
      answer: {
        mode: 'live',
        note: 'Trả lời tại hội nghị',
        by: { role: 'official', id: 'u-official', name: 'Trần Địa Chính' },
      },
    });
  });

  it('answer in writing → written answer → reopen', () => {
    const s = session({ moderation: 'open' });
    const p = s.join('p1');
    s.ok(p, submit('q1'));
    expect(s.question('q1').status).toBe('published');
    expect(s.fail(CHAIR, { type: 'question.answer', questionId: 'q1', mode: 'writing' }).code).toBe(
      'due_date_required',
    );
    s.ok(CHAIR, { type: 'question.answer', questionId: 'q1', mode: 'writing', dueDate: '2030-07-01' });
    expect(s.question('q1').answer).toMatchObject({ mode: 'writing', dueDate: '2030-07-01', note: '' });
    s.ok(ADMIN, { type: 'question.answer_written', questionId: 'q1', text: 'Văn bản trả lời số 12' });
    expect(s.question('q1').answer?.written).toMatchObject({
      text: 'Văn bản trả lời số 12',
      by: { role: 'admin' },
    });
    s.ok(SECRETARY, { type: 'question.reopen', questionId: 'q1' });
    expect(s.question('q1').status).toBe('published');
    expect(s.question('q1').answer).toBeUndefined();
  });

  it('a live answer takes no due date; a written answer needs an answer awaiting it', () => {
    const s = session({ moderation: 'open' });
    const p = s.join('p1');
    s.ok(p, submit('q1'));
    expect(s.fail(ADMIN, { type: 'question.answer_written', questionId: 'q1', text: 'x' }).code).toBe(
      'invalid_state',
    );
    s.ok(CHAIR, { type: 'question.answer', questionId: 'q1', mode: 'live', dueDate: '2030-07-01' });
    expect(s.question('q1').answer?.dueDate).toBeUndefined();
    expect(s.fail(ADMIN, { type: 'question.answer_written', questionId: 'q1', text: 'x' }).code).toBe(
      'invalid_state',
    );
    expect(s.fail(ADMIN, { type: 'question.answer_written', questionId: 'nope', text: 'x' }).code).toBe(
      'not_found',
    );
  });

  it('two answers: the second gets already_answered with the first answerer’s name', () => {
    const s = session({ moderation: 'open' });
    const p = s.join('p1');
    s.ok(p, submit('q1'));
    s.ok(VICE_CHAIR, { type: 'question.answer', questionId: 'q1', mode: 'live' });
    const error = s.fail(CHAIR, { type: 'question.answer', questionId: 'q1', mode: 'live' });
    expect(error).toMatchObject({ code: 'already_answered', params: { by: 'Phó Chủ tịch Phạm Văn Phó' } });
    expect(s.question('q1').answer?.by.id).toBe('u-vice');
  });

  it('question.answer: not in a draft session, not for hidden/merged/withdrawn questions, unknown → not_found', () => {
    const s = session({ moderation: 'open' });
    const p = s.join('p1');
    s.ok(p, submit('q1'));
    s.ok(CHAIR, { type: 'question.hide', questionId: 'q1', reason: 'Không phù hợp' });
    expect(s.fail(CHAIR, { type: 'question.answer', questionId: 'q1', mode: 'live' })).toMatchObject({
      code: 'invalid_state',
      params: { status: 'hidden' },
    });
    expect(s.fail(CHAIR, { type: 'question.answer', questionId: 'nope', mode: 'live' })).toMatchObject({
      code: 'not_found',
      params: { questionId: 'nope' },
    });
    const draft = session({ status: 'draft' });
    expect(draft.fail(CHAIR, { type: 'question.answer', questionId: 'q1', mode: 'live' }).code).toBe(
      'session_not_open',
    );
  });

  it('answers in writing after the meeting is closed', () => {
    const s = session({ moderation: 'open' });
    const p = s.join('p1');
    s.ok(p, submit('q1', 'Đất đai', { fieldId: 'dia-chinh' }));
    s.ok(CHAIR, { type: 'session.set_status', status: 'closed' });
    s.ok(OFFICIAL, { type: 'question.answer', questionId: 'q1', mode: 'writing', dueDate: '2030-08-01' });
    s.ok(OFFICIAL, { type: 'question.answer_written', questionId: 'q1', text: 'Đã trả lời bằng văn bản' });
    expect(s.question('q1').answer?.written?.text).toBe('Đã trả lời bằng văn bản');
  });

  it('question.submit: an open session, a joined author, a live field, a fresh id', () => {
    const draft = session({ status: 'draft' });
    expect(draft.fail(attendee('p1'), submit('q1')).code).toBe('session_not_open');
    const closed = session({ status: 'live' });
    closed.join('p1');
    closed.ok(CHAIR, { type: 'session.set_status', status: 'closed' });
    expect(closed.fail(attendee('p1'), submit('q1')).code).toBe('session_closed');
    const s = session({ status: 'collecting' });
    expect(s.fail(attendee('ghost'), submit('q1')).code).toBe('forbidden');
    const p = s.join('p1');
    expect(s.fail(p, submit('q1', 'x', { fieldId: 'nope' }))).toMatchObject({
      code: 'unknown_field',
      params: { fieldId: 'nope' },
    });
    expect(s.fail(p, submit('q1', 'x', { fieldId: 'old-field' })).code).toBe('unknown_field');
    s.ok(p, submit('q1'));
    expect(s.question('q1').preMeeting).toBe(true);
    expect(s.fail(p, submit('q1')).code).toBe('duplicate');
  });

  it('a question under open moderation is published at once', () => {
    const s = session({ moderation: 'open' });
    const p = s.join('p1');
    s.ok(p, submit('q1'));
    expect(s.question('q1').status).toBe('published');
  });

  it('edit: the author only, until answered; under review it goes back to review', () => {
    const s = session({ moderation: 'review' });
    const p1 = s.join('p1');
    const p2 = s.join('p2');
    s.ok(p1, submit('q1', 'Câu cũ', { fieldId: 'tu-phap' }));
    s.ok(CHAIR, { type: 'question.approve', questionIds: ['q1'] });
    expect(s.fail(p2, { type: 'question.edit', questionId: 'q1', text: 'Sửa' }).code).toBe('not_author');
    s.ok(p1, { type: 'question.edit', questionId: 'q1', text: 'Câu mới', anonymous: true });
    expect(s.question('q1')).toMatchObject({
      text: 'Câu mới',
      anonymous: true,
      fieldId: 'tu-phap',
      status: 'pending',
    });
    s.ok(p1, { type: 'question.edit', questionId: 'q1', text: 'Câu mới hơn', fieldId: 'dia-chinh' });
    expect(s.question('q1')).toMatchObject({ anonymous: true, fieldId: 'dia-chinh' });
    expect(s.fail(p1, { type: 'question.edit', questionId: 'q1', text: 'x', fieldId: 'nope' }).code).toBe(
      'unknown_field',
    );
    expect(s.fail(p1, { type: 'question.edit', questionId: 'nope', text: 'x' }).code).toBe('not_found');
    s.ok(CHAIR, { type: 'question.answer', questionId: 'q1', mode: 'live' });
    expect(s.fail(p1, { type: 'question.edit', questionId: 'q1', text: 'Muộn' })).toMatchObject({
      code: 'already_answered',
      params: { by: 'Chủ tịch Nguyễn Văn Chủ' },
    });
    expect(s.question('q1').text).toBe('Câu mới hơn');
  });

  it('edit under open moderation keeps the question published', () => {
    const s = session({ moderation: 'open' });
    const p = s.join('p1');
    s.ok(p, submit('q1'));
    s.ok(p, { type: 'question.edit', questionId: 'q1', text: 'Sửa lại' });
    expect(s.question('q1')).toMatchObject({ status: 'published', text: 'Sửa lại' });
  });

  it('edit needs an open session and a question that is still pending or published', () => {
    const s = session({ moderation: 'open' });
    const p = s.join('p1');
    s.ok(p, submit('q1'));
    s.ok(p, submit('q2'));
    s.ok(p, { type: 'question.withdraw', questionId: 'q2' });
    expect(s.fail(p, { type: 'question.edit', questionId: 'q2', text: 'x' })).toMatchObject({
      code: 'invalid_state',
      params: { status: 'withdrawn' },
    });
    s.ok(CHAIR, { type: 'session.set_status', status: 'closed' });
    expect(s.fail(p, { type: 'question.edit', questionId: 'q1', text: 'x' }).code).toBe('session_closed');
  });

  it('withdraw: the author only, until answered', () => {
    const s = session({ moderation: 'open' });
    const p1 = s.join('p1');
    const p2 = s.join('p2');
    s.ok(p1, submit('q1'));
    s.ok(p1, submit('q2'));
    expect(s.fail(p2, { type: 'question.withdraw', questionId: 'q1' }).code).toBe('not_author');
    s.ok(p1, { type: 'question.withdraw', questionId: 'q1' });
    expect(s.question('q1').status).toBe('withdrawn');
    expect(s.fail(p1, { type: 'question.withdraw', questionId: 'q1' }).code).toBe('invalid_state');
    s.ok(CHAIR, { type: 'question.answer', questionId: 'q2', mode: 'live' });
    expect(s.fail(p1, { type: 'question.withdraw', questionId: 'q2' }).code).toBe('already_answered');
    expect(s.fail(p1, { type: 'question.withdraw', questionId: 'nope' }).code).toBe('not_found');
  });

  it('vote toggles, one per participant, and a repeated vote changes nothing', () => {
    const s = session({ moderation: 'open' });
    const [p1, p2] = [s.join('p1'), s.join('p2')];
    s.ok(p1, submit('q1'));
    const [v] = s.ok(p2, { type: 'question.vote', questionId: 'q1', value: true });
    expect(v).toMatchObject({
      type: 'question.voted',
      questionId: 'q1',
      votes: 1,
      participantId: 'p2',
      value: true,
    });
    expect(s.ok(p2, { type: 'question.vote', questionId: 'q1', value: true })).toHaveLength(0);
    s.ok(p1, { type: 'question.vote', questionId: 'q1', value: true });
    expect(s.question('q1')).toMatchObject({ votes: 2, voters: ['p2', 'p1'] });
    s.ok(p2, { type: 'question.vote', questionId: 'q1', value: false });
    expect(s.question('q1')).toMatchObject({ votes: 1, voters: ['p1'] });
    expect(s.ok(p2, { type: 'question.vote', questionId: 'q1', value: false })).toHaveLength(0);
  });

  it('vote: only published questions, only joined participants, only while open', () => {
    const s = session({ moderation: 'review' });
    const p = s.join('p1');
    s.ok(p, submit('q1'));
    expect(s.fail(p, { type: 'question.vote', questionId: 'q1', value: true })).toMatchObject({
      code: 'not_votable',
      params: { status: 'pending' },
    });
    expect(s.fail(p, { type: 'question.vote', questionId: 'nope', value: true }).code).toBe('not_found');
    s.ok(CHAIR, { type: 'question.approve', questionIds: ['q1'] });
    expect(s.fail(attendee('ghost'), { type: 'question.vote', questionId: 'q1', value: true }).code).toBe(
      'forbidden',
    );
    s.ok(CHAIR, { type: 'question.answer', questionId: 'q1', mode: 'live' });
    expect(s.fail(p, { type: 'question.vote', questionId: 'q1', value: true }).code).toBe('not_votable');
    s.ok(CHAIR, { type: 'session.set_status', status: 'closed' });
    expect(s.fail(p, { type: 'question.vote', questionId: 'q1', value: true }).code).toBe('session_closed');
  });

  it('approve publishes pending questions in bulk and ignores the others; nothing pending → invalid_state', () => {
    const s = session({ moderation: 'review' });
    const p = s.join('p1');
    s.ok(p, submit('q1'));
    s.ok(p, submit('q2'));
    s.ok(p, submit('q3'));
    s.ok(SECRETARY, { type: 'question.approve', questionIds: ['q1'] });
    const [e] = s.ok(ADMIN, { type: 'question.approve', questionIds: ['q1', 'q2', 'q2', 'q3'] });
    expect(e?.type === 'question.approved' && e.questions.map((q) => q.id)).toEqual(['q2', 'q3']);
    expect(s.fail(CHAIR, { type: 'question.approve', questionIds: ['q1', 'q2'] }).code).toBe('invalid_state');
    expect(s.fail(CHAIR, { type: 'question.approve', questionIds: ['q1', 'nope'] }).code).toBe('not_found');
  });

  it('hide: with a reason, not twice; reopen brings a hidden question back', () => {
    const s = session({ moderation: 'open' });
    const p = s.join('p1');
    s.ok(p, submit('q1', 'Câu hỏi q1', { fieldId: 'dia-chinh' }));
    s.ok(CHAIR, { type: 'question.highlight', questionId: 'q1' });
    s.ok(VICE_CHAIR, { type: 'question.hide', questionId: 'q1', reason: 'Trùng nội dung' });
    expect(s.question('q1')).toMatchObject({ status: 'hidden', hiddenReason: 'Trùng nội dung' });
    expect(s.state.highlightedQuestionId).toBeUndefined();
    expect(s.fail(CHAIR, { type: 'question.hide', questionId: 'q1', reason: 'x' }).code).toBe(
      'invalid_state',
    );
    expect(s.fail(CHAIR, { type: 'question.hide', questionId: 'nope', reason: 'x' }).code).toBe('not_found');
    s.ok(OFFICIAL, { type: 'question.reopen', questionId: 'q1' });
    expect(s.question('q1').status).toBe('published');
    expect(s.question('q1').hiddenReason).toBeUndefined();
    expect(s.fail(CHAIR, { type: 'question.reopen', questionId: 'q1' })).toMatchObject({
      code: 'invalid_state',
      params: { status: 'published' },
    });
    expect(s.fail(CHAIR, { type: 'question.reopen', questionId: 'nope' }).code).toBe('not_found');
  });

  it('merge carries the votes over as the union of the voters', () => {
    const s = session({ moderation: 'open' });
    const [p1, p2, p3] = [s.join('p1'), s.join('p2'), s.join('p3')];
    s.ok(p1, submit('q1'));
    s.ok(p2, submit('q2'));
    s.ok(p1, { type: 'question.vote', questionId: 'q1', value: true });
    s.ok(p2, { type: 'question.vote', questionId: 'q1', value: true });
    s.ok(p2, { type: 'question.vote', questionId: 'q2', value: true });
    s.ok(p3, { type: 'question.vote', questionId: 'q2', value: true });
    s.ok(CHAIR, { type: 'question.highlight', questionId: 'q2' });
    const [e] = s.ok(SECRETARY, { type: 'question.merge', questionId: 'q2', intoId: 'q1' });
    expect(e?.type).toBe('question.merged');
    expect(s.question('q2')).toMatchObject({ status: 'merged', mergedInto: 'q1' });
    expect(s.question('q1').votes).toBe(3);
    expect([...(s.question('q1').voters ?? [])].sort()).toEqual(['p1', 'p2', 'p3']);
    expect(s.state.highlightedQuestionId).toBeUndefined();
    // A voter of both counts once, and may still take their vote back from the merged question.
    s.ok(p3, { type: 'question.vote', questionId: 'q1', value: false });
    expect(s.question('q1')).toMatchObject({ votes: 2 });
  });

  it('merge: not into itself, only open duplicates, only into a showable or pending question', () => {
    const s = session({ moderation: 'open' });
    const p = s.join('p1');
    for (const id of ['q1', 'q2', 'q3', 'q4']) s.ok(p, submit(id));
    expect(s.fail(CHAIR, { type: 'question.merge', questionId: 'q1', intoId: 'q1' }).code).toBe(
      'bad_request',
    );
    expect(s.fail(CHAIR, { type: 'question.merge', questionId: 'nope', intoId: 'q1' }).code).toBe(
      'not_found',
    );
    expect(s.fail(CHAIR, { type: 'question.merge', questionId: 'q1', intoId: 'nope' }).code).toBe(
      'not_found',
    );
    s.ok(CHAIR, { type: 'question.hide', questionId: 'q3', reason: 'x' });
    expect(s.fail(CHAIR, { type: 'question.merge', questionId: 'q1', intoId: 'q3' })).toMatchObject({
      code: 'invalid_state',
      params: { status: 'hidden' },
    });
    expect(s.fail(CHAIR, { type: 'question.merge', questionId: 'q3', intoId: 'q1' }).code).toBe(
      'invalid_state',
    );
    s.ok(CHAIR, { type: 'question.answer', questionId: 'q4', mode: 'live' });
    expect(s.fail(CHAIR, { type: 'question.merge', questionId: 'q4', intoId: 'q1' }).code).toBe(
      'invalid_state',
    );
    // Into an answered question is fine: the duplicate is answered by the same answer.
    s.ok(CHAIR, { type: 'question.merge', questionId: 'q1', intoId: 'q4' });
  });

  it('assign: known field and official; null clears; omitted keeps', () => {
    const s = session({ moderation: 'open' });
    const p = s.join('p1');
    s.ok(p, submit('q1'));
    expect(s.fail(CHAIR, { type: 'question.assign', questionId: 'q1', fieldId: 'nope' }).code).toBe(
      'unknown_field',
    );
    expect(s.fail(CHAIR, { type: 'question.assign', questionId: 'q1', officialId: 'nope' })).toMatchObject({
      code: 'unknown_official',
      params: { officialId: 'nope' },
    });
    expect(s.fail(CHAIR, { type: 'question.assign', questionId: 'nope', fieldId: 'tu-phap' }).code).toBe(
      'not_found',
    );
    s.ok(CHAIR, { type: 'question.assign', questionId: 'q1', fieldId: 'tu-phap', officialId: 'o-tp' });
    s.ok(CHAIR, { type: 'question.assign', questionId: 'q1', officialId: null });
    expect(s.question('q1').assignedFieldId).toBe('tu-phap');
    expect(s.question('q1').assignedOfficialId).toBeUndefined();
    s.ok(p, { type: 'question.withdraw', questionId: 'q1' });
    expect(s.fail(CHAIR, { type: 'question.assign', questionId: 'q1', fieldId: 'tu-phap' }).code).toBe(
      'invalid_state',
    );
  });

  it('highlight: only a showable question; the same again changes nothing; null clears', () => {
    const s = session({ moderation: 'review' });
    const p = s.join('p1');
    s.ok(p, submit('q1'));
    expect(s.fail(CHAIR, { type: 'question.highlight', questionId: 'q1' }).code).toBe('invalid_state');
    expect(s.fail(CHAIR, { type: 'question.highlight', questionId: 'nope' }).code).toBe('not_found');
    s.ok(CHAIR, { type: 'question.approve', questionIds: ['q1'] });
    s.ok(CHAIR, { type: 'question.highlight', questionId: 'q1' });
    expect(s.state.highlightedQuestionId).toBe('q1');
    expect(s.ok(SECRETARY, { type: 'question.highlight', questionId: 'q1' })).toHaveLength(0);
    s.ok(SECRETARY, { type: 'question.highlight', questionId: null });
    expect(s.state.highlightedQuestionId).toBeUndefined();
    expect(s.ok(SECRETARY, { type: 'question.highlight', questionId: null })).toHaveLength(0);
  });

  it('an edit sending a highlighted question back to review takes it off the screen', () => {
    const s = session({ moderation: 'review' });
    const p = s.join('p1');
    s.ok(p, submit('q1'));
    s.ok(CHAIR, { type: 'question.approve', questionIds: ['q1'] });
    s.ok(CHAIR, { type: 'question.highlight', questionId: 'q1' });
    s.ok(p, { type: 'question.edit', questionId: 'q1', text: 'Sửa' });
    expect(s.state.highlightedQuestionId).toBeUndefined();
  });

  it('note: staff notes are set and cleared', () => {
    const s = session({ moderation: 'open' });
    const p = s.join('p1');
    s.ok(p, submit('q1', 'Câu hỏi q1', { fieldId: 'dia-chinh' }));
    s.ok(OFFICIAL, { type: 'question.note', questionId: 'q1', note: 'Hồ sơ số 45' });
    expect(s.question('q1').staffNote).toBe('Hồ sơ số 45');
    s.ok(SECRETARY, { type: 'question.note', questionId: 'q1', note: '' });
    expect(s.question('q1').staffNote).toBeUndefined();
    expect(s.fail(ADMIN, { type: 'question.note', questionId: 'nope', note: 'x' }).code).toBe('not_found');
  });
});

describe('speaker queue', () => {
  it('raise, duplicate raise → hand_already_raised, lower', () => {
    const s = session();
    const p = s.join('p1', { name: 'Chị Mai', group: 4 });
    const [e] = s.ok(p, { type: 'hand.raise', handId: 'h1', topic: 'Đèn đường', fieldId: 'do-thi' });
    expect(e).toMatchObject({
      type: 'hand.raised',
      index: 0,
      hand: {
        id: 'h1',
        participantId: 'p1',
        name: 'Chị Mai',
        group: 4,
        topic: 'Đèn đường',
        fieldId: 'do-thi',
        firstTime: true,
      },
    });
    expect(s.fail(p, { type: 'hand.raise', handId: 'h2' }).code).toBe('hand_already_raised');
    const p2 = s.join('p2');
    expect(s.fail(p2, { type: 'hand.raise', handId: 'h1' }).code).toBe('duplicate');
    expect(s.fail(p2, { type: 'hand.lower', handId: 'h1' }).code).toBe('not_author');
    s.ok(p, { type: 'hand.lower', handId: 'h1' });
    expect(s.state.queue).toEqual([]);
    expect(s.fail(p, { type: 'hand.lower', handId: 'h1' }).code).toBe('not_found');
    s.ok(p, { type: 'hand.raise', handId: 'h2' });
    expect(s.state.queue.map((h) => h.id)).toEqual(['h2']);
  });

  it('raise: only live, only joined, only a live field; not while one has the floor', () => {
    const pre = session({ status: 'collecting' });
    const early = pre.join('p1');
    expect(pre.fail(early, { type: 'hand.raise', handId: 'h1' }).code).toBe('session_not_live');
    const s = session();
    expect(s.fail(attendee('ghost'), { type: 'hand.raise', handId: 'h1' }).code).toBe('forbidden');
    const p = s.join('p1');
    expect(s.fail(p, { type: 'hand.raise', handId: 'h1', fieldId: 'nope' }).code).toBe('unknown_field');
    s.ok(p, { type: 'hand.raise', handId: 'h1' });
    s.ok(CHAIR, { type: 'speaker.give_floor', handId: 'h1' });
    expect(s.fail(p, { type: 'hand.raise', handId: 'h2' }).code).toBe('hand_already_raised');
    const p2 = s.join('p2');
    expect(s.fail(p2, { type: 'hand.raise', handId: 'h1' }).code).toBe('duplicate');
  });

  it('give floor takes the hand off the queue and ends the previous speech', () => {
    const s = session();
    const [p1, p2] = [s.join('p1', { name: 'An' }), s.join('p2', { name: 'Bình' })];
    s.ok(p1, { type: 'hand.raise', handId: 'h1', topic: 'Rác thải' });
    s.ok(p2, { type: 'hand.raise', handId: 'h2' });
    const [given] = s.ok(CHAIR, { type: 'speaker.give_floor', handId: 'h1', durationSec: 120 });
    expect(given).toMatchObject({
      type: 'speaker.floor_given',
      floor: { id: 'h1', name: 'An', startedAt: s.now, durationSec: 120 },
    });
    expect(s.state.queue.map((h) => h.id)).toEqual(['h2']);
    expect(s.state.spoke).toEqual(['p1']);
    const started = s.now;
    const events = s.ok(SECRETARY, { type: 'speaker.give_floor', handId: 'h2' });
    expect(events.map((e) => e.type)).toEqual(['speaker.speech_ended', 'speaker.floor_given']);
    expect(s.state.speeches).toEqual([
      { handId: 'h1', name: 'An', topic: 'Rác thải', startedAt: started, endedAt: s.now },
    ]);
    expect(s.state.floor).toMatchObject({ id: 'h2', durationSec: 180 });
    expect(s.fail(CHAIR, { type: 'speaker.give_floor', handId: 'h1' }).code).toBe('not_found');
  });

  it('give floor needs a live meeting', () => {
    const s = session();
    const p = s.join('p1');
    s.ok(p, { type: 'hand.raise', handId: 'h1' });
    s.ok(CHAIR, { type: 'session.set_status', status: 'closed' });
    expect(s.fail(CHAIR, { type: 'speaker.give_floor', handId: 'h1' }).code).toBe('session_closed');
  });

  it('speaker.end and speaker.set_time need someone on the floor', () => {
    const s = session();
    expect(s.fail(CHAIR, { type: 'speaker.end' }).code).toBe('no_floor');
    expect(s.fail(CHAIR, { type: 'speaker.set_time', durationSec: 60 }).code).toBe('no_floor');
    const p = s.join('p1');
    s.ok(p, { type: 'hand.raise', handId: 'h1' });
    s.ok(CHAIR, { type: 'speaker.give_floor', handId: 'h1' });
    s.ok(VICE_CHAIR, { type: 'speaker.set_time', durationSec: 300 });
    expect(s.state.floor?.durationSec).toBe(300);
    s.ok(SECRETARY, { type: 'speaker.end' });
    expect(s.state.floor).toBeUndefined();
    expect(s.state.speeches).toHaveLength(1);
  });

  it('first-time speakers first: new hands of first-timers go after the last first-timer', () => {
    const s = session();
    const [p1, p2, p3, p4] = ['p1', 'p2', 'p3', 'p4'].map((id) => s.join(id));
    if (!p1 || !p2 || !p3 || !p4) throw new Error('join');
    // p1 and p2 speak once, then raise again (no longer first-time).
    for (const [p, h] of [
      [p1, 'a1'],
      [p2, 'a2'],
    ] as const) {
      s.ok(p, { type: 'hand.raise', handId: h });
      s.ok(CHAIR, { type: 'speaker.give_floor', handId: h });
      s.ok(CHAIR, { type: 'speaker.end' });
    }
    s.ok(p1, { type: 'hand.raise', handId: 'b1' });
    s.ok(p3, { type: 'hand.raise', handId: 'b3' });
    s.ok(p2, { type: 'hand.raise', handId: 'b2' });
    expect(s.state.queue.map((h) => [h.id, h.firstTime])).toEqual([
      ['b1', false],
      ['b3', true],
      ['b2', false],
    ]);
    const [reordered] = s.ok(CHAIR, { type: 'queue.set_first_time_first', enabled: true });
    expect(reordered).toMatchObject({
      type: 'queue.reordered',
      firstTimeFirst: true,
      order: ['b3', 'b1', 'b2'],
    });
    expect(s.state.queue.map((h) => h.id)).toEqual(['b3', 'b1', 'b2']);
    // A new first-timer goes after b3, before the second-timers; a staff-added hand counts as a first-timer.
    s.ok(p4, { type: 'hand.raise', handId: 'b4' });
    s.ok(SECRETARY, { type: 'hand.add', handId: 'x1', name: 'Đại biểu Hùng', group: 2 });
    expect(s.state.queue.map((h) => h.id)).toEqual(['b3', 'b4', 'x1', 'b1', 'b2']);
    s.ok(CHAIR, { type: 'queue.set_first_time_first', enabled: false });
    expect(s.state.firstTimeFirst).toBe(false);
    expect(s.state.queue.map((h) => h.id)).toEqual(['b3', 'b4', 'x1', 'b1', 'b2']);
  });

  it('hand.add, hand.remove, hand.move (clamped to the end; the same place changes nothing)', () => {
    const s = session();
    s.ok(SECRETARY, { type: 'hand.add', handId: 'x1', name: 'Ông Một' });
    s.ok(SECRETARY, { type: 'hand.add', handId: 'x2', name: 'Bà Hai', topic: 'Điện', fieldId: 'do-thi' });
    s.ok(SECRETARY, { type: 'hand.add', handId: 'x3', name: 'Ông Ba' });
    expect(s.fail(SECRETARY, { type: 'hand.add', handId: 'x1', name: 'Lại' }).code).toBe('duplicate');
    expect(s.fail(SECRETARY, { type: 'hand.add', handId: 'x9', name: 'X', fieldId: 'nope' }).code).toBe(
      'unknown_field',
    );
    s.ok(CHAIR, { type: 'hand.move', handId: 'x1', toIndex: 99 });
    expect(s.state.queue.map((h) => h.id)).toEqual(['x2', 'x3', 'x1']);
    expect(s.ok(CHAIR, { type: 'hand.move', handId: 'x1', toIndex: 2 })).toHaveLength(0);
    s.ok(CHAIR, { type: 'hand.move', handId: 'x1', toIndex: 0 });
    expect(s.state.queue.map((h) => h.id)).toEqual(['x1', 'x2', 'x3']);
    expect(s.fail(CHAIR, { type: 'hand.move', handId: 'nope', toIndex: 0 }).code).toBe('not_found');
    s.ok(VICE_CHAIR, { type: 'hand.remove', handId: 'x2' });
    expect(s.state.queue.map((h) => h.id)).toEqual(['x1', 'x3']);
    expect(s.fail(VICE_CHAIR, { type: 'hand.remove', handId: 'x2' }).code).toBe('not_found');
  });

  it('hand.add needs a live meeting', () => {
    const s = session({ status: 'collecting' });
    expect(s.fail(SECRETARY, { type: 'hand.add', handId: 'x1', name: 'A' }).code).toBe('session_not_live');
  });

  it('hand.add refuses the id of the hand on the floor (a hand is never on the floor and in the queue)', () => {
    const s = session();
    s.ok(SECRETARY, { type: 'hand.add', handId: 'x1', name: 'Ông Một' });
    s.ok(CHAIR, { type: 'speaker.give_floor', handId: 'x1' });
    expect(s.fail(SECRETARY, { type: 'hand.add', handId: 'x1', name: 'Ông Một' }).code).toBe('duplicate');
    expect(s.state.queue).toEqual([]);
  });
});

describe('satisfaction survey', () => {
  it('one response per participant, editable; surveyCount counts participants', () => {
    const s = session({ status: 'collecting' });
    const [p1, p2] = [s.join('p1'), s.join('p2')];
    const [e] = s.ok(p1, { type: 'survey.submit', answers: { procedures: 4, result: 5 }, comment: 'Tốt' });
    expect(e).toMatchObject({
      type: 'survey.submitted',
      surveyCount: 1,
      response: { participantId: 'p1', source: 'phone' },
    });
    s.ok(p1, { type: 'survey.submit', answers: { procedures: 2 } });
    expect(s.state.surveyCount).toBe(1);
    expect(s.state.surveys.p1).toMatchObject({ answers: { procedures: 2 } });
    expect(s.state.surveys.p1?.comment).toBeUndefined();
    s.ok(p2, { type: 'survey.submit', answers: { official: 3 } });
    expect(s.state.surveyCount).toBe(2);
    expect(Object.keys(s.state.surveys)).toHaveLength(2);
  });

  it('survey: known criteria, at least one answer, joined, open session', () => {
    const s = session();
    const p = s.join('p1');
    expect(s.fail(p, { type: 'survey.submit', answers: { nope: 3 } })).toMatchObject({
      code: 'unknown_criterion',
      params: { criterionId: 'nope' },
    });
    expect(s.fail(p, { type: 'survey.submit', answers: {} }).code).toBe('bad_request');
    expect(s.fail(attendee('ghost'), { type: 'survey.submit', answers: { procedures: 3 } }).code).toBe(
      'forbidden',
    );
    s.ok(CHAIR, { type: 'session.set_status', status: 'closed' });
    expect(s.fail(p, { type: 'survey.submit', answers: { procedures: 3 } }).code).toBe('session_closed');
  });
});

describe('paper forms', () => {
  it('enters a participant, their questions and their scores in one command', () => {
    const s = session({ moderation: 'review', status: 'collecting' });
    const events = s.ok(ADMIN, {
      type: 'paper_form.enter',
      participantId: 'paper-1',
      name: 'Cụ Tư',
      group: 9,
      questions: [
        { questionId: 'pq1', text: 'Đường ngõ 5 bao giờ sửa?', fieldId: 'do-thi' },
        { questionId: 'pq2', text: 'Ai trả lời về hộ tịch?', anonymous: true },
      ],
      answers: { procedures: 3 },
      comment: 'Phiếu giấy',
    });
    expect(events.map((e) => e.type)).toEqual([
      'participant.joined',
      'question.submitted',
      'question.submitted',
      'survey.submitted',
    ]);
    expect(s.state.participants['paper-1']).toMatchObject({ source: 'paper', name: 'Cụ Tư', group: 9 });
    expect(s.question('pq1')).toMatchObject({
      source: 'paper',
      authorId: 'paper-1',
      status: 'pending',
      preMeeting: true,
    });
    expect(s.question('pq2').anonymous).toBe(true);
    expect(s.state.surveys['paper-1']).toMatchObject({
      source: 'paper',
      answers: { procedures: 3 },
      comment: 'Phiếu giấy',
    });
    expect(s.state.participantCount).toBe(1);
    expect(s.state.surveyCount).toBe(1);
  });

  it('paper forms: guards', () => {
    const draft = session({ status: 'draft' });
    const form = { type: 'paper_form.enter', participantId: 'paper-1', answers: { procedures: 3 } } as const;
    expect(draft.fail(SECRETARY, form).code).toBe('session_not_open');
    const s = session();
    expect(s.fail(SECRETARY, { type: 'paper_form.enter', participantId: 'paper-1' }).code).toBe(
      'bad_request',
    );
    expect(s.fail(SECRETARY, { ...form, group: 50 }).code).toBe('bad_request');
    expect(
      s.fail(SECRETARY, {
        type: 'paper_form.enter',
        participantId: 'paper-1',
        questions: [
          { questionId: 'x', text: 'a' },
          { questionId: 'x', text: 'b' },
        ],
      }).code,
    ).toBe('bad_request');
    expect(
      s.fail(SECRETARY, {
        type: 'paper_form.enter',
        participantId: 'paper-1',
        questions: [{ questionId: 'x', text: 'a', fieldId: 'nope' }],
      }).code,
    ).toBe('unknown_field');
    expect(s.fail(SECRETARY, { ...form, answers: { nope: 1 } }).code).toBe('unknown_criterion');
    const p = s.join('p1');
    s.ok(p, submit('q1'));
    expect(
      s.fail(SECRETARY, {
        type: 'paper_form.enter',
        participantId: 'paper-2',
        questions: [{ questionId: 'q1', text: 'a' }],
      }).code,
    ).toBe('duplicate');
    s.ok(SECRETARY, form);
    expect(s.fail(SECRETARY, form).code).toBe('duplicate');
    expect(s.fail(SECRETARY, { ...form, participantId: 'p1' }).code).toBe('duplicate');
  });

  it('a paper form may be entered after the meeting', () => {
    const s = session({ status: 'closed' });
    s.ok(SECRETARY, { type: 'paper_form.enter', participantId: 'paper-1', answers: { result: 5 } });
    expect(s.state.surveyCount).toBe(1);
  });
});

describe('who answered and who recorded it', () => {
  function meeting() {
    const s = session({ moderation: 'open' });
    const p = s.join('p1');
    s.ok(p, submit('q-land', 'Đất đai', { fieldId: 'dia-chinh' }));
    s.ok(p, submit('q-civil', 'Hộ tịch', { fieldId: 'tu-phap' }));
    s.ok(p, submit('q-none', 'Chung'));
    return s;
  }

  it('the chairman records the answer the assigned official gave: answerer is the assignee, by is the chairman', () => {
    const s = meeting();
    s.ok(CHAIR, { type: 'question.assign', questionId: 'q-civil', officialId: 'o-tp' });
    s.ok(CHAIR, { type: 'question.answer', questionId: 'q-civil', mode: 'live', note: 'Đã giải thích' });
    expect(s.question('q-civil').answer).toMatchObject({
      by: { role: 'chair', id: 'u-chair' },
      answerer: { officialId: 'o-tp', name: 'Lê Tư Pháp', title: 'Công chức Tư pháp' },
    });
    expect(
      s.fail(VICE_CHAIR, { type: 'question.answer', questionId: 'q-civil', mode: 'live' }),
    ).toMatchObject({
      code: 'already_answered',
      params: { by: 'Lê Tư Pháp' },
    });
  });

  it('another official of the field may be named instead of the assignee; an unknown or retired one is refused', () => {
    const s = meeting();
    s.ok(CHAIR, { type: 'question.assign', questionId: 'q-land', officialId: 'o-tp' });
    expect(
      s.fail(CHAIR, { type: 'question.answer', questionId: 'q-land', mode: 'live', answeredBy: 'o-nope' }),
    ).toMatchObject({ code: 'unknown_official', params: { officialId: 'o-nope' } });
    s.ok(ADMIN, {
      type: 'official.upsert',
      official: { id: 'o-old', name: 'Cũ', title: '', fieldIds: ['dia-chinh'], retired: true },
    });
    expect(
      s.fail(CHAIR, { type: 'question.answer', questionId: 'q-land', mode: 'live', answeredBy: 'o-old' })
        .code,
    ).toBe('unknown_official');
    s.ok(SECRETARY, { type: 'question.answer', questionId: 'q-land', mode: 'live', answeredBy: 'o-dc' });
    expect(s.question('q-land').answer).toMatchObject({
      by: { role: 'secretary' },
      answerer: { officialId: 'o-dc', name: 'Trần Địa Chính' },
    });
  });

  it('an official answering their own question is the answerer; a leader without an official record answered themself', () => {
    const s = meeting();
    s.ok(OFFICIAL, { type: 'question.answer', questionId: 'q-land', mode: 'live' });
    expect(s.question('q-land').answer).toMatchObject({
      by: { role: 'official', id: 'u-official' },
      answerer: { officialId: 'o-dc' },
    });
    s.ok(CHAIR, { type: 'question.answer', questionId: 'q-none', mode: 'live' });
    expect(s.question('q-none').answer?.answerer).toBeUndefined();
    expect(s.question('q-none').answer?.by.id).toBe('u-chair');
  });

  it('the secretary must name who answered when nobody is assigned', () => {
    const s = meeting();
    expect(s.fail(SECRETARY, { type: 'question.answer', questionId: 'q-none', mode: 'live' })).toMatchObject({
      code: 'answerer_required',
      params: { field: 'answeredBy' },
    });
  });

  it('an official acts only on questions of their fields or assigned to them', () => {
    const s = meeting();
    for (const draft of [
      { type: 'question.answer', questionId: 'q-civil', mode: 'live' },
      { type: 'question.answer', questionId: 'q-none', mode: 'live' },
      { type: 'question.note', questionId: 'q-civil', note: 'x' },
    ] as Draft[])
      expect(s.fail(OFFICIAL, draft)).toMatchObject({ code: 'not_responsible' });
    s.ok(CHAIR, { type: 'question.assign', questionId: 'q-civil', officialId: 'o-dc' });
    s.ok(OFFICIAL, { type: 'question.note', questionId: 'q-civil', note: 'Tôi trả lời' });
    s.ok(OFFICIAL, {
      type: 'question.answer',
      questionId: 'q-civil',
      mode: 'writing',
      dueDate: '2030-07-01',
    });
    s.ok(OFFICIAL, { type: 'question.answer_written', questionId: 'q-civil', text: 'Văn bản' });
    // Reassigned to another field, the land question is no longer the land official's.
    s.ok(CHAIR, { type: 'question.assign', questionId: 'q-land', fieldId: 'tu-phap' });
    expect(s.fail(OFFICIAL, { type: 'question.answer', questionId: 'q-land', mode: 'live' }).code).toBe(
      'not_responsible',
    );
  });
});

describe('a closed session', () => {
  function closed() {
    const s = session({ moderation: 'review' });
    const p = s.join('p1', { name: 'An' });
    s.ok(p, submit('q-open', 'Chưa trả lời', { fieldId: 'dia-chinh' }));
    s.ok(p, submit('q-live', 'Trả lời tại hội nghị'));
    s.ok(p, submit('q-writing', 'Trả lời bằng văn bản'));
    s.ok(p, submit('q-pending', 'Chưa duyệt'));
    s.ok(CHAIR, { type: 'question.approve', questionIds: ['q-open', 'q-live', 'q-writing'] });
    s.ok(CHAIR, { type: 'question.answer', questionId: 'q-live', mode: 'live' });
    s.ok(CHAIR, { type: 'question.answer', questionId: 'q-writing', mode: 'writing', dueDate: '2030-07-01' });
    s.ok(SECRETARY, { type: 'hand.add', handId: 'h1', name: 'Đại biểu' });
    s.ok(CHAIR, { type: 'session.set_status', status: 'closed' });
    return { s, p };
  }

  it('refuses what changes the record of the meeting (issue 12, finding 9)', () => {
    const { s, p } = closed();
    const refused: Array<[typeof p, Draft]> = [
      [p, { type: 'question.withdraw', questionId: 'q-open' }],
      [p, { type: 'participant.update', name: 'An mới' }],
      [p, { type: 'question.edit', questionId: 'q-open', text: 'x' }],
      [p, { type: 'hand.lower', handId: 'h1' }],
      [attendee('p2'), { type: 'participant.join', participantId: 'p2' }],
      [ADMIN, { type: 'session.update', venue: 'Nơi khác' }],
      [ADMIN, { type: 'agenda.set', items: [{ id: 'b1', title: 'Khác' }] }],
      [ADMIN, { type: 'field.upsert', field: { id: 'moi', name: 'Mới' } }],
      [ADMIN, { type: 'session.set_join_code', joinCode: 'ZZZZ99' }],
      [CHAIR, { type: 'hand.remove', handId: 'h1' }],
      [CHAIR, { type: 'question.highlight', questionId: 'q-live' }],
      [CHAIR, { type: 'question.answer', questionId: 'q-open', mode: 'live' }],
      [CHAIR, { type: 'question.hide', questionId: 'q-live', reason: 'x' }],
      [CHAIR, { type: 'question.reopen', questionId: 'q-live' }],
    ];
    for (const [actor, draft] of refused)
      expect(s.fail(actor, draft).code, draft.type).toBe('session_closed');
  });

  it('accepts the work after the meeting', () => {
    const { s, p } = closed();
    // A phone that joined before retries its join: still its identity.
    expect(s.fail(p, { type: 'participant.join', participantId: 'p1' }).code).toBe('duplicate');
    s.ok(CHAIR, { type: 'question.approve', questionIds: ['q-pending'] });
    s.ok(CHAIR, { type: 'question.assign', questionId: 'q-open', officialId: 'o-dc' });
    s.ok(CHAIR, { type: 'question.note', questionId: 'q-open', note: 'Chuyển Địa chính' });
    s.ok(OFFICIAL, { type: 'question.answer', questionId: 'q-open', mode: 'writing', dueDate: '2030-07-02' });
    // A promise not carried out yet may be redirected: reopened, then given another outcome.
    s.ok(CHAIR, { type: 'question.reopen', questionId: 'q-open' });
    s.ok(CHAIR, { type: 'question.answer', questionId: 'q-open', mode: 'writing', dueDate: '2030-07-03' });
    s.ok(ADMIN, { type: 'question.answer_written', questionId: 'q-writing', text: 'Văn bản' });
    expect(s.fail(CHAIR, { type: 'question.reopen', questionId: 'q-writing' }).code).toBe('session_closed');
    s.ok(SECRETARY, { type: 'question.hide', questionId: 'q-pending', reason: 'Trùng lặp' });
    s.ok(SECRETARY, { type: 'question.reopen', questionId: 'q-pending' });
    s.ok(SECRETARY, {
      type: 'paper_form.enter',
      participantId: 'paper-1',
      questions: [{ questionId: 'q-late', text: 'Phiếu nộp sau' }],
    });
    s.ok(SECRETARY, { type: 'question.merge', questionId: 'q-late', intoId: 'q-pending' });
  });
});

describe('dates', () => {
  it('are days of the calendar, not just YYYY-MM-DD', () => {
    const s = session();
    for (const date of ['2024-02-30', '2023-02-29', '2030-13-01', '2030-00-10', '2030-04-31', '0000-01-01'])
      expect(() => s.command({ type: 'session.update', date }), date).toThrow();
    s.ok(ADMIN, { type: 'session.update', date: '2024-02-29' });
    expect(() =>
      s.command({ type: 'question.answer', questionId: 'q', mode: 'writing', dueDate: '2024-99-99' }),
    ).toThrow();
  });
});

describe('minutes', () => {
  it('the chair approves the minutes once', () => {
    const s = session();
    const hash = 'a'.repeat(64);
    s.ok(CHAIR, { type: 'minutes.approve', hash });
    expect(s.state.minutesApproved).toMatchObject({ hash, by: { role: 'chair', id: 'u-chair' } });
    expect(s.fail(CHAIR, { type: 'minutes.approve', hash: 'b'.repeat(64) }).code).toBe('minutes_approved');
  });
});

describe('paper forms keep the procedure', () => {
  it('a correction keeps the procedure used ("thủ tục đã thực hiện"), as it is typed again', () => {
    const s = session();
    const form = { participantId: 'paper-1', name: 'Bà Hảo', answers: { procedures: 4 } };
    s.ok(ADMIN, { type: 'paper_form.enter', ...form, procedure: 'Đăng ký khai sinh' });
    expect(s.state.surveys['paper-1']?.procedure).toBe('Đăng ký khai sinh');
    s.ok(ADMIN, { type: 'paper_form.correct', ...form, procedure: 'Chứng thực bản sao' });
    expect(s.state.surveys['paper-1']?.procedure).toBe('Chứng thực bản sao');
  });
});

describe('report pages', () => {
  const page = (fileId: string, n: number) => ({
    id: `${fileId}-${n}`,
    fileId,
    name: `${fileId}.pdf`,
    mime: 'application/pdf' as const,
    page: n,
  });

  it('the office adds files, the panel turns their pages, a removed file takes its shown page off', () => {
    const s = session();
    s.ok(ADMIN, { type: 'report.add_pages', pages: [page('a', 1), page('a', 2)] });
    s.ok(ADMIN, { type: 'report.add_pages', pages: [page('b', 1)] });
    expect(s.state.reportPages?.map((p) => p.id)).toEqual(['a-1', 'a-2', 'b-1']);
    expect(s.fail(ADMIN, { type: 'report.add_pages', pages: [page('b', 1)] }).code).toBe('duplicate');
    expect(s.fail(CHAIR, { type: 'report.show_page', pageId: 'c-1' }).code).toBe('not_found');
    s.ok(CHAIR, { type: 'report.show_page', pageId: 'a-2' });
    expect(s.state.reportPageId).toBe('a-2');
    // Removing another file leaves the shown page; removing its own file goes back to the figures.
    s.ok(ADMIN, { type: 'report.remove_file', fileId: 'b' });
    expect(s.state.reportPageId).toBe('a-2');
    s.ok(ADMIN, { type: 'report.remove_file', fileId: 'a' });
    expect(s.state.reportPageId).toBeUndefined();
    expect(s.state.reportPages).toEqual([]);
    expect(s.fail(ADMIN, { type: 'report.remove_file', fileId: 'a' }).code).toBe('not_found');
    s.ok(ADMIN, { type: 'report.add_pages', pages: [page('c', 1)] });
    s.ok(CHAIR, { type: 'report.show_page', pageId: 'c-1' });
    s.ok(CHAIR, { type: 'report.show_page', pageId: null });
    expect(s.state.reportPageId).toBeUndefined();
  });

  it('holds at most LIMITS.reportPages pages', () => {
    const s = session();
    const many = Array.from({ length: 60 }, (_, i) => page('big', i + 1));
    s.ok(ADMIN, { type: 'report.add_pages', pages: many });
    expect(s.fail(ADMIN, { type: 'report.add_pages', pages: [page('one', 1)] })).toMatchObject({
      code: 'too_large',
      params: { max: 60 },
    });
  });
});

describe('who may', () => {
  it('a role outside the table gets forbidden before any other check', () => {
    const s = session({ status: 'draft' });
    expect(s.fail(SCREEN, { type: 'question.highlight', questionId: null }).code).toBe('forbidden');
    expect(s.fail(attendee('p1'), { type: 'session.set_status', status: 'live' }).code).toBe('forbidden');
  });
});

describe('outcomes as the plan names them (issue 13)', () => {
  function meeting() {
    const s = session({ moderation: 'open' });
    const p = s.join('p1', { name: 'An' });
    s.ok(p, submit('q-land', 'Đất đai', { fieldId: 'dia-chinh' }));
    s.ok(p, submit('q-civil', 'Hộ tịch', { fieldId: 'tu-phap' }));
    s.ok(p, submit('q-none', 'Chung'));
    s.ok(p, submit('q-more', 'Đất đai nữa', { fieldId: 'dia-chinh' }));
    return s;
  }

  it('a recommendation upward names the competent authority; without one it is authority_required', () => {
    const s = meeting();
    expect(s.fail(CHAIR, { type: 'question.answer', questionId: 'q-land', mode: 'upward' })).toMatchObject({
      code: 'authority_required',
      params: { field: 'authority' },
    });
    s.ok(SECRETARY, {
      type: 'question.answer',
      questionId: 'q-land',
      mode: 'upward',
      authority: ' UBND tỉnh Hà Nam ',
      answeredBy: 'o-dc',
      dueDate: '2030-07-01',
    });
    const a = s.question('q-land').answer;
    expect(a).toMatchObject({
      mode: 'upward',
      authority: 'UBND tỉnh Hà Nam',
      by: { role: 'secretary' },
      answerer: { officialId: 'o-dc' },
    });
    // Only the details of its own mode are kept.
    expect(a?.dueDate).toBeUndefined();
  });

  it('outside the remit keeps its reason; without one it is reason_required', () => {
    const s = meeting();
    expect(s.fail(CHAIR, { type: 'question.answer', questionId: 'q-none', mode: 'outside' })).toMatchObject({
      code: 'reason_required',
      params: { field: 'reason' },
    });
    s.ok(CHAIR, {
      type: 'question.answer',
      questionId: 'q-none',
      mode: 'outside',
      reason: 'Thuộc thẩm quyền của Tòa án',
    });
    expect(s.question('q-none').answer).toMatchObject({
      mode: 'outside',
      reason: 'Thuộc thẩm quyền của Tòa án',
      by: { role: 'chair' },
    });
  });

  it('after closing, upward and outside are still given (not live)', () => {
    const s = meeting();
    s.ok(ADMIN, { type: 'session.set_status', status: 'closed' });
    s.ok(CHAIR, {
      type: 'question.answer',
      questionId: 'q-land',
      mode: 'upward',
      authority: 'Bộ Tài nguyên và Môi trường',
    });
    expect(s.question('q-land').answer).toMatchObject({
      mode: 'upward',
      authority: 'Bộ Tài nguyên và Môi trường',
    });
    expect(s.fail(CHAIR, { type: 'question.answer', questionId: 'q-civil', mode: 'live' }).code).toBe(
      'session_closed',
    );
  });
});

describe('closing: one outcome for many opinions (issue 13, finding 8)', () => {
  function meeting() {
    const s = session({ moderation: 'review' });
    const p = s.join('p1', { name: 'An' });
    s.ok(p, submit('q-land', 'Đất đai', { fieldId: 'dia-chinh' }));
    s.ok(p, submit('q-land2', 'Đất đai 2', { fieldId: 'dia-chinh' }));
    s.ok(p, submit('q-civil', 'Hộ tịch', { fieldId: 'tu-phap' }));
    s.ok(p, submit('q-none', 'Chung'));
    s.ok(CHAIR, { type: 'question.approve', questionIds: ['q-land', 'q-civil', 'q-none'] });
    return s;
  }

  it('gives each open opinion the outcome, answerer = assignee, else the field official, recorder = the chairman', () => {
    const s = meeting();
    s.ok(CHAIR, { type: 'question.assign', questionId: 'q-land2', officialId: 'o-tp' });
    const events = s.ok(CHAIR, {
      type: 'question.answer_bulk',
      questionIds: ['q-land', 'q-land2', 'q-land'],
      mode: 'writing',
      dueDate: '2030-07-15',
    });
    expect(events.map((e) => e.type)).toEqual(['question.answered', 'question.answered']);
    expect(s.question('q-land').answer).toMatchObject({
      mode: 'writing',
      dueDate: '2030-07-15',
      by: { role: 'chair' },
      answerer: { officialId: 'o-dc' },
    });
    // Pending ones too: an opinion awaiting review is still an opinion without an outcome.
    expect(s.question('q-land2')).toMatchObject({
      status: 'answered',
      answer: { answerer: { officialId: 'o-tp' } },
    });
  });

  it('a named answerer for all; all or nothing when one is not open', () => {
    const s = meeting();
    s.ok(CHAIR, { type: 'question.answer', questionId: 'q-civil', mode: 'live' });
    expect(
      s.fail(CHAIR, {
        type: 'question.answer_bulk',
        questionIds: ['q-land', 'q-civil'],
        mode: 'upward',
        authority: 'UBND tỉnh',
      }),
    ).toMatchObject({ code: 'already_answered' });
    expect(s.question('q-land').status).toBe('published');
    expect(
      s.fail(CHAIR, {
        type: 'question.answer_bulk',
        questionIds: ['q-land', 'nope'],
        mode: 'outside',
        reason: 'x',
      }),
    ).toMatchObject({ code: 'not_found' });
    s.ok(VICE_CHAIR, {
      type: 'question.answer_bulk',
      questionIds: ['q-land', 'q-none'],
      mode: 'outside',
      reason: 'Thẩm quyền của tỉnh',
      answeredBy: 'o-tp',
    });
    expect(s.question('q-none').answer).toMatchObject({ mode: 'outside', answerer: { officialId: 'o-tp' } });
  });

  it('validates the outcome: a date, an authority, a reason; never live', () => {
    const s = meeting();
    const bulk = { type: 'question.answer_bulk' as const, questionIds: ['q-land'] };
    expect(s.fail(CHAIR, { ...bulk, mode: 'writing' }).code).toBe('due_date_required');
    expect(s.fail(CHAIR, { ...bulk, mode: 'upward' }).code).toBe('authority_required');
    expect(s.fail(CHAIR, { ...bulk, mode: 'outside' }).code).toBe('reason_required');
    expect(() => s.command({ ...bulk, mode: 'live' } as unknown as Draft)).toThrow();
    expect(s.fail(CHAIR, { ...bulk, mode: 'writing', dueDate: '2030-07-01', answeredBy: 'nope' }).code).toBe(
      'unknown_official',
    );
  });

  it('the office after closing: an opinion of no field and no assignee needs a named answerer', () => {
    const s = meeting();
    s.ok(ADMIN, { type: 'session.set_status', status: 'closed' });
    expect(
      s.fail(ADMIN, {
        type: 'question.answer_bulk',
        questionIds: ['q-land', 'q-none'],
        mode: 'writing',
        dueDate: '2030-07-01',
      }),
    ).toMatchObject({ code: 'answerer_required', params: { questionId: 'q-none' } });
    s.ok(ADMIN, {
      type: 'question.answer_bulk',
      questionIds: ['q-land'],
      mode: 'writing',
      dueDate: '2030-07-01',
    });
    expect(s.question('q-land').answer?.answerer?.officialId).toBe('o-dc');
  });
});

describe('spoken opinions (issue 13, finding 1)', () => {
  function spoke() {
    const s = session({ moderation: 'review' });
    s.ok(SECRETARY, {
      type: 'hand.add',
      handId: 'h-1',
      name: 'Nguyễn Thị Hoa',
      group: 9,
      fieldId: 'dia-chinh',
    });
    s.ok(CHAIR, { type: 'speaker.give_floor', handId: 'h-1' });
    s.ok(CHAIR, { type: 'speaker.end' });
    return s;
  }

  it('a finished speech becomes opinions: channel speech, the speaker as author, published, with field and assignee', () => {
    const s = spoke();
    const speech = s.state.speeches[0];
    s.ok(CHAIR, {
      type: 'speech.record_opinions',
      handId: 'h-1',
      opinions: [
        { questionId: 'q-s1', text: 'Cấp sổ đỏ chậm', fieldId: 'dia-chinh', officialId: 'o-dc' },
        { questionId: 'q-s2', text: 'Thái độ một cửa' },
      ],
    });
    expect(s.question('q-s1')).toMatchObject({
      source: 'speech',
      authorName: 'Nguyễn Thị Hoa',
      authorGroup: 9,
      anonymous: false,
      status: 'published',
      preMeeting: false,
      fieldId: 'dia-chinh',
      assignedOfficialId: 'o-dc',
      speech: { handId: 'h-1', startedAt: speech?.startedAt },
      createdAt: speech?.startedAt,
    });
    expect(s.question('q-s2').source).toBe('speech');
  });

  it('refuses an unknown speech, a taken id, an unknown field or official; not before the meeting', () => {
    const s = spoke();
    const one = (o: Record<string, string>, handId = 'h-1') =>
      ({
        type: 'speech.record_opinions',
        handId,
        opinions: [{ questionId: 'q-x', text: 'Ý kiến', ...o }],
      }) as Draft;
    expect(s.fail(CHAIR, one({}, 'h-none')).code).toBe('not_found');
    expect(s.fail(CHAIR, one({ fieldId: 'old-field' })).code).toBe('unknown_field');
    expect(s.fail(CHAIR, one({ officialId: 'o-nope' })).code).toBe('unknown_official');
    s.ok(CHAIR, one({}));
    expect(s.fail(CHAIR, one({})).code).toBe('duplicate');
    const early = session({ status: 'collecting' });
    expect(early.fail(SECRETARY, one({})).code).toBe('session_not_live');
  });

  it('the secretary writes them up after closing', () => {
    const s = spoke();
    s.ok(ADMIN, { type: 'session.set_status', status: 'closed' });
    s.ok(SECRETARY, {
      type: 'speech.record_opinions',
      handId: 'h-1',
      opinions: [{ questionId: 'q-late', text: 'Kiến nghị sửa quy định', fieldId: 'tu-phap' }],
    });
    expect(s.question('q-late').source).toBe('speech');
  });
});

describe('no such session', () => {
  it('a command on an empty state is not_found', () => {
    const s = session();
    const d = decide(emptyState('x'), s.command({ type: 'speaker.end' }), CHAIR, 1);
    expect(d).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});

describe('coverage of the error codes', () => {
  it('every code the core can return was reached by a test above', () => {
    // Transport-level codes come from the gateway, the store and the HTTP routes, not from decide().
    const transport = [
      'already_carried_over',
      'invalid_invitation',
      'unknown_command',
      'unauthorized',
      'rate_limited',
      'too_large',
      'unsupported_file',
      'conflict',
      'internal',
    ];
    const domain = ERROR_CODES.filter((c) => !transport.includes(c));
    const reached = new Set(sessions.flatMap((s) => [...s.codes]));
    expect(domain.filter((c) => !reached.has(c))).toEqual([]);
  });
});
