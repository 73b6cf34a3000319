/**
 * The SIPAS form as the national questionnaire has it (issue 14, finding 8): the five groups, "Tiếp cận dịch vụ"
 * first, and the procedure the respondent used ("thủ tục đã thực hiện"), on the phone and on paper, counted in the
 * synthesis; the 2025 fields include the one-stop desk's service attitude that the ward's plan names.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CRITERIA, FIELDS_2025 } from '../../shared/domain/defaults.ts';
import { buildReport } from '../../shared/report/report.ts';
import { ADMIN, TestSession } from './domain/fixtures.ts';

describe('SIPAS form and fields', () => {
  it('has the five groups of the national questionnaire, access to the service first', () => {
    expect(DEFAULT_CRITERIA.map((c) => c.label)).toEqual([
      'Tiếp cận dịch vụ',
      'Thủ tục hành chính',
      'Công chức trực tiếp giải quyết công việc',
      'Kết quả giải quyết',
      'Tiếp nhận, xử lý phản ánh, kiến nghị',
    ]);
  });

  it('lists the one-stop desk (service attitude) among the 2025 fields', () => {
    expect(FIELDS_2025.map((f) => f.name)).toContain('Bộ phận Một cửa (thái độ phục vụ)');
  });

  it('keeps the procedure a respondent used, from the phone and from paper, and counts it in the synthesis', () => {
    const s = new TestSession({ status: 'collecting' }); // the ward's default criteria
    const [p1, p2, p3] = [s.join('p1'), s.join('p2'), s.join('p3')];
    s.ok(p1, { type: 'survey.submit', answers: { access: 4 }, procedure: 'Đăng ký khai sinh' });
    s.ok(p2, {
      type: 'survey.submit',
      answers: { access: 2, procedures: 3 },
      procedure: '  đăng ký   khai sinh ',
    });
    s.ok(p3, { type: 'survey.submit', answers: { result: 5 } });
    s.ok(ADMIN, {
      type: 'paper_form.enter',
      participantId: 'paper-1',
      answers: { access: 5 },
      procedure: 'Chứng thực bản sao',
    });
    expect(s.state.surveys.p1?.procedure).toBe('Đăng ký khai sinh');
    expect(s.state.surveys.p3?.procedure).toBeUndefined();
    expect(s.state.surveys['paper-1']).toMatchObject({ source: 'paper', procedure: 'Chứng thực bản sao' });

    const { satisfaction } = buildReport(s.state, { today: '2026-12-15' });
    expect(satisfaction.procedures).toEqual([
      { name: 'Đăng ký khai sinh', count: 2 },
      { name: 'Chứng thực bản sao', count: 1 },
    ]);
    const access = satisfaction.criteria.find((c) => c.criterionId === 'access');
    expect(access).toMatchObject({ count: 3, average: 3.67, distribution: [0, 1, 0, 1, 1] });
  });
});
