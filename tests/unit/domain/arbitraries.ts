/**
 * fast-check arbitraries for the property tests: random commands from random actors. New things get ids from small
 * pools (so ids collide now and then); commands on existing things name them with a pick token (`pick-q-3`: the
 * 3rd question, modulo how many there are) resolved against the live state when the step runs, so that most of them
 * hit something real and the sequences reach deep states (answered, merged, on the floor). Some picks miss on
 * purpose, and most steps come from a role the permission table allows, some from anyone: many are refused.
 */
import fc from 'fast-check';
import type { CommandType } from '../../../shared/domain/commands.ts';
import { PERMISSIONS } from '../../../shared/domain/permissions.ts';
import type { Actor, SessionState } from '../../../shared/domain/types.ts';
import { ADMIN, CHAIR, OFFICIAL, SCREEN, SECRETARY, VICE_CHAIR, attendee, type Draft } from './fixtures.ts';

export const ATTENDEE_IDS = ['att-1', 'att-2', 'att-3', 'att-4', 'att-5'] as const;
export const PAPER_IDS = ['paper-1', 'paper-2'] as const;
export const nameOf = (id: string) => `Tên ${id}`;
const QUESTION_IDS = Array.from({ length: 12 }, (_, i) => `q-${i + 1}`);
const HAND_IDS = ['h-1', 'h-2', 'h-3', 'h-4', 'h-5', 'h-6'];
const FIELD_IDS = ['dia-chinh', 'tu-phap', 'do-thi', 'old-field', 'nope'];
const OFFICIAL_IDS = ['o-dc', 'o-tp', 'nope'];
const CRITERIA = ['procedures', 'official', 'result', 'feedback', 'nope'];

const ATTENDEES: Actor[] = ATTENDEE_IDS.map((id) => attendee(id, nameOf(id)));
const ACTORS: Actor[] = [ADMIN, CHAIR, VICE_CHAIR, OFFICIAL, SECRETARY, SCREEN, ...ATTENDEES];

export interface Step {
  actor: Actor;
  draft: Draft;
}

/** A fresh question id from the pool (a taken one now and then). */
const newQid = fc.constantFrom(...QUESTION_IDS);
const newHid = fc.constantFrom(...HAND_IDS);
/** An existing question: any, one awaiting review, or one of the actor's own; a miss one time in ten. */
const pick = (kind: 'q' | 'pending' | 'own' | 'h' | 'ownh') =>
  fc.oneof(
    { arbitrary: fc.nat(20).map((n) => `pick-${kind}-${n}`), weight: 9 },
    { arbitrary: fc.constant('nope'), weight: 1 },
  );
const qid = pick('q');
const hid = pick('h');
const fieldId = fc.option(
  fc.oneof(
    { arbitrary: fc.constantFrom(...FIELD_IDS.slice(0, 3)), weight: 8 },
    { arbitrary: fc.constantFrom(...FIELD_IDS.slice(3)), weight: 1 },
  ),
  { nil: undefined },
);
const text = fc.nat(999).map((n) => `Câu hỏi số ${n}`);
const group = fc.option(fc.integer({ min: 1, max: 25 }), { nil: undefined });
const scores = fc
  .uniqueArray(fc.constantFrom(...CRITERIA), { maxLength: 3 })
  .chain((ids) =>
    fc
      .tuple(...ids.map(() => fc.integer({ min: 1, max: 5 })))
      .map((v) => Object.fromEntries(ids.map((id, i) => [id, v[i]]))),
  );
/** Drafts are checked at run time by the zod schema (TestSession.command); here they are plain objects. */
const d = (draft: Record<string, unknown>): Draft => draft as unknown as Draft;
const defined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** Commands by type, each a draft with random arguments from the pools. */
const drafts: { [T in CommandType]: fc.Arbitrary<Draft> } = {
  'session.update': fc
    .record({
      moderation: fc.option(fc.constantFrom('open' as const, 'review' as const), { nil: undefined }),
      groups: fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
    })
    .map((r) => d({ type: 'session.update', ...defined(r) })),
  'session.set_status': fc
    .constantFrom('draft', 'collecting', 'live', 'closed' as const)
    .map((status) => d({ type: 'session.set_status', status })),
  'session.set_join_code': fc
    .constantFrom('ABCD12', 'ZZZZ99')
    .map((joinCode) => d({ type: 'session.set_join_code', joinCode })),
  'agenda.set': fc
    .uniqueArray(fc.constantFrom('a1', 'a2', 'b1'), { minLength: 1 })
    .map((ids) => d({ type: 'agenda.set', items: ids.map((id) => ({ id, title: `Mục ${id}` })) })),
  'agenda.start': fc
    .constantFrom('a1', 'a2', 'a3', 'b1')
    .map((itemId) => d({ type: 'agenda.start', itemId })),
  'field.upsert': fc
    .record({ id: fc.constantFrom('do-thi', 'moi'), retired: fc.boolean() })
    .map(({ id, retired }) =>
      d({ type: 'field.upsert', field: { id, name: `Lĩnh vực ${id}`, ...(retired ? { retired } : {}) } }),
    ),
  'official.upsert': fc.constantFrom('dia-chinh', 'nope').map((f) =>
    d({
      type: 'official.upsert',
      official: { id: 'o-new', name: 'Cán bộ mới', title: 'Công chức', fieldIds: [f] },
    }),
  ),
  // participantId is set from the actor in `steps` (most of the time).
  'participant.join': fc
    .record({ named: fc.boolean(), group })
    .map(({ group: g }) =>
      d({ type: 'participant.join', participantId: 'x', ...(g !== undefined ? { group: g } : {}) }),
    ),
  'participant.update': fc
    .record({
      organisation: fc.option(fc.constantFrom('Công ty A', 'HTX B'), { nil: undefined }),
      group: fc.option(fc.integer({ min: 1, max: 25 }), { nil: null }),
    })
    .map((r) => d({ type: 'participant.update', ...defined(r) })),
  'question.submit': fc
    .record({ questionId: newQid, text, fieldId, anonymous: fc.boolean() })
    .map((r) => d({ type: 'question.submit', ...defined(r) })),
  'question.edit': fc
    .record({
      questionId: pick('own'),
      text,
      fieldId,
      anonymous: fc.option(fc.boolean(), { nil: undefined }),
    })
    .map((r) => d({ type: 'question.edit', ...defined(r) })),
  'question.withdraw': pick('own').map((questionId) => d({ type: 'question.withdraw', questionId })),
  'question.vote': fc
    .record({ questionId: qid, value: fc.boolean() })
    .map((r) => d({ type: 'question.vote', ...r })),
  'question.approve': fc
    .uniqueArray(fc.oneof({ arbitrary: pick('pending'), weight: 4 }, qid), { minLength: 1, maxLength: 3 })
    .map((questionIds) => d({ type: 'question.approve', questionIds })),
  'question.hide': qid.map((questionId) => d({ type: 'question.hide', questionId, reason: 'Không phù hợp' })),
  // Mostly two different questions (neighbours in the pick order), sometimes any two.
  'question.merge': fc.oneof(
    {
      arbitrary: fc
        .tuple(fc.nat(20), fc.nat(2))
        .map(([n, k]) =>
          d({ type: 'question.merge', questionId: `pick-q-${n}`, intoId: `pick-q-${n + 1 + k}` }),
        ),
      weight: 4,
    },
    fc.record({ questionId: qid, intoId: qid }).map((r) => d({ type: 'question.merge', ...r })),
  ),
  'question.assign': fc
    .record({
      questionId: qid,
      fieldId: fc.option(fc.constantFrom(...FIELD_IDS), { nil: null }),
      officialId: fc.option(fc.constantFrom(...OFFICIAL_IDS), { nil: null }),
    })
    .map((r) => d({ type: 'question.assign', ...r })),
  'question.answer': fc
    .record({
      questionId: qid,
      mode: fc.constantFrom('live' as const, 'writing' as const, 'upward' as const, 'outside' as const),
      dated: fc.boolean(),
    })
    .map(({ questionId, mode, dated }) =>
      d({
        type: 'question.answer',
        questionId,
        mode,
        note: 'Đã trả lời',
        ...(dated ? { dueDate: '2030-07-01', authority: 'UBND tỉnh', reason: 'Thẩm quyền của tỉnh' } : {}),
      }),
    ),
  'question.answer_bulk': fc
    .record({
      questionIds: fc.uniqueArray(qid, { minLength: 1, maxLength: 3 }),
      mode: fc.constantFrom('writing' as const, 'upward' as const, 'outside' as const),
      answeredBy: fc.option(fc.constantFrom(...OFFICIAL_IDS), { nil: undefined }),
    })
    .map((r) =>
      d({
        type: 'question.answer_bulk',
        ...defined(r),
        dueDate: '2030-07-01',
        authority: 'Bộ Tư pháp',
        reason: 'Ngoài thẩm quyền',
      }),
    ),
  'question.answer_written': qid.map((questionId) =>
    d({ type: 'question.answer_written', questionId, text: 'Văn bản trả lời' }),
  ),
  'question.reply_issue': qid.map((questionId) =>
    d({
      type: 'question.reply_issue',
      questionIds: [questionId],
      number: '12/UBND',
      date: '2030-07-02',
      signedBy: 'o-dc',
    }),
  ),
  'question.delivery_record': qid.map((questionId) =>
    d({ type: 'question.delivery_record', questionIds: [questionId], method: 'group', date: '2030-07-03' }),
  ),
  'question.reopen': qid.map((questionId) => d({ type: 'question.reopen', questionId })),
  'question.highlight': fc
    .option(qid, { nil: null })
    .map((questionId) => d({ type: 'question.highlight', questionId })),
  'question.note': fc
    .record({ questionId: qid, note: fc.constantFrom('', 'Ghi chú nội bộ') })
    .map((r) => d({ type: 'question.note', ...r })),
  'hand.raise': fc
    .record({
      handId: newHid,
      topic: fc.option(fc.constantFrom('Đèn đường', 'Rác'), { nil: undefined }),
      fieldId,
    })
    .map((r) => d({ type: 'hand.raise', ...defined(r) })),
  'hand.lower': fc
    .oneof({ arbitrary: pick('ownh'), weight: 3 }, hid)
    .map((handId) => d({ type: 'hand.lower', handId })),
  'hand.add': fc
    .record({ handId: newHid, group })
    .map((r) => d({ type: 'hand.add', name: 'Đại biểu khách mời', ...defined(r) })),
  'hand.remove': hid.map((handId) => d({ type: 'hand.remove', handId })),
  'hand.move': fc.record({ handId: hid, toIndex: fc.nat(6) }).map((r) => d({ type: 'hand.move', ...r })),
  'queue.set_first_time_first': fc
    .boolean()
    .map((enabled) => d({ type: 'queue.set_first_time_first', enabled })),
  'speaker.give_floor': hid.map((handId) => d({ type: 'speaker.give_floor', handId })),
  'speaker.end': fc.constant(d({ type: 'speaker.end' })),
  'speaker.set_time': fc
    .integer({ min: 10, max: 600 })
    .map((durationSec) => d({ type: 'speaker.set_time', durationSec })),
  // Hands of the pool that had the floor are ended speeches; the others miss (not_found).
  'speech.record_opinions': fc
    .record({ handId: newHid, questionId: newQid, text, fieldId })
    .map(({ handId, ...opinion }) =>
      d({ type: 'speech.record_opinions', handId, opinions: [defined(opinion)] }),
    ),
  'survey.submit': fc
    .record({ answers: scores, comment: fc.option(fc.constant('Ý kiến'), { nil: undefined }) })
    .map((r) => d({ type: 'survey.submit', ...defined(r) })),
  'paper_form.enter': fc
    .record({
      participantId: fc.constantFrom(...PAPER_IDS, 'att-1'),
      named: fc.boolean(),
      group,
      questions: fc.uniqueArray(fc.record({ questionId: newQid, text, fieldId, anonymous: fc.boolean() }), {
        maxLength: 2,
        selector: (q) => q.questionId,
      }),
      answers: fc.option(scores, { nil: undefined }),
    })
    .map(({ named, questions, ...r }) =>
      d({
        type: 'paper_form.enter',
        ...defined(r),
        ...(named ? { name: nameOf(r.participantId) } : {}),
        questions: questions.map((q) => defined(q)),
      }),
    ),
  'paper_form.correct': fc
    .record({
      participantId: fc.constantFrom(...PAPER_IDS, 'att-1'),
      named: fc.boolean(),
      group,
      questions: fc.uniqueArray(fc.record({ questionId: qid, text, fieldId, anonymous: fc.boolean() }), {
        maxLength: 2,
        selector: (q) => q.questionId,
      }),
      answers: fc.option(scores, { nil: undefined }),
    })
    .map(({ named, questions, ...r }) =>
      d({
        type: 'paper_form.correct',
        ...defined(r),
        ...(named ? { name: `${nameOf(r.participantId)} (sửa)` } : {}),
        questions: questions.map((q) => defined(q)),
      }),
    ),
  'paper_form.remove': fc
    .constantFrom(...PAPER_IDS, 'att-1')
    .map((participantId) => d({ type: 'paper_form.remove', participantId })),
  'paper_form.set_issued': fc
    .array(fc.record({ group: fc.integer({ min: 1, max: 25 }), count: fc.integer({ min: 0, max: 40 }) }), {
      maxLength: 3,
    })
    .map((groups) => d({ type: 'paper_form.set_issued', groups, organisations: [] })),
  'minutes.approve': fc.constant(d({ type: 'minutes.approve', hash: 'a'.repeat(64) })),
  'report.add_pages': fc.constantFrom('rf-1', 'rf-2').map((fileId) =>
    d({
      type: 'report.add_pages',
      pages: [1, 2].map((page) => ({
        id: `${fileId}-${page}`,
        fileId,
        name: 'bao-cao.pdf',
        mime: 'application/pdf',
        page,
      })),
    }),
  ),
  'report.remove_file': fc
    .constantFrom('rf-1', 'rf-2')
    .map((fileId) => d({ type: 'report.remove_file', fileId })),
  'report.show_page': fc
    .constantFrom(null, 'rf-1-1', 'rf-1-2', 'rf-2-1')
    .map((pageId) => d({ type: 'report.show_page', pageId })),
};

/** How often each kind of command comes up: the busy ones of a real meeting more often. */
const WEIGHTS: Partial<Record<CommandType, number>> = {
  'participant.join': 8,
  'question.submit': 8,
  'question.vote': 8,
  'question.approve': 5,
  'question.answer': 4,
  'question.edit': 3,
  'hand.raise': 5,
  'speaker.give_floor': 4,
  'session.set_status': 1,
  'session.update': 1,
  'minutes.approve': 1,
};

function actorFor(type: CommandType): fc.Arbitrary<Actor> {
  const allowed = ACTORS.filter((a) => PERMISSIONS[type].includes(a.role));
  return fc.oneof(
    { arbitrary: fc.constantFrom(...allowed), weight: 9 },
    { arbitrary: fc.constantFrom(...ACTORS), weight: 1 },
  );
}

export const step: fc.Arbitrary<Step> = fc.oneof(
  ...(Object.keys(drafts) as CommandType[]).map((type) => ({
    weight: WEIGHTS[type] ?? 2,
    arbitrary: fc.tuple(actorFor(type), drafts[type], fc.nat(9)).map(([actor, draft, dice]): Step => {
      if (draft.type !== 'participant.join') return { actor, draft };
      // Join as oneself, with one's name, mostly; now and then as someone else (refused).
      const participantId = dice === 0 || actor.role !== 'attendee' ? 'att-1' : actor.id;
      return {
        actor,
        draft: { ...draft, participantId, ...(dice % 2 === 1 ? { name: nameOf(actor.id) } : {}) },
      };
    }),
  })),
);

/**
 * The step with its pick tokens replaced by ids of the live state: `q` any question, `pending` one awaiting review,
 * `own` one of the actor's questions, `h` a hand in the queue (or on the floor), `ownh` the actor's waiting hand.
 * A pick with nothing to pick from becomes an unknown id.
 */
export function resolve(step: Step, state: SessionState): Step {
  const questions = Object.values(state.questions);
  const hands = [...state.queue, ...(state.floor ? [state.floor] : [])];
  const pools: Record<string, string[]> = {
    q: questions.map((q) => q.id),
    pending: questions.filter((q) => q.status === 'pending').map((q) => q.id),
    own: questions.filter((q) => q.authorId === step.actor.id).map((q) => q.id),
    h: hands.map((h) => h.id),
    ownh: state.queue.filter((h) => h.participantId === step.actor.id).map((h) => h.id),
  };
  const replace = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const m = /^pick-(q|pending|own|h|ownh)-(\d+)$/.exec(value);
      if (!m) return value;
      const pool = pools[m[1] ?? ''] ?? [];
      return pool.length > 0 ? pool[Number(m[2]) % pool.length] : 'missing';
    }
    if (Array.isArray(value)) return value.map(replace);
    if (typeof value === 'object' && value !== null)
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replace(v)]));
    return value;
  };
  return { actor: step.actor, draft: replace(step.draft) as Draft };
}

export const scenario = fc.record({
  moderation: fc.constantFrom('open' as const, 'review' as const),
  status: fc.oneof(
    { arbitrary: fc.constant('draft' as const), weight: 1 },
    { arbitrary: fc.constant('collecting' as const), weight: 2 },
    { arbitrary: fc.constant('live' as const), weight: 5 },
  ),
  /** Attendees who joined before the first step (when the session is open). */
  joined: fc.subarray([...ATTENDEE_IDS]),
  steps: fc.array(step, { maxLength: 60, size: 'max' }),
  /** After which step a late phone syncs from a snapshot (clamped to the number of steps). */
  lateSync: fc.nat(60),
});
export type Scenario = typeof scenario extends fc.Arbitrary<infer S> ? S : never;
