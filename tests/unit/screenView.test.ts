/** The big screen's pure view functions: which moment the programme is at, figures, commitments, addresses. */
import { describe, expect, it } from 'vitest';
import { figureOf, momentOf, typedAddress, writtenAnswers } from '../../client/surfaces/screen/screenView.ts';
import { shortDate } from '../../shared/i18n/dates.ts';
import { CHAIR, TestSession, attendee } from './domain/fixtures.ts';

describe('screen view', () => {
  it('shows the current item’s kind; before the first item, the speakers’ board', () => {
    const s = new TestSession();
    expect(momentOf(s.state)).toEqual({ mode: 'speak', lines: [] });
    s.ok(CHAIR, { type: 'agenda.start', itemId: 'a1' });
    expect(momentOf(s.state).mode).toBe('opening');
    expect(momentOf(s.state).lines.length).toBeGreaterThan(0);
    s.ok(CHAIR, { type: 'agenda.start', itemId: 'a6' });
    expect(momentOf(s.state).mode).toBe('conclusion');
  });

  it('reads "label: value" lines as figures and other lines as sentences', () => {
    expect(figureOf('Hồ sơ tiếp nhận: 1.245')).toEqual({ label: 'Hồ sơ tiếp nhận', value: '1.245' });
    expect(figureOf('Thời gian: 08:00')).toEqual({ label: 'Thời gian', value: '08:00' });
    expect(figureOf('Một cửa liên thông từ tháng 3')).toEqual({ label: 'Một cửa liên thông từ tháng 3' });
    expect(figureOf(': 12')).toEqual({ label: ': 12' });
  });

  it('lists the questions to answer in writing, soonest due first', () => {
    const s = new TestSession({ moderation: 'open' });
    const a = attendee('p1');
    s.join('p1');
    for (const id of ['q1', 'q2', 'q3'])
      s.ok(a, { type: 'question.submit', questionId: id, text: `Câu hỏi ${id}` });
    s.ok(CHAIR, { type: 'question.answer', questionId: 'q1', mode: 'writing', dueDate: '2031-03-01' });
    s.ok(CHAIR, { type: 'question.answer', questionId: 'q2', mode: 'live', note: 'Đã trả lời' });
    s.ok(CHAIR, { type: 'question.answer', questionId: 'q3', mode: 'writing', dueDate: '2031-01-15' });
    expect(writtenAnswers(s.state).map((w) => [w.question.id, w.dueDate])).toEqual([
      ['q3', '2031-01-15'],
      ['q1', '2031-03-01'],
    ]);
    expect(shortDate('2031-01-15')).toBe('15/01/2031');
  });

  it('prints the join address as people type it', () => {
    expect(typedAddress('http://192.168.1.20:3000/', 'ABC123')).toBe('192.168.1.20:3000/j/ABC123');
    expect(typedAddress('https://doithoai.example.vn', 'ABC123')).toBe('doithoai.example.vn/j/ABC123');
  });
});
