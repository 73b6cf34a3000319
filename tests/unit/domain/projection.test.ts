/**
 * What each audience may see (DESIGN §3 "Projection per audience"): questions, events and whole states as staff,
 * an attendee (their own things in full, others' redacted) and the screen see them. properties.test.ts checks the
 * same rules over random sequences; these are the readable cases.
 */
import { describe, expect, it } from 'vitest';
import type { DomainEvent, EventOf, EventType } from '../../../shared/domain/events.ts';
import {
  ownersOf,
  projectEvent,
  projectState,
  viewQuestion,
  type Viewer,
} from '../../../shared/domain/projection.ts';
import type { Question } from '../../../shared/domain/types.ts';
import { ADMIN, CHAIR, SECRETARY, TestSession } from './fixtures.ts';

const STAFF: Viewer = { audience: 'staff' };
const SCREEN: Viewer = { audience: 'screen' };
const as = (participantId: string): Viewer => ({ audience: 'attendee', participantId });
const AUTHOR_KEYS = ['authorId', 'authorName', 'authorGroup', 'authorOrganisation'] as const;
/** How an attendee acting appears to everyone but themself. */
const MASKED = { role: 'attendee', id: '' };

/** A live session with two named attendees, a question of each kind, a vote, a note, hands and a form. */
function meeting() {
  const s = new TestSession({ moderation: 'review' });
  const an = s.join('an', { name: 'Nguyễn Văn An', group: 3 });
  const binh = s.join('binh', { name: 'Trần Thị Bình', group: 5 });
  s.ok(an, { type: 'question.submit', questionId: 'named', text: 'Câu hỏi có tên' });
  s.ok(an, { type: 'question.submit', questionId: 'anon', text: 'Câu hỏi ẩn danh', anonymous: true });
  s.ok(an, { type: 'question.submit', questionId: 'waiting', text: 'Chưa duyệt' });
  s.ok(an, { type: 'question.submit', questionId: 'rude', text: 'Lời lẽ không hay' });
  s.ok(CHAIR, { type: 'question.approve', questionIds: ['named', 'anon'] });
  s.ok(CHAIR, { type: 'question.hide', questionId: 'rude', reason: 'Không phù hợp' });
  s.ok(SECRETARY, { type: 'question.note', questionId: 'named', note: 'Hồ sơ 45' });
  s.ok(binh, { type: 'question.vote', questionId: 'named', value: true });
  s.ok(binh, { type: 'question.vote', questionId: 'anon', value: true });
  s.ok(an, { type: 'hand.raise', handId: 'h-an', topic: 'Đèn đường' });
  s.ok(binh, { type: 'hand.raise', handId: 'h-binh' });
  s.ok(CHAIR, { type: 'speaker.give_floor', handId: 'h-binh' });
  s.ok(binh, { type: 'survey.submit', answers: { procedures: 4 } });
  return { s, an, binh };
}

const lastOf = <T extends EventType>(s: TestSession, type: T): EventOf<T> => {
  const e = [...s.log].reverse().find((x) => x.type === type);
  if (!e) throw new Error(`no ${type}`);
  return e as EventOf<T>;
};

const hasAuthor = (q: Question | null | undefined) => AUTHOR_KEYS.some((k) => q?.[k] !== undefined);

describe('viewQuestion', () => {
  const { s } = meeting();
  const named = s.question('named');
  const anon = s.question('anon');
  const waiting = s.question('waiting');
  const rude = s.question('rude');

  it('staff see everything but who asked an anonymous question and who voted', () => {
    expect(viewQuestion(named, STAFF)).toMatchObject({
      authorId: 'an',
      authorName: 'Nguyễn Văn An',
      staffNote: 'Hồ sơ 45',
      votes: 1,
    });
    expect(viewQuestion(named, STAFF)?.voters).toBeUndefined();
    const view = viewQuestion(anon, STAFF);
    expect(view?.text).toBe('Câu hỏi ẩn danh');
    expect(hasAuthor(view)).toBe(false);
    expect(viewQuestion(rude, STAFF)).toMatchObject({
      text: 'Lời lẽ không hay',
      hiddenReason: 'Không phù hợp',
    });
  });

  it('another attendee sees published questions (anonymous ones without author) and their own vote only', () => {
    const binh = as('binh');
    expect(viewQuestion(named, binh)).toMatchObject({
      text: 'Câu hỏi có tên',
      authorName: 'Nguyễn Văn An',
      voters: ['binh'],
      votes: 1,
    });
    expect(viewQuestion(named, binh)?.staffNote).toBeUndefined();
    expect(hasAuthor(viewQuestion(anon, binh))).toBe(false);
    expect(viewQuestion(anon, as('someone'))?.voters).toEqual([]);
  });

  it('another attendee sees only a stub of a pending or hidden question', () => {
    for (const q of [waiting, rude]) {
      const view = viewQuestion(q, as('binh'));
      expect(view).toEqual({
        id: q.id,
        anonymous: true,
        text: '',
        source: 'phone',
        status: q.status,
        preMeeting: false,
        createdAt: q.createdAt,
        updatedAt: q.updatedAt,
        votes: 0,
      });
    }
  });

  it('the author sees their own questions in full, the hiding reason too, but not the staff note', () => {
    const an = as('an');
    expect(viewQuestion(waiting, an)).toMatchObject({
      text: 'Chưa duyệt',
      authorId: 'an',
      status: 'pending',
    });
    expect(viewQuestion(rude, an)).toMatchObject({ text: 'Lời lẽ không hay', hiddenReason: 'Không phù hợp' });
    expect(viewQuestion(anon, an)).toMatchObject({ authorId: 'an', anonymous: true });
    expect(viewQuestion(named, an)?.staffNote).toBeUndefined();
    expect(viewQuestion(named, an)?.voters).toEqual([]);
  });

  it('the screen never shows who asked, named or not', () => {
    expect(viewQuestion(named, SCREEN)).toMatchObject({ text: 'Câu hỏi có tên', votes: 1 });
    expect(hasAuthor(viewQuestion(named, SCREEN))).toBe(false);
    expect(hasAuthor(viewQuestion(anon, SCREEN))).toBe(false);
    expect(viewQuestion(named, SCREEN)?.voters).toBeUndefined();
    expect(viewQuestion(named, SCREEN)?.staffNote).toBeUndefined();
    expect(viewQuestion(waiting, SCREEN)?.text).toBe('');
  });

  it('a merged duplicate’s stub says where it went', () => {
    const { s: m, binh } = meeting();
    m.ok(binh, { type: 'question.submit', questionId: 'dup', text: 'Trùng' });
    m.ok(CHAIR, { type: 'question.merge', questionId: 'dup', intoId: 'named' });
    expect(viewQuestion(m.question('dup'), as('an'))).toMatchObject({
      status: 'merged',
      mergedInto: 'named',
      text: '',
    });
  });
});

describe('projectEvent', () => {
  it('participant.joined: whole to staff and the participant, the counts to the screen and the other phones', () => {
    const { s } = meeting();
    const e = s.log.find(
      (x) => x.type === 'participant.joined' && x.participant?.id === 'binh',
    ) as DomainEvent;
    expect(projectEvent(e, STAFF)).toEqual({ ...e, actor: MASKED });
    expect(projectEvent(e, as('binh'))).toEqual(e);
    const counts = { type: 'participant.joined', seq: e.seq, at: e.at, participantCount: 2, phoneCount: 2 };
    expect(projectEvent(e, SCREEN)).toEqual({ ...counts, actor: MASKED });
    // The others' figures are live (issue 14, finding 2), and they never learn who joined.
    expect(projectEvent(e, as('an'))).toEqual({ ...counts, actor: MASKED });
  });

  it('participant.updated reaches staff and the participant only', () => {
    const { s, an } = meeting();
    s.ok(an, { type: 'participant.update', organisation: 'HTX Kiến Hưng' });
    const e = lastOf(s, 'participant.updated');
    expect(projectEvent(e, STAFF)).not.toBeNull();
    expect(projectEvent(e, as('an'))).not.toBeNull();
    expect(projectEvent(e, as('binh'))).toBeNull();
    expect(projectEvent(e, SCREEN)).toBeNull();
  });

  it('survey.submitted: whole to staff and the participant, a count to the screen, nothing to the others', () => {
    const { s } = meeting();
    const e = lastOf(s, 'survey.submitted');
    expect(projectEvent(e, STAFF)).toMatchObject({ response: { participantId: 'binh' } });
    expect(projectEvent(e, as('binh'))).toMatchObject({ response: { participantId: 'binh' } });
    expect(projectEvent(e, as('an'))).toBeNull();
    expect(projectEvent(e, SCREEN)).toEqual({
      type: 'survey.submitted',
      seq: e.seq,
      at: e.at,
      surveyCount: 1,
      actor: MASKED,
    });
  });

  it('question.voted: who and how only to the voter; the count to everyone; the voter masked as actor', () => {
    const { s } = meeting();
    const e = lastOf(s, 'question.voted');
    expect(projectEvent(e, as('binh'))).toEqual(e);
    for (const viewer of [STAFF, SCREEN, as('an')]) {
      const v = projectEvent(e, viewer);
      expect(v).toEqual({
        type: 'question.voted',
        seq: e.seq,
        at: e.at,
        questionId: 'anon',
        votes: 1,
        actor: MASKED,
      });
    }
  });

  it('an attendee acting is masked for everyone but themself; staff acting are named', () => {
    const { s } = meeting();
    const submitted = s.log.find(
      (x) => x.type === 'question.submitted' && x.question.id === 'anon',
    ) as DomainEvent;
    expect(submitted.actor).toMatchObject({ role: 'attendee', id: 'an' });
    expect(projectEvent(submitted, STAFF)?.actor).toEqual(MASKED);
    expect(projectEvent(submitted, as('binh'))?.actor).toEqual(MASKED);
    expect(projectEvent(submitted, as('an'))?.actor).toMatchObject({ role: 'attendee', id: 'an' });
    const hidden = lastOf(s, 'question.hidden');
    expect(projectEvent(hidden, as('binh'))?.actor).toEqual(CHAIR);
  });

  it('question events are redacted like viewQuestion; a staff note reaches staff only', () => {
    const { s } = meeting();
    const approved = lastOf(s, 'question.approved');
    const forBinh = projectEvent(approved, as('binh'));
    expect(
      forBinh?.type === 'question.approved' && forBinh.questions.map((q) => [q.id, hasAuthor(q)]),
    ).toEqual([
      ['named', true],
      ['anon', false],
    ]);
    const forStaff = projectEvent(approved, STAFF);
    expect(forStaff?.type === 'question.approved' && forStaff.questions.map((q) => hasAuthor(q))).toEqual([
      true,
      false,
    ]);
    const noted = lastOf(s, 'question.noted');
    expect(projectEvent(noted, STAFF)).toMatchObject({ question: { staffNote: 'Hồ sơ 45' } });
    expect(projectEvent(noted, as('an'))).toBeNull();
    expect(projectEvent(noted, SCREEN)).toBeNull();
    const hidden = lastOf(s, 'question.hidden');
    expect(projectEvent(hidden, as('binh'))).toMatchObject({ question: { text: '', status: 'hidden' } });
    expect(projectEvent(hidden, as('an'))).toMatchObject({
      question: { text: 'Lời lẽ không hay', hiddenReason: 'Không phù hợp' },
    });
  });

  it('question.merged redacts both questions', () => {
    const { s, binh } = meeting();
    s.ok(binh, { type: 'question.submit', questionId: 'dup', text: 'Trùng lặp', anonymous: true });
    s.ok(CHAIR, { type: 'question.merge', questionId: 'dup', intoId: 'anon' });
    const e = lastOf(s, 'question.merged');
    const v = projectEvent(e, as('an'));
    expect(v?.type === 'question.merged' && [v.question.text, hasAuthor(v.question), v.into.votes]).toEqual([
      '',
      false,
      1,
    ]);
    const own = projectEvent(e, as('binh'));
    expect(own?.type === 'question.merged' && own.question.text).toBe('Trùng lặp');
  });

  it('hands: names for everyone, the participant id only for staff and the owner', () => {
    const { s } = meeting();
    const raised = s.log.find(
      (x) => x.type === 'hand.raised' && x.hand.id === 'h-an',
    ) as EventOf<'hand.raised'>;
    expect(projectEvent(raised, STAFF)).toMatchObject({
      hand: { participantId: 'an', name: 'Nguyễn Văn An' },
    });
    expect(projectEvent(raised, as('an'))).toMatchObject({ hand: { participantId: 'an' } });
    for (const viewer of [SCREEN, as('binh')]) {
      const v = projectEvent(raised, viewer);
      expect(v?.type === 'hand.raised' && v.hand).toMatchObject({
        id: 'h-an',
        name: 'Nguyễn Văn An',
        topic: 'Đèn đường',
      });
      expect(v?.type === 'hand.raised' && v.hand.participantId).toBeUndefined();
    }
    const floor = lastOf(s, 'speaker.floor_given');
    const onScreen = projectEvent(floor, SCREEN);
    expect(
      onScreen?.type === 'speaker.floor_given' && [onScreen.floor.name, onScreen.floor.participantId],
    ).toEqual(['Trần Thị Bình', undefined]);
  });

  it('official.upserted without the staff account for attendees and the screen', () => {
    const { s } = meeting();
    s.ok(ADMIN, {
      type: 'official.upsert',
      official: { id: 'o-x', name: 'Lý Văn X', title: 'Công chức', fieldIds: ['tu-phap'], userId: 'u-x' },
    });
    const e = lastOf(s, 'official.upserted');
    expect(projectEvent(e, STAFF)).toMatchObject({ official: { userId: 'u-x' } });
    for (const viewer of [SCREEN, as('an')]) {
      const v = projectEvent(e, viewer);
      expect(v?.type === 'official.upserted' && 'userId' in v.official).toBe(false);
    }
  });
});

describe('projectState', () => {
  it('an attendee’s snapshot holds only their own record, form, speech history and hands in full', () => {
    const { s } = meeting();
    const view = projectState(s.state, as('an'));
    expect(Object.keys(view.participants)).toEqual(['an']);
    expect(view.surveys).toEqual({});
    expect(view.spoke).toEqual([]);
    expect(view.queue.map((h) => [h.id, h.participantId])).toEqual([['h-an', 'an']]);
    expect(view.floor).toMatchObject({ id: 'h-binh', name: 'Trần Thị Bình' });
    expect(view.floor?.participantId).toBeUndefined();
    expect(view.officials.every((o) => !('userId' in o))).toBe(true);
    expect(view.participantCount).toBe(2);
    const binh = projectState(s.state, as('binh'));
    expect(Object.keys(binh.surveys)).toEqual(['binh']);
    expect(binh.spoke).toEqual(['binh']);
    expect(binh.floor?.participantId).toBe('binh');
  });

  it('keeps hidden, merged and withdrawn questions of others out; stubs of pending ones in; one’s own in', () => {
    const { s } = meeting();
    expect(Object.keys(projectState(s.state, as('binh')).questions).sort()).toEqual([
      'anon',
      'named',
      'waiting',
    ]);
    expect(projectState(s.state, as('binh')).questions.waiting?.text).toBe('');
    expect(Object.keys(projectState(s.state, as('an')).questions).sort()).toEqual([
      'anon',
      'named',
      'rude',
      'waiting',
    ]);
    expect(Object.keys(projectState(s.state, STAFF).questions).sort()).toEqual([
      'anon',
      'named',
      'rude',
      'waiting',
    ]);
  });

  it('the screen’s snapshot holds no participant, no form, no author, no voter', () => {
    const { s } = meeting();
    const view = projectState(s.state, SCREEN);
    expect(view.participants).toEqual({});
    expect(view.surveys).toEqual({});
    expect(view.spoke).toEqual([]);
    const json = JSON.stringify(view);
    for (const secret of ['"an"', '"binh"', 'voters', 'staffNote', 'authorName'])
      expect(json).not.toContain(secret);
    // Names are on the hand and the floor, as the hall sees them.
    expect(view.queue[0]?.name).toBe('Nguyễn Văn An');
  });

  it('staff get everyone but anonymous authors and voters', () => {
    const { s } = meeting();
    const view = projectState(s.state, STAFF);
    expect(Object.keys(view.participants).sort()).toEqual(['an', 'binh']);
    expect(Object.keys(view.surveys)).toEqual(['binh']);
    expect(hasAuthor(view.questions.anon)).toBe(false);
    expect(view.questions.named?.authorName).toBe('Nguyễn Văn An');
    expect(Object.values(view.questions).every((q) => q.voters === undefined)).toBe(true);
    expect(view.queue[0]?.participantId).toBe('an');
  });
});

describe('ownersOf', () => {
  it('names the participants whose own view of an event differs from the public one', () => {
    const { s } = meeting();
    const owners = (type: EventType) => ownersOf(lastOf(s, type));
    expect(owners('participant.joined')).toEqual(['binh']);
    expect(owners('question.submitted')).toEqual(['an']);
    expect(owners('question.approved')).toEqual(['an', 'an']);
    expect(owners('question.voted')).toEqual(['binh']);
    expect(owners('hand.raised')).toEqual(['binh']);
    expect(owners('speaker.floor_given')).toEqual(['binh']);
    expect(owners('survey.submitted')).toEqual(['binh']);
    expect(owners('session.status_changed')).toEqual([]);
    expect(owners('question.noted')).toEqual([]);
  });
});
