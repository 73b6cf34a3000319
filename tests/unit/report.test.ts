/**
 * The pure report code: counting rules on random sessions (fast-check drives the real decide/apply with random
 * commands), rounding, dates, CSV quoting and parsing, the audit describer.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apply } from '../../shared/domain/apply.ts';
import type { Command } from '../../shared/domain/commands.ts';
import { sessionCreated } from '../../shared/domain/create.ts';
import { decide } from '../../shared/domain/decide.ts';
import { DEFAULT_CRITERIA, FIELDS_2020 } from '../../shared/domain/defaults.ts';
import type { DomainEvent } from '../../shared/domain/events.ts';
import { projectEvent, projectState } from '../../shared/domain/projection.ts';
import { emptyState } from '../../shared/domain/state.ts';
import type { Actor, SessionState } from '../../shared/domain/types.ts';
import adminMessages from '../../shared/i18n/admin.ts';
import { AuditDescriber, matchesFilter, type AuditLabels } from '../../shared/report/audit.ts';
import { csvCell, csvFile, parseCsv } from '../../shared/report/csv.ts';
import { addMonths, daysBetween, followUpItems } from '../../shared/report/followup.ts';
import { buildReport, round2, type Counts } from '../../shared/report/report.ts';

const TODAY = '2020-06-20';
const admin: Actor = { role: 'admin', id: 'admin', name: 'Văn phòng' };
const chair: Actor = { role: 'chair', id: 'chair', name: 'Chủ tịch' };

function newSession(): { state: SessionState; log: DomainEvent[] } {
  const created = sessionCreated(
    's1',
    { title: 'Đối thoại', date: '2020-06-15', startTime: '08:00', venue: 'Hội trường', moderation: 'review' },
    {
      name: 'Phường Kiến Hưng',
      place: 'Kiến Hưng',
      groups: 4,
      fields: FIELDS_2020.slice(0, 3).map((f) => ({ ...f })),
      officials: [{ id: 'o1', name: 'Ông A', title: 'Công chức', fieldIds: ['tu-phap'] }],
      criteria: DEFAULT_CRITERIA.map((c) => ({ ...c })),
    },
    'ABCDEF',
    { role: 'admin', id: 'admin' },
    1000,
  );
  const first = { ...created, seq: 1 } as DomainEvent;
  return { state: apply(emptyState('s1'), first), log: [first] };
}

/** A step of a random session: who does what to which question / participant (indices into what exists). */
type Step =
  | { k: 'status'; to: 'collecting' | 'live' | 'closed' }
  | { k: 'join'; group: number | null; kind: 'resident' | 'business' | 'delegate'; named: boolean }
  | { k: 'ask'; p: number; field: number | null; anonymous: boolean }
  | {
      k: 'paper';
      group: number | null;
      questions: Array<{ field: number | null; anonymous: boolean }>;
      scores: number[] | null;
    }
  | { k: 'survey'; p: number; scores: number[] }
  | { k: 'withdraw' | 'approve' | 'reopen' | 'hide' | 'written'; q: number }
  | { k: 'merge'; q: number; into: number }
  | { k: 'assign'; q: number; field: number | null }
  | { k: 'answer'; q: number; mode: 'live' | 'writing'; due: number };

const idx = fc.nat({ max: 12 });
const field = fc.option(fc.nat({ max: 3 }), { nil: null });
const scores = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 });
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('status' as const),
      to: fc.constantFrom('collecting' as const, 'live' as const, 'closed' as const),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      k: fc.constant('join' as const),
      group: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }),
      kind: fc.constantFrom('resident' as const, 'business' as const, 'delegate' as const),
      named: fc.boolean(),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({ k: fc.constant('ask' as const), p: idx, field, anonymous: fc.boolean() }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constant('paper' as const),
      group: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
      questions: fc.array(fc.record({ field, anonymous: fc.boolean() }), { maxLength: 3 }),
      scores: fc.option(scores, { nil: null }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('survey' as const), p: idx, scores }) },
  {
    weight: 5,
    arbitrary: fc.record({
      k: fc.constantFrom(
        'withdraw' as const,
        'approve' as const,
        'reopen' as const,
        'hide' as const,
        'written' as const,
      ),
      q: idx,
    }),
  },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('merge' as const), q: idx, into: idx }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('assign' as const), q: idx, field }) },
  {
    weight: 4,
    arbitrary: fc.record({
      k: fc.constant('answer' as const),
      q: idx,
      mode: fc.constantFrom('live' as const, 'writing' as const),
      due: fc.integer({ min: 10, max: 30 }),
    }),
  },
);

/** Runs the steps through decide/apply; steps the domain refuses are skipped, as a real client's would fail. */
function run(input: Step[]): { state: SessionState; log: DomainEvent[] } {
  const session = newSession();
  let state = session.state;
  const log = session.log;
  // Open the session first (before the meeting, or straight to the meeting) so that most runs have content.
  const steps: Step[] = [{ k: 'status', to: input.length % 3 === 0 ? 'live' : 'collecting' }, ...input];
  const people: string[] = [];
  const questions: string[] = [];
  let n = 0;
  const fieldId = (f: number | null) => (f === null ? undefined : (FIELDS_2020[f]?.id ?? 'van-phong'));
  const criteria = (s: number[]) =>
    Object.fromEntries(s.map((v, i) => [DEFAULT_CRITERIA[i]?.id ?? 'procedures', v]));
  const act = (command: Record<string, unknown>, actor: Actor) => {
    const c = { id: `c${++n}`, sessionId: 's1', ...command } as Command;
    const d = decide(state, c, actor, 1000 + n);
    if (!d.ok) return false;
    for (const e of d.events) {
      const stored = { ...e, seq: state.seq + 1 } as DomainEvent;
      state = apply(state, stored);
      log.push(stored);
    }
    return true;
  };
  const person = (i: number) => people[i % Math.max(1, people.length)];
  const question = (i: number) => questions[i % Math.max(1, questions.length)] ?? 'none';
  for (const s of steps) {
    switch (s.k) {
      case 'status':
        act({ type: 'session.set_status', status: s.to }, admin);
        break;
      case 'join': {
        const id = `p${people.length}`;
        const ok = act(
          {
            type: 'participant.join',
            participantId: id,
            kind: s.kind,
            ...(s.group ? { group: s.group } : {}),
            ...(s.named ? { name: `Người ${id}` } : {}),
          },
          { role: 'attendee', id },
        );
        if (ok) people.push(id);
        break;
      }
      case 'ask': {
        const p = person(s.p);
        if (!p) break;
        const qid = `q${n}`;
        if (
          act(
            {
              type: 'question.submit',
              questionId: qid,
              text: `Hỏi ${qid}`,
              anonymous: s.anonymous,
              ...(fieldId(s.field) ? { fieldId: fieldId(s.field) } : {}),
            },
            { role: 'attendee', id: p },
          )
        )
          questions.push(qid);
        break;
      }
      case 'paper': {
        const ids = s.questions.map((_, i) => `pq${n}-${i}`);
        const ok = act(
          {
            type: 'paper_form.enter',
            participantId: `paper${n}`,
            kind: 'resident',
            ...(s.group ? { group: s.group } : {}),
            questions: s.questions.map((q, i) => ({
              questionId: ids[i],
              text: 'Phiếu giấy',
              anonymous: q.anonymous,
              ...(fieldId(q.field) ? { fieldId: fieldId(q.field) } : {}),
            })),
            ...(s.scores ? { answers: criteria(s.scores) } : {}),
          },
          admin,
        );
        if (ok) questions.push(...ids);
        break;
      }
      case 'survey': {
        const p = person(s.p);
        if (p) act({ type: 'survey.submit', answers: criteria(s.scores) }, { role: 'attendee', id: p });
        break;
      }
      case 'withdraw': {
        const q = state.questions[question(s.q)];
        if (q?.authorId)
          act({ type: 'question.withdraw', questionId: q.id }, { role: 'attendee', id: q.authorId });
        break;
      }
      case 'approve':
        act({ type: 'question.approve', questionIds: [question(s.q)] }, chair);
        break;
      case 'reopen':
        act({ type: 'question.reopen', questionId: question(s.q) }, chair);
        break;
      case 'hide':
        act({ type: 'question.hide', questionId: question(s.q), reason: 'Trùng' }, chair);
        break;
      case 'written':
        act({ type: 'question.answer_written', questionId: question(s.q), text: 'Trả lời' }, admin);
        break;
      case 'merge':
        act({ type: 'question.merge', questionId: question(s.q), intoId: question(s.into) }, chair);
        break;
      case 'assign':
        act({ type: 'question.assign', questionId: question(s.q), fieldId: fieldId(s.field) ?? null }, chair);
        break;
      case 'answer':
        act(
          {
            type: 'question.answer',
            questionId: question(s.q),
            mode: s.mode,
            ...(s.mode === 'writing' ? { dueDate: `2020-06-${s.due}` } : {}),
          },
          chair,
        );
        break;
    }
  }
  return { state, log };
}

const KEYS: Array<keyof Counts> = [
  'received',
  'answeredLive',
  'inWriting',
  'writtenDone',
  'writtenPending',
  'overdue',
  'open',
  'merged',
  'hidden',
  'preMeeting',
  'paper',
  'carried',
];

describe('buildReport on random sessions', () => {
  const sessions = fc.array(step, { minLength: 5, maxLength: 60 });

  it('puts every received question in exactly one outcome, per field and in total', () => {
    fc.assert(
      fc.property(sessions, (steps) => {
        const { state } = run(steps);
        const r = buildReport(state, { today: TODAY });
        const t = r.totals;
        expect(t.answeredLive + t.inWriting + t.open + t.merged + t.hidden).toBe(t.received);
        expect(t.writtenDone + t.writtenPending).toBe(t.inWriting);
        expect(t.overdue).toBeLessThanOrEqual(t.writtenPending);
        for (const key of KEYS)
          expect(
            r.byField.reduce((n, f) => n + f[key], 0),
            key,
          ).toBe(t[key]);
        const all = Object.values(state.questions);
        expect(t.received + r.withdrawn).toBe(all.length);
        expect(r.questions).toHaveLength(t.received);
      }),
      { numRuns: 200 },
    );
  });

  it('adds up participation and satisfaction', () => {
    fc.assert(
      fc.property(sessions, (steps) => {
        const { state } = run(steps);
        const r = buildReport(state, { today: TODAY });
        const p = r.participation;
        expect(p.byGroup.reduce((n, g) => n + g.participants, 0)).toBe(p.participants);
        expect(p.byGroup.reduce((n, g) => n + g.questions, 0)).toBe(r.totals.received);
        expect(p.bySource.phone + p.bySource.paper).toBe(p.participants);
        expect(Object.values(p.byKind).reduce((a, b) => a + b, 0)).toBe(p.participants);
        expect(r.satisfaction.responses).toBe(state.surveyCount);
        for (const c of r.satisfaction.criteria) {
          expect(c.distribution.reduce((a, b) => a + b, 0)).toBe(c.count);
          if (c.count === 0) expect(c.average).toBeNull();
          else {
            const mean = c.distribution.reduce((s, k, i) => s + k * (i + 1), 0) / c.count;
            expect(c.average).toBe(round2(mean));
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('is the same on the server’s state and on the staff view the panel folds', () => {
    fc.assert(
      fc.property(sessions, (steps) => {
        const { state, log } = run(steps);
        const staff = { audience: 'staff' } as const;
        const server = buildReport(state, { today: TODAY });
        expect(buildReport(projectState(state, staff), { today: TODAY })).toEqual(server);
        // A panel that folded the projected events from the start.
        const panel = log.reduce((s, e) => {
          const p = projectEvent(e, staff);
          return p ? apply(s, p) : s;
        }, emptyState('s1'));
        expect(buildReport(panel, { today: TODAY })).toEqual(server);
        expect(JSON.stringify(server)).not.toMatch(/"authorName":"[^"]*"[^}]*"anonymous":true/);
      }),
      { numRuns: 150 },
    );
  });

  it('lists the follow-up of exactly the questions answered in writing', () => {
    fc.assert(
      fc.property(sessions, (steps) => {
        const { state } = run(steps);
        const items = followUpItems(state, TODAY);
        const r = buildReport(state, { today: TODAY });
        expect(items).toHaveLength(r.totals.inWriting);
        expect(items.filter((i) => i.overdue)).toHaveLength(r.totals.overdue);
        expect(items.filter((i) => i.done)).toHaveLength(r.totals.writtenDone);
        // Overdue first.
        const firstNotOverdue = items.findIndex((i) => !i.overdue);
        if (firstNotOverdue >= 0) expect(items.slice(firstNotOverdue).some((i) => i.overdue)).toBe(false);
      }),
      { numRuns: 100 },
    );
  });
});

describe('numbers and dates', () => {
  it('rounds to 2 decimals, half away from zero', () => {
    expect(round2(10 / 3)).toBe(3.33);
    expect(round2(2.675)).toBe(2.68);
    expect(round2(1.005)).toBe(1.01);
    expect(round2(4.5)).toBe(4.5);
    expect(round2(3.999)).toBe(4);
  });

  it('adds months for "the next session, six months later"', () => {
    expect(addMonths('2020-06-15', 6)).toBe('2020-12-15');
    expect(addMonths('2020-12-15', 6)).toBe('2021-06-15');
    expect(addMonths('2020-08-31', 6)).toBe('2021-02-28');
    expect(addMonths('2023-08-31', 6)).toBe('2024-02-29');
    expect(addMonths('2020-03-10', -3)).toBe('2019-12-10');
  });

  it('counts days between dates', () => {
    expect(daysBetween('2020-06-15', '2020-06-20')).toBe(5);
    expect(daysBetween('2020-12-31', '2021-01-01')).toBe(1);
    expect(daysBetween('2020-06-20', '2020-06-15')).toBe(-5);
  });
});

describe('CSV', () => {
  it('quotes per RFC 4180 and guards against formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=SUM(A1)')).toBe(`'=SUM(A1)`);
    expect(csvCell('+84 912')).toBe(`'+84 912`);
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(3.25)).toBe('3.25');
    expect(csvCell(null)).toBe('');
    expect(csvFile([['a', 1], ['b']])).toBe('\uFEFFa,1\r\nb\r\n');
  });

  it('parses back what it wrote', () => {
    const text = fc
      .string({ unit: fc.constantFrom('a', 'ệ', ',', '"', '\n', '\r', ' ', 'Đ', '1') })
      .filter((s) => !/^[=+\-@\t\r]/.test(s));
    fc.assert(
      fc.property(
        fc.array(fc.array(text, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 8 }),
        (rows) => {
          // A row of one empty cell is written as an empty line, which reads back as one empty cell too.
          expect(parseCsv(csvFile(rows))).toEqual(rows);
        },
      ),
    );
  });
});

describe('the audit describer', () => {
  const L = adminMessages.vi.admin;
  const labels: AuditLabels = {
    type: L.audit.type,
    role: L.role,
    status: L.status,
    kind: L.kind,
    source: L.source,
    mode: L.mode,
    delivery: L.delivery,
    words: L.audit.words,
  };

  it('describes every event of a random session in words, never naming anonymous askers', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 5, maxLength: 40 }), (steps) => {
        const { state, log } = run(steps);
        const describer = new AuditDescriber(labels);
        const rows = log.map((e) => describer.row(projectEvent(e, { audience: 'staff' }) ?? e));
        expect(rows.map((r) => r.seq)).toEqual(log.map((e) => e.seq));
        for (const r of rows) expect(r.typeLabel).not.toBe(r.type);
        for (const q of Object.values(state.questions).filter((x) => x.anonymous && x.authorName)) {
          const own = rows.filter((r) => r.detail.includes(`“${q.text}”`) && r.type.startsWith('question.'));
          for (const r of own) expect(r.detail).not.toContain(q.authorName);
        }
        for (const r of rows.filter((x) => x.role === 'attendee')) expect(r.actorName).toBe('');
      }),
      { numRuns: 50 },
    );
  });

  it('filters by exact type, prefix and role', () => {
    const e = {
      type: 'question.answered',
      seq: 1,
      at: 0,
      actor: { role: 'chair', id: 'x' },
    } as unknown as DomainEvent;
    expect(matchesFilter(e, {})).toBe(true);
    expect(matchesFilter(e, { types: ['question.*'] })).toBe(true);
    expect(matchesFilter(e, { types: ['question.answered', 'hand.raised'] })).toBe(true);
    expect(matchesFilter(e, { types: ['session.*'] })).toBe(false);
    expect(matchesFilter(e, { roles: ['chair'] })).toBe(true);
    expect(matchesFilter(e, { roles: ['admin'] })).toBe(false);
  });
});
