import { describe, expect, it } from 'vitest';
import { nextSessionTitle } from '../../shared/domain/sessionTitle.ts';

describe('the next session’s title (issue 13, finding 9)', () => {
  it('counts on within a year and starts at 1 in a new one', () => {
    expect(nextSessionTitle('Hội nghị đối thoại lần 1 năm 2026', '2026-06-15', '2026-12-15')).toBe(
      'Hội nghị đối thoại lần 2 năm 2026',
    );
    expect(nextSessionTitle('Hội nghị đối thoại lần 2 năm 2026', '2026-12-15', '2027-06-15')).toBe(
      'Hội nghị đối thoại lần 1 năm 2027',
    );
  });

  it('counts on a count without a year, keeping the rest of the title', () => {
    expect(nextSessionTitle('Đối thoại lần 3 với doanh nghiệp', '2026-06-15', '2026-12-15')).toBe(
      'Đối thoại lần 4 với doanh nghiệp',
    );
  });

  it('gives an uncounted title a count, never the same title', () => {
    expect(nextSessionTitle('Hội nghị đối thoại năm 2026', '2026-06-15', '2026-12-15')).toBe(
      'Hội nghị đối thoại lần 2 năm 2026',
    );
    expect(nextSessionTitle('Hội nghị đối thoại', '2026-12-15', '2027-06-15')).toBe(
      'Hội nghị đối thoại lần 1 năm 2027',
    );
  });
});
