/**
 * Programme items carry a kind (what the big screen shows then) and lines for the screen; both optional, so logs
 * written before they existed replay unchanged and their default items keep their default kind.
 */
import { describe, expect, it } from 'vitest';
import { agendaKindOf, screenLinesOf } from '../../../shared/domain/agenda.ts';
import { apply } from '../../../shared/domain/apply.ts';
import { DEFAULT_AGENDA } from '../../../shared/domain/defaults.ts';
import { DomainEventSchema, type DomainEvent } from '../../../shared/domain/events.ts';
import { emptyState } from '../../../shared/domain/state.ts';
import { ADMIN, SECRETARY, SESSION_ID, TestSession, createdEvent } from './fixtures.ts';

describe('agenda kinds', () => {
  it('the default programme follows the plan: opening, purpose, report, speak, answers, conclusion', () => {
    expect(DEFAULT_AGENDA.map(agendaKindOf)).toEqual([
      'opening',
      'purpose',
      'report',
      'speak',
      'answers',
      'conclusion',
    ]);
    expect(screenLinesOf(DEFAULT_AGENDA[0]!).join(' ')).toContain('tổ trưởng');
  });

  it('agenda.set keeps each item’s kind and screen lines; an unknown kind is not a command', () => {
    const s = new TestSession();
    s.ok(SECRETARY, {
      type: 'agenda.set',
      items: [
        { id: 'b1', title: 'Khai mạc', kind: 'opening' },
        { id: 'b2', title: 'Báo cáo', kind: 'report', screenLines: ['  Hồ sơ tiếp nhận: 1.245 '] },
        { id: 'b3', title: 'Văn nghệ chào mừng' },
      ],
    });
    expect(s.state.agenda).toEqual([
      { id: 'b1', title: 'Khai mạc', kind: 'opening' },
      { id: 'b2', title: 'Báo cáo', kind: 'report', screenLines: ['Hồ sơ tiếp nhận: 1.245'] },
      { id: 'b3', title: 'Văn nghệ chào mừng' },
    ]);
    expect(s.state.agenda.map(agendaKindOf)).toEqual(['opening', 'report', 'speak']);
    expect(() =>
      s.command({ type: 'agenda.set', items: [{ id: 'x', title: 'X', kind: 'party' as never }] }),
    ).toThrow();
    expect(() =>
      s.command({ type: 'agenda.set', items: [{ id: 'x', title: 'X', screenLines: Array(13).fill('a') }] }),
    ).toThrow();
  });

  it('a log written before kinds existed replays, and its default items read as their default kind', () => {
    const created = createdEvent() as Extract<DomainEvent, { type: 'session.created' }>;
    const old = {
      ...created,
      session: { ...created.session, agenda: created.session.agenda.map(({ id, title }) => ({ id, title })) },
    };
    const log: unknown[] = [
      old,
      {
        type: 'agenda.updated',
        seq: 2,
        at: 2000,
        actor: ADMIN,
        items: [...old.session.agenda, { id: 'x9', title: 'Khác' }],
      },
      { type: 'session.status_changed', seq: 3, at: 3000, status: 'live', from: 'draft' },
      { type: 'agenda.started', seq: 4, at: 4000, itemId: 'a3' },
    ];
    const state = log.map((e) => DomainEventSchema.parse(e)).reduce(apply, emptyState(SESSION_ID));
    expect(state.seq).toBe(4);
    expect(state.agenda.every((a) => a.kind === undefined)).toBe(true);
    expect(state.agenda.map(agendaKindOf)).toEqual([
      'opening',
      'purpose',
      'report',
      'speak',
      'answers',
      'conclusion',
      'speak',
    ]);
    expect(screenLinesOf(state.agenda[1]!)).toEqual(DEFAULT_AGENDA[1]!.screenLines);
  });
});
