/**
 * Property tests of the core (STYLE.md habit 7): random command sequences from random actors — including refused
 * ones — keep the invariants after every step; the log replays to the live state; no audience's projection leaks;
 * and a phone that folds its projected events onto its projected snapshot sees what a fresh snapshot would show.
 * Failing seeds found while writing this are pinned at the bottom as plain regression tests.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apply, applyAll } from '../../../shared/domain/apply.ts';
import type { DomainEvent } from '../../../shared/domain/events.ts';
import { projectEvent, projectState, type Viewer } from '../../../shared/domain/projection.ts';
import { emptyState } from '../../../shared/domain/state.ts';
import type { Question, SessionState } from '../../../shared/domain/types.ts';
import { ATTENDEE_IDS, PAPER_IDS, nameOf, resolve, scenario, type Scenario } from './arbitraries.ts';
import { SESSION_ID, TestSession } from './fixtures.ts';

const NUM_RUNS = Number(process.env.NUM_RUNS ?? 200);
const AUTHOR_KEYS = ['authorId', 'authorName', 'authorGroup', 'authorOrganisation'] as const;
const PARTICIPANT_IDS: readonly string[] = [...ATTENDEE_IDS, ...PAPER_IDS];
const NAMES = new Map(PARTICIPANT_IDS.map((id) => [nameOf(id), id]));
const VISIBLE = new Set<Question['status']>(['published', 'answered']);

/** A cheap assertion for the hot loops (expect() per node of every view would take minutes). */
function check(ok: boolean, message: () => string): void {
  if (!ok) throw new Error(message());
}
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

const attendeeViewer = (participantId: string): Viewer => ({ audience: 'attendee', participantId });
const VIEWERS: Viewer[] = [
  { audience: 'staff' },
  { audience: 'screen' },
  ...ATTENDEE_IDS.map(attendeeViewer),
];

// ---- invariants of the live state ------------------------------------------------------------------------------

function checkInvariants(s: SessionState): void {
  for (const q of Object.values(s.questions)) {
    const voters = q.voters ?? [];
    check(new Set(voters).size === voters.length, () => `two votes of one participant on ${q.id}: ${voters}`);
    check(q.votes === voters.length, () => `${q.id} has ${q.votes} votes and ${voters.length} voters`);
    for (const v of voters)
      check(s.participants[v] !== undefined, () => `voter ${v} of ${q.id} is no participant`);
    if (q.status === 'answered') check(q.answer?.by !== undefined, () => `answered ${q.id} has no answerer`);
    // A hidden question keeps its answer (see the pinned cases below), so the converse allows `hidden`.
    if (q.answer)
      check(
        q.status === 'answered' || q.status === 'hidden',
        () => `${q.id} has an answer but is ${q.status}`,
      );
  }
  const handIds = s.queue.map((h) => h.id);
  check(new Set(handIds).size === handIds.length, () => `duplicate hand ids in the queue: ${handIds}`);
  check(
    !s.floor || !handIds.includes(s.floor.id),
    () => `hand ${s.floor?.id} is on the floor and in the queue`,
  );
  const owners = s.queue.flatMap((h) => h.participantId ?? []);
  check(new Set(owners).size === owners.length, () => `two waiting hands of one participant: ${owners}`);
  check(
    !s.floor?.participantId || !owners.includes(s.floor.participantId),
    () => 'the speaker also waits in the queue',
  );
  check(s.participantCount === Object.keys(s.participants).length, () => 'participantCount');
  check(s.surveyCount === Object.keys(s.surveys).length, () => 'surveyCount');
  for (const id of Object.keys(s.surveys))
    check(s.participants[id] !== undefined, () => `survey of non-participant ${id}`);
}

// ---- leaks -------------------------------------------------------------------------------------------------------

/** Calls `visit` with the path (a stack: copy it to keep it) and value of every node of a JSON-like value. */
function walk(
  value: unknown,
  visit: (path: readonly string[], value: unknown) => void,
  path: string[] = [],
): void {
  visit(path, value);
  if (typeof value !== 'object' || value === null) return;
  for (const [k, v] of Object.entries(value)) {
    path.push(k);
    walk(v, visit, path);
    path.pop();
  }
}

const HAND_CONTAINERS = new Set(['queue', 'floor', 'hand', 'speech', 'speeches']);

/**
 * What no attendee (viewerId) or screen (undefined) view may hold, anywhere: another participant's id or name
 * (but names on hands and speeches, and — for attendees — authors of published named questions, which
 * checkPublicQuestion narrows down), voters but oneself, staff notes.
 */
function checkPublicView(view: unknown, viewerId: string | undefined, where: string): void {
  walk(view, (path, value) => {
    const key = path.at(-1);
    if (key === 'staffNote') check(false, () => `${where}: staffNote at ${path.join('.')}`);
    if (key === 'voters' && !(value as string[]).every((v) => v === viewerId))
      check(false, () => `${where}: voters ${value} at ${path.join('.')}`);
    if (typeof value !== 'string') return;
    const owner = PARTICIPANT_IDS.includes(value) ? value : NAMES.get(value);
    if (owner === undefined || owner === viewerId) return;
    const onHand = key === 'name' && path.some((p) => HAND_CONTAINERS.has(p));
    const namedAuthor = viewerId !== undefined && (key === 'authorId' || key === 'authorName');
    if (!onHand && !namedAuthor)
      check(false, () => `${where}: ${value} (of another participant) at ${path.join('.')}`);
  });
}

/** A question as a non-author attendee or the screen may see it, given the real one. */
function checkPublicQuestion(
  view: Question,
  real: Question,
  viewerId: string | undefined,
  where: string,
): void {
  if (viewerId !== undefined && real.authorId === viewerId) return;
  const at = `${where}: question ${real.id} (${real.status}${real.anonymous ? ', anonymous' : ''})`;
  if (!VISIBLE.has(real.status)) {
    check(view.text === '', () => `${at} shows its text`);
    check(view.votes === 0 && view.answer === undefined, () => `${at} shows votes or an answer`);
  }
  if (real.anonymous || !VISIBLE.has(real.status) || viewerId === undefined)
    for (const k of AUTHOR_KEYS) check(view[k] === undefined, () => `${at} shows ${k}`);
  check(view.hiddenReason === undefined, () => `${at} shows the reason it was hidden`);
}

function checkStaffQuestion(view: Question, real: Question, where: string): void {
  if (real.anonymous)
    for (const k of AUTHOR_KEYS) check(view[k] === undefined, () => `${where}: ${k} of anonymous ${real.id}`);
  check(view.voters === undefined, () => `${where}: voters of ${real.id}`);
}

/** The question payloads of an event, paired with their projection. */
function questionPairs(real: DomainEvent, view: DomainEvent): Array<[Question, Question]> {
  if (real.type === 'question.approved' && view.type === 'question.approved')
    return view.questions.map((v) => [v, real.questions.find((q) => q.id === v.id) ?? v]);
  if (real.type === 'question.merged' && view.type === 'question.merged')
    return [
      [view.question, real.question],
      [view.into, real.into],
    ];
  if ('question' in real && 'question' in view) return [[view.question, real.question]];
  return [];
}

function checkViews(live: SessionState, events: DomainEvent[], snapshots: Map<Viewer, SessionState>): void {
  for (const viewer of VIEWERS) {
    const me = viewer.participantId;
    const snapshot = snapshots.get(viewer) ?? projectState(live, viewer);
    const views = events.map((e) => [e, projectEvent(e, viewer)] as const);
    if (viewer.audience === 'staff') {
      for (const q of Object.values(snapshot.questions))
        checkStaffQuestion(q, live.questions[q.id] ?? q, 'staff snapshot');
      for (const [e, v] of views) {
        if (!v) continue;
        for (const [view, real] of questionPairs(e, v)) checkStaffQuestion(view, real, `staff ${e.type}`);
        if (v.actor?.role === 'attendee')
          check(v.actor.id === '' && !v.actor.name, () => `staff ${e.type}: attendee actor`);
      }
      continue;
    }
    const who = me ?? 'screen';
    checkPublicView(snapshot, me, `${who} snapshot`);
    check(
      Object.keys(snapshot.participants).every((id) => id === me),
      () => `${who} snapshot: participants`,
    );
    check(
      Object.keys(snapshot.surveys).every((id) => id === me),
      () => `${who} snapshot: surveys`,
    );
    for (const q of Object.values(snapshot.questions))
      checkPublicQuestion(q, live.questions[q.id] ?? q, me, `${who} snapshot`);
    for (const [e, v] of views) {
      if (!v) continue;
      checkPublicView(v, me, `${who} ${e.type}`);
      for (const [view, real] of questionPairs(e, v)) checkPublicQuestion(view, real, me, `${who} ${e.type}`);
    }
  }
}

// ---- phones ------------------------------------------------------------------------------------------------------

/**
 * What a phone shows of the public questions: text, status, votes and its own vote. (The rest of a folded state
 * differs from a fresh snapshot, knowingly: stubs of questions hidden, merged or withdrawn since stay in the map
 * with their status; `seq` stops at the last event the viewer saw; and an attendee's `participantCount` and
 * `surveyCount` do not move, as attendees are not sent other people's joins and forms.)
 */
const shown = (s: SessionState) =>
  Object.values(s.questions)
    .filter((q) => VISIBLE.has(q.status))
    .map((q) => ({ id: q.id, text: q.text, status: q.status, votes: q.votes, mine: q.voters ?? null }))
    .sort((a, b) => a.id.localeCompare(b.id));

interface Phone {
  viewer: Viewer;
  state: SessionState;
}

const syncPhone = (viewer: Viewer, live: SessionState): Phone => ({
  viewer,
  state: projectState(live, viewer),
});

function foldPhone(phone: Phone, events: DomainEvent[]): void {
  for (const e of events) {
    const v = projectEvent(e, phone.viewer);
    if (v) phone.state = apply(phone.state, v);
  }
}

// ---- the run -----------------------------------------------------------------------------------------------------

function runScenario(sc: Scenario): void {
  const s = new TestSession({ moderation: sc.moderation, status: sc.status });
  if (sc.status !== 'draft') for (const id of sc.joined) s.join(id, { name: nameOf(id) });
  checkInvariants(s.state);
  const phones: Phone[] = VIEWERS.filter((v) => v.audience !== 'staff').map((v) => syncPhone(v, s.state));
  const lateAt = Math.min(sc.lateSync, sc.steps.length);
  sc.steps.forEach((generated, i) => {
    if (i === lateAt)
      phones.push(...VIEWERS.filter((v) => v.audience === 'attendee').map((v) => syncPhone(v, s.state)));
    const step = resolve(generated, s.state);
    const before = s.log.length;
    s.run(step.actor, step.draft);
    const events = s.log.slice(before);
    checkInvariants(s.state);
    const snapshots = new Map(VIEWERS.map((v) => [v, projectState(s.state, v)]));
    checkViews(s.state, events, snapshots);
    for (const phone of phones) {
      foldPhone(phone, events);
      const expected = shown(snapshots.get(phone.viewer) ?? projectState(s.state, phone.viewer));
      const actual = shown(phone.state);
      if (!same(actual, expected))
        expect(
          actual,
          `${phone.viewer.participantId ?? 'screen'} after step ${i} (${step.draft.type})`,
        ).toEqual(expected);
    }
  });
  // The log: seqs 1…n without gaps; its fold from an empty state is the live state; and a snapshot stored as JSON
  // at any point plus the rest of the log is the live state too (what the server does on start).
  expect(s.log.map((e) => e.seq)).toEqual(s.log.map((_, i) => i + 1));
  expect(applyAll(emptyState(SESSION_ID), s.log)).toStrictEqual(s.state);
  for (let cut = 1; cut <= s.log.length; cut += 7) {
    const stored = JSON.parse(
      JSON.stringify(applyAll(emptyState(SESSION_ID), s.log.slice(0, cut))),
    ) as SessionState;
    expect(applyAll(stored, s.log.slice(cut))).toEqual(s.state);
  }
}

describe('random command sequences', () => {
  it('keep the invariants, replay to the live state, leak nothing, and keep phones right', () => {
    fc.assert(
      fc.property(scenario, (sc) => {
        runScenario(sc);
      }),
      { numRuns: NUM_RUNS, ...(process.env.SEED ? { seed: Number(process.env.SEED) } : {}) },
    );
  });
});

/**
 * Counterexamples the property found, shrunk, kept as plain cases (robust to changes of the arbitraries, unlike a
 * pinned seed and path).
 */
describe('pinned counterexamples', () => {
  const chair = { role: 'chair', id: 'u-chair', name: 'Chủ tịch Nguyễn Văn Chủ' } as const;
  const admin = { role: 'admin', id: 'u-admin', name: 'Văn phòng UBND' } as const;

  it('hand.add with the id of the hand on the floor put one hand on the floor and in the queue (seed 716030917)', () => {
    runScenario({
      moderation: 'open',
      status: 'live',
      joined: [],
      steps: [
        { actor: chair, draft: { type: 'hand.add', name: 'Đại biểu khách mời', handId: 'h-1' } },
        { actor: chair, draft: { type: 'speaker.give_floor', handId: 'pick-h-0' } },
        { actor: chair, draft: { type: 'hand.add', name: 'Đại biểu khách mời', handId: 'h-1' } },
      ],
      lateSync: 0,
    });
  });

  it('the screen showed the author of a named question (seed 649617426)', () => {
    runScenario({
      moderation: 'open',
      status: 'collecting',
      joined: [],
      steps: [
        {
          actor: admin,
          draft: {
            type: 'paper_form.enter',
            participantId: 'paper-1',
            name: nameOf('paper-1'),
            questions: [{ questionId: 'q-1', text: 'Câu hỏi số 0', anonymous: false }],
          },
        },
      ],
      lateSync: 0,
    });
  });

  it('hiding an answered question keeps its answer, and un-hiding restores it as answered', () => {
    const s = new TestSession({ moderation: 'open' });
    const p = s.join('att-1');
    s.ok(p, { type: 'question.submit', questionId: 'q-1', text: 'Câu hỏi' });
    s.ok(chair, { type: 'question.answer', questionId: 'q-1', mode: 'live' });
    s.ok(chair, { type: 'question.hide', questionId: 'q-1', reason: 'Thông tin cá nhân' });
    expect(s.question('q-1')).toMatchObject({
      status: 'hidden',
      answer: { mode: 'live', by: { id: 'u-chair' } },
    });
    // Un-hiding restores what it was; a second reopen takes the answer back.
    s.ok(chair, { type: 'question.reopen', questionId: 'q-1' });
    expect(s.question('q-1')).toMatchObject({ status: 'answered', answer: { mode: 'live' } });
    s.ok(chair, { type: 'question.reopen', questionId: 'q-1' });
    expect(s.question('q-1').status).toBe('published');
    expect(s.question('q-1').answer).toBeUndefined();
  });
});
