/**
 * The figures of shared/report/figures.ts pinned one by one, and the same numbers on every surface that shows them
 * (issue 13, finding 4: the panel said 11 questions, the screen 10, the report 12, and the screen's "answered"
 * counted a question only promised in writing).
 */
import { describe, expect, it } from 'vitest';
import { apply } from '../../shared/domain/apply.ts';
import type { DomainEvent } from '../../shared/domain/events.ts';
import { projectEvent, projectState } from '../../shared/domain/projection.ts';
import { emptyState } from '../../shared/domain/state.ts';
import { isOpinion, questionCounts, sessionFigures } from '../../shared/report/figures.ts';
import { buildReport } from '../../shared/report/report.ts';
import { questionFigures, questionsByField } from '../../client/surfaces/panel/overview.ts';
import { counters } from '../../client/surfaces/screen/screenView.ts';
import { sideList } from '../../client/surfaces/minutes/sideList.ts';
import { ADMIN, CHAIR, SECRETARY, SESSION_ID, TestSession } from './domain/fixtures.ts';

/** One meeting with a question in every state. */
function meeting(): TestSession {
  const s = new TestSession({ moderation: 'review', status: 'collecting' });
  const a = s.join('p-a', { name: 'An' });
  const b = s.join('p-b', { name: 'Bình' });
  const ask = (who: typeof a, id: string, fieldId?: string) =>
    s.ok(who, { type: 'question.submit', questionId: id, text: id, ...(fieldId ? { fieldId } : {}) });
  ask(a, 'live', 'dia-chinh'); // before the meeting
  s.ok(ADMIN, { type: 'session.set_status', status: 'live' });
  ask(a, 'promised', 'dia-chinh');
  ask(a, 'delivered', 'tu-phap');
  ask(b, 'open', 'tu-phap');
  ask(b, 'pending');
  ask(b, 'hidden');
  ask(b, 'dup', 'tu-phap');
  ask(b, 'withdrawn');
  s.ok(SECRETARY, {
    type: 'paper_form.enter',
    participantId: 'paper-1',
    questions: [{ questionId: 'paper', text: 'Phiếu giấy', fieldId: 'dia-chinh' }],
  });
  s.ok(CHAIR, {
    type: 'question.approve',
    questionIds: ['live', 'promised', 'delivered', 'open', 'hidden', 'dup', 'paper'],
  });
  s.ok(CHAIR, { type: 'question.answer', questionId: 'live', mode: 'live' });
  s.ok(CHAIR, { type: 'question.answer', questionId: 'promised', mode: 'writing', dueDate: '2030-07-01' });
  s.ok(CHAIR, { type: 'question.answer', questionId: 'delivered', mode: 'writing', dueDate: '2030-07-01' });
  s.ok(ADMIN, { type: 'question.answer_written', questionId: 'delivered', text: 'Văn bản' });
  s.ok(CHAIR, { type: 'question.hide', questionId: 'hidden', reason: 'Không phù hợp' });
  s.ok(CHAIR, { type: 'question.merge', questionId: 'dup', intoId: 'open' });
  s.ok(b, { type: 'question.withdraw', questionId: 'withdrawn' });
  // Issue 13: two speeches, one recorded as two opinions; a recommendation upward; one outside the remit.
  s.ok(SECRETARY, { type: 'hand.add', handId: 'h-1', name: 'Nguyễn Thị Hoa', group: 9 });
  s.ok(CHAIR, { type: 'speaker.give_floor', handId: 'h-1' });
  s.ok(SECRETARY, { type: 'hand.add', handId: 'h-2', name: 'Trần Văn Nam' });
  s.ok(CHAIR, { type: 'speaker.give_floor', handId: 'h-2' });
  s.ok(CHAIR, { type: 'speaker.end' });
  s.ok(CHAIR, {
    type: 'speech.record_opinions',
    handId: 'h-1',
    opinions: [
      { questionId: 'spoken-upward', text: 'Sửa quy định cấp phép', fieldId: 'dia-chinh' },
      { questionId: 'spoken-outside', text: 'Tranh chấp dân sự', fieldId: 'tu-phap' },
    ],
  });
  s.ok(CHAIR, {
    type: 'question.answer',
    questionId: 'spoken-upward',
    mode: 'upward',
    authority: 'UBND tỉnh',
  });
  s.ok(CHAIR, {
    type: 'question.answer_bulk',
    questionIds: ['spoken-outside'],
    mode: 'outside',
    reason: 'Thẩm quyền của Tòa án',
  });
  s.ok(s.join('p-c'), { type: 'survey.submit', answers: { procedures: 4, official: 5 } });
  s.ok(SECRETARY, {
    type: 'paper_form.enter',
    participantId: 'paper-2',
    answers: { procedures: 3 },
  });
  return s;
}

describe('delivered (issue 13, finding 3)', () => {
  it('counts a written answer only once its delivery to the asker is recorded', () => {
    const s = meeting();
    const before = questionCounts(Object.values(s.state.questions));
    expect(before.writtenDone).toBe(1);
    expect(before.delivered).toBe(0);
    s.ok(ADMIN, {
      type: 'question.delivery_record',
      questionIds: ['delivered'],
      method: 'group',
      date: '2030-07-03',
    });
    const after = questionCounts(Object.values(s.state.questions));
    expect(after.delivered).toBe(1);
    expect(after.writtenDone).toBe(1);
    expect(buildReport(s.state, { today: '2030-07-04' }).totals.delivered).toBe(1);
  });

  it('refuses a delivery of a reply not yet written', () => {
    const s = meeting();
    const refused = s.fail(ADMIN, {
      type: 'question.delivery_record',
      questionIds: ['promised'],
      method: 'post',
      date: '2030-07-03',
    });
    expect(refused.code).toBe('invalid_state');
  });
});

describe('the figures', () => {
  const s = meeting();
  const c = questionCounts(Object.values(s.state.questions), '2030-07-02');

  it('received: all but withdrawn, by channel (phone, paper, speech), before the meeting', () => {
    expect(c.received).toBe(10);
    expect(c.phone).toBe(7);
    expect(c.paper).toBe(1);
    expect(c.speech).toBe(2);
    expect(c.phone + c.paper + c.speech).toBe(c.received);
    expect(c.preMeeting).toBe(1);
  });

  it('opinions: received − merged − hidden; each in one outcome', () => {
    expect(c.merged).toBe(1);
    expect(c.hidden).toBe(1);
    expect(c.opinions).toBe(8);
    expect(c.answeredLive + c.inWriting + c.upward + c.outside + c.open).toBe(c.opinions);
    expect(Object.values(s.state.questions).filter(isOpinion)).toHaveLength(8);
  });

  it('recommended upward and outside the remit are outcomes of their own, neither answered nor open', () => {
    expect(c.upward).toBe(1);
    expect(c.outside).toBe(1);
  });

  it('speeches, paper forms collected, satisfaction forms and SIPAS by criterion', () => {
    const f = sessionFigures(s.state, '2030-07-02');
    expect(f).toMatchObject({ ...c, speeches: 2, formsCollected: 2, surveys: 2 });
    const procedures = f.satisfaction.criteria.find((x) => x.criterionId === 'procedures');
    expect(procedures).toMatchObject({ count: 2, average: 3.5, distribution: [0, 0, 1, 1, 0] });
    expect(f.satisfaction.criteria.find((x) => x.criterionId === 'official')?.average).toBe(5);
    // The screen holds no forms and no participants: the counts it shows are still the same.
    const screen = sessionFigures(projectState(s.state, { audience: 'screen' }));
    expect(screen).toMatchObject({ speeches: 2, formsCollected: 2, surveys: 2, opinions: 8 });
  });

  it('answered at the meeting, promised in writing, delivered, overdue, open', () => {
    expect(c.answeredLive).toBe(1);
    expect(c.inWriting).toBe(2);
    expect(c.writtenDone).toBe(1);
    expect(c.writtenPending).toBe(1);
    expect(c.overdue).toBe(1);
    expect(c.open).toBe(3);
    expect(questionCounts(Object.values(s.state.questions)).overdue).toBe(0);
  });
});

describe('every surface shows the same figures', () => {
  const s = meeting();
  const staff = projectState(s.state, { audience: 'staff' });

  it('panel overview, screen, phones, minutes and report agree (finding 4)', () => {
    const report = buildReport(staff, { today: '2030-01-01' }).totals;
    const panel = questionFigures(staff);
    const screenSnapshot = counters(projectState(s.state, { audience: 'screen' }));
    const phoneSnapshot = questionCounts(
      Object.values(projectState(s.state, { audience: 'attendee', participantId: 'p-b' }).questions),
    );
    // A screen that was on from the start and folded every event it was sent.
    let screenLive = projectState(apply(emptyState(SESSION_ID), s.log[0] as DomainEvent), {
      audience: 'screen',
    });
    for (const e of s.log.slice(1)) {
      const v = projectEvent(e, { audience: 'screen' });
      if (v) screenLive = apply(screenLive, v);
    }
    const minutes = sideList(staff).figures;
    for (const figures of [panel, report]) {
      expect(figures.opinions).toBe(8);
      expect(figures.answeredLive).toBe(1);
      expect(figures.inWriting).toBe(2);
      expect(figures.upward).toBe(1);
      expect(figures.outside).toBe(1);
      expect(figures.speech).toBe(2);
    }
    for (const screen of [screenSnapshot, counters(screenLive)]) {
      expect(screen.questions).toBe(8);
      // A promise in writing, a recommendation upward, outside the remit: none is "Đã trả lời" (finding 4).
      expect(screen.answered).toBe(1);
      expect(screen.writing).toBe(2);
      expect(screen.speeches).toBe(2);
    }
    expect(phoneSnapshot).toMatchObject({
      opinions: 8,
      answeredLive: 1,
      inWriting: 2,
      upward: 1,
      outside: 1,
      open: 3,
    });
    expect(minutes.questions).toBe(8);
    expect(minutes.forms).toBe(2);
    const byField = questionsByField(staff);
    expect(byField.reduce((n, r) => n + r.total, 0)).toBe(8);
    expect(byField.reduce((n, r) => n + r.upward + r.outside, 0)).toBe(2);
    expect(byField.reduce((n, r) => n + r.answered, 0)).toBe(1);
    expect(byField.reduce((n, r) => n + r.writing, 0)).toBe(2);
    expect(minutes.byField.reduce((n, r) => n + r.answered, 0)).toBe(1);
    expect(minutes.byField.reduce((n, r) => n + r.writing, 0)).toBe(2);
  });
});
