/**
 * decide(state, command, actor, now) → the events the command causes, or a typed error. Pure: no I/O, no clock
 * (`now` is passed in), no randomness (new ids come in the command).
 */
import type { Command, CommandOf, CommandType } from './commands.ts';
import { fail, type DomainError } from './errors.ts';
import type { EventType, NewDomainEvent } from './events.ts';
import { LIMITS } from './limits.ts';
import { ANSWERING, isResponsible, may } from './permissions.ts';
import { isShowable } from './apply.ts';
import { own } from './records.ts';
import { answererName, phonesJoined } from './state.ts';
import type {
  Actor,
  ActorRef,
  Answer,
  Answerer,
  Hand,
  PaperFormRecord,
  Participant,
  Question,
  SessionState,
  SessionStatus,
  WrittenAnswer,
} from './types.ts';

export type Decision = { ok: true; events: NewDomainEvent[] } | { ok: false; error: DomainError };

interface Ctx {
  state: SessionState;
  actor: Actor;
  now: number;
  by: ActorRef;
}

type Handler<T extends CommandType> = (c: CommandOf<T>, ctx: Ctx) => Decision;

const ok = (...events: NewDomainEvent[]): Decision => ({ ok: true, events });
const no = (...args: Parameters<typeof fail>): Decision => ({ ok: false, error: fail(...args) });

/**
 * What a closed session still accepts: the office's work after the meeting. The record of the meeting itself — who
 * came, what was asked, said and voted, what was answered there — no longer changes; every other command is refused
 * with `session_closed` before its handler runs.
 * - Paper forms: forms the Front (UBMTTQ) and the mass organisations collect come in after the meeting; a form
 *   is corrected or removed, and the count of forms handed out is set, whenever the office finds the need. The
 *   approved minutes are sealed text and do not follow (docs/architecture.md, "Paper forms"); the report does.
 * - Follow-up of the opinions still open (late forms' questions among them): approve, hide, merge, assign, note;
 *   an outcome other than "answered at the meeting" (question.answer refuses mode `live`), one by one or in bulk;
 *   the written answer, its letter (question.reply_issue) and its delivery (question.delivery_record);
 * - Spoken opinions: the secretary writes up what speakers said from the notes of the meeting.
 *   question.reopen of a hidden question or of an outcome not yet carried out (not of one answered at the meeting).
 *   Hiding refuses questions already answered.
 * - Minutes: the chairman approves them after the meeting (minutes.approve).
 * - Decided by their own handlers: session.set_status (a closed session goes nowhere: `invalid_transition`) and
 *   participant.join (a device that joined before gets `duplicate`, so its retried join still finds its identity;
 *   a new one gets `session_closed`).
 * Refused, among others: participant.update, question.submit / edit / withdraw / vote, survey.submit, the speaker
 * queue, agenda and session settings, fields and officials.
 */
export const AFTER_MEETING: ReadonlySet<CommandType> = new Set<CommandType>([
  'paper_form.enter',
  'paper_form.correct',
  'paper_form.remove',
  'paper_form.set_issued',
  'question.approve',
  'question.hide',
  'question.merge',
  'question.assign',
  'question.note',
  'question.answer',
  'question.answer_bulk',
  'question.answer_written',
  'question.reply_issue',
  'question.delivery_record',
  'question.reopen',
  'speech.record_opinions',
  'minutes.approve',
  'session.set_status',
  'participant.join',
]);

export function decide(state: SessionState, command: Command, actor: Actor, now: number): Decision {
  if (!may(actor.role, command.type)) return no('forbidden', `${actor.role} may not ${command.type}`);
  if (state.seq === 0) return no('not_found', 'no such session');
  if (state.status === 'closed' && !AFTER_MEETING.has(command.type))
    return no('session_closed', 'the session is closed');
  const by: ActorRef = actor.name
    ? { role: actor.role, id: actor.id, name: actor.name }
    : { role: actor.role, id: actor.id };
  const handler = handlers[command.type] as Handler<CommandType>;
  return handler(command, { state, actor, now, by });
}

/** Builds an event stamped with the time and the actor of the command. */
const ev = <T extends EventType>(
  ctx: Ctx,
  e: Omit<Extract<NewDomainEvent, { type: T }>, 'at' | 'actor'> & { type: T },
): NewDomainEvent => ({ ...e, at: ctx.now, actor: ctx.by }) as unknown as NewDomainEvent;

// ---- guards -------------------------------------------------------------------------------------------------

const OPEN: readonly SessionStatus[] = ['collecting', 'live'];
function requireOpen(state: SessionState): Decision | null {
  if (state.status === 'closed') return no('session_closed', 'the session is closed');
  if (!OPEN.includes(state.status)) return no('session_not_open', 'the session is not open yet');
  return null;
}
function requireLive(state: SessionState): Decision | null {
  if (state.status === 'closed') return no('session_closed', 'the session is closed');
  if (state.status !== 'live') return no('session_not_live', 'the meeting has not started');
  return null;
}
function requireField(state: SessionState, fieldId: string | undefined | null): Decision | null {
  if (fieldId == null) return null;
  const field = state.fields.find((f) => f.id === fieldId);
  return field && !field.retired ? null : no('unknown_field', `unknown field ${fieldId}`, { fieldId });
}
function findQuestion(state: SessionState, id: string): Question | DomainError {
  return own(state.questions, id) ?? fail('not_found', `no question ${id}`, { questionId: id });
}
/** The acting attendee's participant record. A paper form's author has no phone: nobody acts as them. */
function me(ctx: Ctx): Participant | undefined {
  const p = own(ctx.state.participants, ctx.actor.id);
  return p?.source === 'paper' ? undefined : p;
}
function authorOnly(q: Question, ctx: Ctx): Decision | null {
  if (q.authorId !== ctx.actor.id) return no('not_author', 'only the author may change this question');
  if (q.status === 'answered') return alreadyAnswered(q);
  if (q.status !== 'pending' && q.status !== 'published')
    return no('invalid_state', `the question is ${q.status}`, { status: q.status });
  return null;
}
const alreadyAnswered = (q: Question): Decision => {
  const by = q.answer ? answererName(q.answer) : 'someone';
  return no('already_answered', `already answered by ${by}`, { by });
};
/** Officials act on the answers of their own questions only (permissions.ts isResponsible). */
function responsible(q: Question, ctx: Ctx, type: CommandType): Decision | null {
  if (!ANSWERING.includes(type) || isResponsible(ctx.actor, q, ctx.state.officials)) return null;
  return no('not_responsible', 'this question is not of your fields nor assigned to you', {
    questionId: q.id,
  });
}

const answererOf = (o: { id: string; name: string; title: string }): Answerer => ({
  officialId: o.id,
  name: o.name,
  ...(o.title ? { title: o.title } : {}),
});

/** The first serving official of the field a question counts under (assigned field, else the field asked in). */
export function fieldOfficial(state: SessionState, q: Question): Answerer | undefined {
  const field = q.assignedFieldId ?? q.fieldId;
  const o =
    field === undefined ? undefined : state.officials.find((x) => !x.retired && x.fieldIds.includes(field));
  return o ? answererOf(o) : undefined;
}

/**
 * Who answered: the official named, else the one the question is assigned to, else (`byField`, the closing's bulk
 * outcome) the field's first official, else the recorder's own official record. A secretary or the office records
 * for someone else, so one of those must exist; a leader or official without an official record answered
 * themselves (no answerer: `by` is who answered).
 */
function whoAnswered(
  q: Question,
  ctx: Ctx,
  named: string | undefined,
  byField = false,
): Answerer | undefined | DomainError {
  const officials = ctx.state.officials;
  if (named !== undefined) {
    const o = officials.find((x) => x.id === named && !x.retired);
    return o ? answererOf(o) : fail('unknown_official', `unknown official ${named}`, { officialId: named });
  }
  const assignee = officials.find((x) => x.id === q.assignedOfficialId);
  if (assignee) return answererOf(assignee);
  const ofField = byField ? fieldOfficial(ctx.state, q) : undefined;
  if (ofField) return ofField;
  const self = officials.find((x) => x.userId !== undefined && x.userId === ctx.actor.id && !x.retired);
  if (self) return answererOf(self);
  if (ctx.actor.role === 'secretary' || ctx.actor.role === 'admin')
    return fail('answerer_required', 'name the official who answered', {
      field: 'answeredBy',
      questionId: q.id,
    });
  return undefined;
}

/** The questions named, each with its written reply: a letter or a delivery needs the reply's text first. */
function writtenReplies(
  state: SessionState,
  ids: readonly string[],
): Array<{ q: Question; answer: Answer; written: WrittenAnswer }> | DomainError {
  const out: Array<{ q: Question; answer: Answer; written: WrittenAnswer }> = [];
  for (const id of new Set(ids)) {
    const q = findQuestion(state, id);
    if (isErr(q)) return q;
    const answer = q.answer;
    if (q.status !== 'answered' || answer?.mode !== 'writing' || !answer.written)
      return fail('invalid_state', 'this question has no written reply yet', { questionId: id });
    out.push({ q, answer, written: answer.written });
  }
  return out;
}

interface OutcomeInput {
  mode: Answer['mode'];
  note: string;
  dueDate?: string | undefined;
  authority?: string | undefined;
  reason?: string | undefined;
}

/** What each outcome needs besides its mode: a due date, the authority, the reason. */
function checkOutcome(c: OutcomeInput): Decision | null {
  if (c.mode === 'writing' && !c.dueDate)
    return no('due_date_required', 'a written answer needs a due date', { field: 'dueDate' });
  if (c.mode === 'upward' && !c.authority)
    return no('authority_required', 'name the authority recommended to', { field: 'authority' });
  if (c.mode === 'outside' && !c.reason)
    return no('reason_required', 'say why it is outside the ward’s remit', { field: 'reason' });
  return null;
}

/** The answer an outcome records: who answered apart from who recorded it, and only the details of its mode. */
const answerOf = (c: OutcomeInput, ctx: Ctx, answerer: Answerer | undefined): Answer => ({
  mode: c.mode,
  note: c.note,
  by: ctx.by,
  ...(answerer ? { answerer } : {}),
  at: ctx.now,
  ...(c.mode === 'writing' && c.dueDate ? { dueDate: c.dueDate } : {}),
  ...(c.mode === 'upward' && c.authority ? { authority: c.authority } : {}),
  ...(c.mode === 'outside' && c.reason ? { reason: c.reason } : {}),
});

/** A question that may get an outcome: open (pending or published). */
function requireUnanswered(q: Question): Decision | null {
  if (q.status === 'answered') return alreadyAnswered(q);
  if (q.status !== 'pending' && q.status !== 'published')
    return no('invalid_state', `the question is ${q.status}`, { status: q.status, questionId: q.id });
  return null;
}

const isErr = (x: unknown): x is DomainError => typeof x === 'object' && x !== null && 'code' in x;

const TRANSITIONS: Record<SessionStatus, readonly SessionStatus[]> = {
  draft: ['collecting', 'live'],
  collecting: ['live'],
  live: ['closed'],
  closed: [],
};

function newQuestion(
  ctx: Ctx,
  author: Participant,
  input: { questionId: string; text: string; fieldId?: string; anonymous: boolean },
  source: Question['source'],
): Question {
  const { state, now } = ctx;
  return {
    id: input.questionId,
    authorId: author.id,
    ...(author.name !== undefined ? { authorName: author.name } : {}),
    ...(author.group !== undefined ? { authorGroup: author.group } : {}),
    ...(author.organisation !== undefined ? { authorOrganisation: author.organisation } : {}),
    anonymous: input.anonymous,
    text: input.text,
    ...(input.fieldId !== undefined ? { fieldId: input.fieldId } : {}),
    source,
    status: state.moderation === 'open' ? 'published' : 'pending',
    preMeeting: state.status === 'collecting',
    createdAt: now,
    updatedAt: now,
    votes: 0,
    voters: [],
  };
}

function checkScores(state: SessionState, answers: Record<string, number>): Decision | null {
  const known = new Set(state.criteria.map((c) => c.id));
  const unknown = Object.keys(answers).find((id) => !known.has(id));
  if (unknown !== undefined)
    return no('unknown_criterion', `unknown criterion ${unknown}`, { criterionId: unknown });
  if (Object.keys(answers).length === 0) return no('bad_request', 'answer at least one criterion');
  return null;
}

function surveyEvent(
  ctx: Ctx,
  participantId: string,
  answers: Record<string, number>,
  words: { comment?: string | undefined; procedure?: string | undefined },
  source: 'phone' | 'paper',
): NewDomainEvent {
  const isNew = !own(ctx.state.surveys, participantId);
  const { comment, procedure } = words;
  return ev(ctx, {
    type: 'survey.submitted',
    response: {
      participantId,
      answers,
      ...(comment ? { comment } : {}),
      ...(procedure ? { procedure } : {}),
      source,
      at: ctx.now,
    },
    surveyCount: ctx.state.surveyCount + (isNew ? 1 : 0),
  });
}

/** Where a new hand goes: at the end, or after the last first-time speaker when they go first. */
function queueIndex(state: SessionState, firstTime: boolean): number {
  if (!state.firstTimeFirst || !firstTime) return state.queue.length;
  let index = 0;
  state.queue.forEach((h, i) => {
    if (h.firstTime) index = i + 1;
  });
  return index;
}

function endSpeech(ctx: Ctx): NewDomainEvent[] {
  const f = ctx.state.floor;
  if (!f) return [];
  return [
    ev(ctx, {
      type: 'speaker.speech_ended',
      speech: {
        handId: f.id,
        ...(f.name !== undefined ? { name: f.name } : {}),
        ...(f.group !== undefined ? { group: f.group } : {}),
        ...(f.topic !== undefined ? { topic: f.topic } : {}),
        ...(f.fieldId !== undefined ? { fieldId: f.fieldId } : {}),
        startedAt: f.startedAt,
        endedAt: ctx.now,
      },
    }),
  ];
}

// ---- paper forms ------------------------------------------------------------------------------------------

type PaperInput = CommandOf<'paper_form.enter'> | CommandOf<'paper_form.correct'>;

function paperParticipant(c: PaperInput, joinedAt: number): Participant {
  return {
    id: c.participantId,
    ...(c.name ? { name: c.name } : {}),
    ...(c.group !== undefined ? { group: c.group } : {}),
    ...(c.organisation ? { organisation: c.organisation } : {}),
    kind: c.kind,
    source: 'paper',
    joinedAt,
  };
}

/** What a form may hold; `mine`: the questions already on it (their ids are the form's own). */
function checkForm(state: SessionState, c: PaperInput, mine: readonly Question[]): Decision | null {
  if (c.group !== undefined && c.group > state.groups)
    return no('bad_request', `there are ${state.groups} residential groups`, {
      groups: state.groups,
      field: 'group',
    });
  if (c.questions.length === 0 && !c.answers)
    return no('bad_request', 'the form has no question and no scores', { field: 'questions' });
  if (new Set(c.questions.map((q) => q.questionId)).size !== c.questions.length)
    return no('bad_request', 'question ids must be unique', { field: 'questions' });
  for (const [i, q] of c.questions.entries()) {
    const guard = requireField(state, q.fieldId);
    if (guard) return withField(guard, `questions.${i}.fieldId`);
    if (own(state.questions, q.questionId) && !mine.some((x) => x.id === q.questionId))
      return no('duplicate', 'this question id is taken', { field: `questions.${i}` });
  }
  const scores = c.answers ? checkScores(state, c.answers) : null;
  return scores ? withField(scores, 'answers') : null;
}

const withField = (d: Decision, field: string): Decision =>
  d.ok ? d : { ok: false, error: { ...d.error, params: { ...d.error.params, field } } };

/** The paper form a participant's entry made, as it stands. */
function paperForm(state: SessionState, participantId: string): PaperFormRecord | DomainError {
  const participant = own(state.participants, participantId);
  if (!participant || participant.source !== 'paper')
    return fail('not_found', `no paper form ${participantId}`, { field: 'participantId' });
  const survey = own(state.surveys, participantId);
  return {
    participant,
    questions: Object.values(state.questions).filter(
      (q) => q.authorId === participantId && q.source === 'paper',
    ),
    ...(survey ? { survey } : {}),
  };
}

/**
 * Opinions that stay on the record whatever happens to their form: answered (reopen a promise in writing first;
 * an answer given at the meeting is the meeting's), or the one others were merged into.
 */
function mustStay(state: SessionState, questions: readonly Question[]): Decision | null {
  for (const q of questions) {
    if (q.status === 'answered')
      return no('already_answered', 'an answered opinion stays on the record', {
        by: q.answer ? answererName(q.answer) : '',
        field: 'questions',
        questionId: q.id,
      });
    if (Object.values(state.questions).some((x) => x.mergedInto === q.id && x.status === 'merged'))
      return no('invalid_state', 'other opinions were merged into this one', {
        field: 'questions',
        questionId: q.id,
      });
  }
  return null;
}

const pickAuthor = (q: Question): Partial<Question> => ({
  ...(q.authorName !== undefined ? { authorName: q.authorName } : {}),
  ...(q.authorGroup !== undefined ? { authorGroup: q.authorGroup } : {}),
  ...(q.authorOrganisation !== undefined ? { authorOrganisation: q.authorOrganisation } : {}),
});

/** Plain JSON data with its keys in one order, to compare by value. */
const canon = (x: unknown): unknown => {
  if (Array.isArray(x)) return x.map(canon);
  if (x === null || typeof x !== 'object') return x;
  return Object.entries(x)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => [k, canon(v)]);
};
const same = (a: unknown, b: unknown): boolean => JSON.stringify(canon(a)) === JSON.stringify(canon(b));
const sameQuestion = (a: Question, b: Question): boolean =>
  same({ ...a, updatedAt: 0 }, { ...b, updatedAt: 0 });

// ---- handlers -----------------------------------------------------------------------------------------------

const handlers: { [T in CommandType]: Handler<T> } = {
  'session.update': (c, ctx) => {
    const { id: _id, type: _t, sessionId: _s, ...changes } = c;
    if (changes.criteria && new Set(changes.criteria.map((x) => x.id)).size !== changes.criteria.length)
      return no('bad_request', 'criteria ids must be unique');
    return ok(ev(ctx, { type: 'session.updated', changes }));
  },
  'session.set_status': (c, ctx) => {
    const from = ctx.state.status;
    if (!TRANSITIONS[from].includes(c.status))
      return no('invalid_transition', `cannot go from ${from} to ${c.status}`, { from, to: c.status });
    return ok(
      ...(c.status === 'closed' ? endSpeech(ctx) : []),
      ev(ctx, { type: 'session.status_changed', status: c.status, from }),
    );
  },
  'session.set_join_code': (c, ctx) =>
    ok(ev(ctx, { type: 'session.join_code_changed', joinCode: c.joinCode })),
  'agenda.set': (c, ctx) => {
    if (new Set(c.items.map((i) => i.id)).size !== c.items.length)
      return no('bad_request', 'agenda ids must be unique');
    return ok(ev(ctx, { type: 'agenda.updated', items: c.items }));
  },
  'agenda.start': (c, ctx) => {
    const guard = requireLive(ctx.state);
    if (guard) return guard;
    if (!ctx.state.agenda.some((i) => i.id === c.itemId))
      return no('not_found', `no agenda item ${c.itemId}`);
    if (ctx.state.currentAgendaItemId === c.itemId) return ok();
    return ok(ev(ctx, { type: 'agenda.started', itemId: c.itemId }));
  },
  'field.upsert': (c, ctx) => ok(ev(ctx, { type: 'field.upserted', field: c.field })),
  'official.upsert': (c, ctx) => {
    const unknown = c.official.fieldIds.find((f) => !ctx.state.fields.some((x) => x.id === f));
    if (unknown !== undefined) return no('unknown_field', `unknown field ${unknown}`, { fieldId: unknown });
    return ok(ev(ctx, { type: 'official.upserted', official: c.official }));
  },

  'participant.join': (c, ctx) => {
    if (ctx.state.status === 'draft') return no('session_not_open', 'the session is not open yet');
    if (c.participantId !== ctx.actor.id) return no('forbidden', 'one may only join as oneself');
    if (own(ctx.state.participants, c.participantId)) return no('duplicate', 'already joined');
    if (ctx.state.status === 'closed') return no('session_closed', 'the session is closed');
    const participant: Participant = {
      id: c.participantId,
      ...(c.name ? { name: c.name } : {}),
      ...(c.group !== undefined ? { group: c.group } : {}),
      ...(c.organisation ? { organisation: c.organisation } : {}),
      kind: c.kind,
      source: 'phone',
      joinedAt: ctx.now,
    };
    if (participant.group !== undefined && participant.group > ctx.state.groups)
      return no('bad_request', `there are ${ctx.state.groups} residential groups`, {
        groups: ctx.state.groups,
      });
    return ok(
      ev(ctx, {
        type: 'participant.joined',
        participant,
        participantCount: ctx.state.participantCount + 1,
        phoneCount: phonesJoined(ctx.state) + 1,
      }),
    );
  },
  'participant.update': (c, ctx) => {
    const p = me(ctx);
    if (!p) return no('forbidden', 'join the session first');
    if (c.group != null && c.group > ctx.state.groups)
      return no('bad_request', `there are ${ctx.state.groups} residential groups`, {
        groups: ctx.state.groups,
      });
    const { name, organisation, group, ...rest } = p;
    const participant: Participant = {
      ...rest,
      kind: c.kind ?? p.kind,
      ...((c.name ?? name) ? { name: c.name ?? name } : {}),
      ...((c.organisation ?? organisation) ? { organisation: c.organisation ?? organisation } : {}),
      ...(c.group === null ? {} : (c.group ?? group) !== undefined ? { group: c.group ?? group } : {}),
    };
    return ok(ev(ctx, { type: 'participant.updated', participant }));
  },

  'question.submit': (c, ctx) => {
    const guard = requireOpen(ctx.state) ?? requireField(ctx.state, c.fieldId);
    if (guard) return guard;
    const author = me(ctx);
    if (!author) return no('forbidden', 'join the session first');
    if (own(ctx.state.questions, c.questionId)) return no('duplicate', 'this question id is taken');
    return ok(ev(ctx, { type: 'question.submitted', question: newQuestion(ctx, author, c, 'phone') }));
  },
  'question.edit': (c, ctx) => {
    const q = findQuestion(ctx.state, c.questionId);
    if (isErr(q)) return { ok: false, error: q };
    const guard = authorOnly(q, ctx) ?? requireOpen(ctx.state) ?? requireField(ctx.state, c.fieldId);
    if (guard) return guard;
    // Under review-first moderation an edited question is reviewed again: approval covered the old text.
    const status = ctx.state.moderation === 'review' ? 'pending' : q.status;
    const { fieldId: _f, ...rest } = q;
    const fieldId = c.fieldId ?? q.fieldId;
    const question: Question = {
      ...rest,
      ...(fieldId !== undefined ? { fieldId } : {}),
      text: c.text,
      anonymous: c.anonymous ?? q.anonymous,
      status,
      updatedAt: ctx.now,
    };
    return ok(ev(ctx, { type: 'question.edited', question }));
  },
  'question.withdraw': (c, ctx) => {
    const q = findQuestion(ctx.state, c.questionId);
    if (isErr(q)) return { ok: false, error: q };
    const guard = authorOnly(q, ctx);
    if (guard) return guard;
    return ok(
      ev(ctx, { type: 'question.withdrawn', question: { ...q, status: 'withdrawn', updatedAt: ctx.now } }),
    );
  },
  'question.vote': (c, ctx) => {
    const guard = requireOpen(ctx.state);
    if (guard) return guard;
    const q = findQuestion(ctx.state, c.questionId);
    if (isErr(q)) return { ok: false, error: q };
    if (q.status !== 'published')
      return no('not_votable', `the question is ${q.status}`, { status: q.status });
    if (!me(ctx)) return no('forbidden', 'join the session first');
    const voters = q.voters ?? [];
    const has = voters.includes(ctx.actor.id);
    if (has === c.value) return ok();
    const votes = voters.length + (c.value ? 1 : -1);
    return ok(
      ev(ctx, {
        type: 'question.voted',
        questionId: q.id,
        participantId: ctx.actor.id,
        value: c.value,
        votes,
      }),
    );
  },
  'question.approve': (c, ctx) => {
    const approved: Question[] = [];
    for (const id of new Set(c.questionIds)) {
      const q = findQuestion(ctx.state, id);
      if (isErr(q)) return { ok: false, error: q };
      if (q.status === 'pending') approved.push({ ...q, status: 'published', updatedAt: ctx.now });
    }
    if (approved.length === 0) return no('invalid_state', 'nothing awaiting review among these questions');
    return ok(ev(ctx, { type: 'question.approved', questions: approved }));
  },
  'question.hide': (c, ctx) => {
    const q = findQuestion(ctx.state, c.questionId);
    if (isErr(q)) return { ok: false, error: q };
    if (q.status === 'hidden' || q.status === 'merged' || q.status === 'withdrawn')
      return no('invalid_state', `the question is ${q.status}`, { status: q.status });
    if (ctx.state.status === 'closed' && q.status === 'answered')
      return no('session_closed', 'an answer of a closed session stays on the record');
    return ok(
      ev(ctx, {
        type: 'question.hidden',
        question: { ...q, status: 'hidden', hiddenReason: c.reason, updatedAt: ctx.now },
      }),
    );
  },
  'question.merge': (c, ctx) => {
    if (c.questionId === c.intoId) return no('bad_request', 'a question cannot be merged into itself');
    const dup = findQuestion(ctx.state, c.questionId);
    if (isErr(dup)) return { ok: false, error: dup };
    const into = findQuestion(ctx.state, c.intoId);
    if (isErr(into)) return { ok: false, error: into };
    if (dup.status !== 'pending' && dup.status !== 'published')
      return no('invalid_state', `the question is ${dup.status}`, { status: dup.status });
    if (!isShowable(into) && into.status !== 'pending')
      return no('invalid_state', `the target question is ${into.status}`, { status: into.status });
    const voters = [...new Set([...(into.voters ?? []), ...(dup.voters ?? [])])];
    return ok(
      ev(ctx, {
        type: 'question.merged',
        question: { ...dup, status: 'merged', mergedInto: into.id, updatedAt: ctx.now },
        into: { ...into, voters, votes: voters.length, updatedAt: ctx.now },
      }),
    );
  },
  'question.assign': (c, ctx) => {
    const q = findQuestion(ctx.state, c.questionId);
    if (isErr(q)) return { ok: false, error: q };
    const guard = requireField(ctx.state, c.fieldId);
    if (guard) return guard;
    if (c.officialId != null && !ctx.state.officials.some((o) => o.id === c.officialId))
      return no('unknown_official', `unknown official ${c.officialId}`, { officialId: c.officialId });
    if (q.status === 'hidden' || q.status === 'merged' || q.status === 'withdrawn')
      return no('invalid_state', `the question is ${q.status}`, { status: q.status });
    const { assignedFieldId, assignedOfficialId, ...rest } = q;
    const fieldId = c.fieldId === undefined ? assignedFieldId : (c.fieldId ?? undefined);
    const officialId = c.officialId === undefined ? assignedOfficialId : (c.officialId ?? undefined);
    const question: Question = {
      ...rest,
      ...(fieldId !== undefined ? { assignedFieldId: fieldId } : {}),
      ...(officialId !== undefined ? { assignedOfficialId: officialId } : {}),
      updatedAt: ctx.now,
    };
    return ok(ev(ctx, { type: 'question.assigned', question }));
  },
  'question.answer': (c, ctx) => {
    if (ctx.state.status === 'draft') return no('session_not_open', 'the session is not open yet');
    const q = findQuestion(ctx.state, c.questionId);
    if (isErr(q)) return { ok: false, error: q };
    const guard = requireUnanswered(q) ?? responsible(q, ctx, c.type);
    if (guard) return guard;
    if (c.mode === 'live' && ctx.state.status === 'closed')
      return no('session_closed', 'the meeting is over: answer in writing instead');
    const incomplete = checkOutcome(c);
    if (incomplete) return incomplete;
    const answerer = whoAnswered(q, ctx, c.answeredBy);
    if (isErr(answerer)) return { ok: false, error: answerer };
    const answer = answerOf(c, ctx, answerer);
    return ok(
      ev(ctx, {
        type: 'question.answered',
        question: { ...q, status: 'answered', answer, updatedAt: ctx.now },
      }),
    );
  },
  'question.answer_bulk': (c, ctx) => {
    if (ctx.state.status === 'draft') return no('session_not_open', 'the session is not open yet');
    const incomplete = checkOutcome(c);
    if (incomplete) return incomplete;
    // All or nothing: one refused opinion refuses the bulk, so the chairman never wonders which ones went through.
    const events: NewDomainEvent[] = [];
    for (const id of new Set(c.questionIds)) {
      const q = findQuestion(ctx.state, id);
      if (isErr(q)) return { ok: false, error: q };
      const guard = requireUnanswered(q) ?? responsible(q, ctx, c.type);
      if (guard) return guard;
      const answerer = whoAnswered(q, ctx, c.answeredBy, true);
      if (isErr(answerer)) return { ok: false, error: answerer };
      const answer = answerOf(c, ctx, answerer);
      events.push(
        ev(ctx, {
          type: 'question.answered',
          question: { ...q, status: 'answered', answer, updatedAt: ctx.now },
        }),
      );
    }
    return ok(...events);
  },
  'question.answer_written': (c, ctx) => {
    const q = findQuestion(ctx.state, c.questionId);
    if (isErr(q)) return { ok: false, error: q };
    const guard = responsible(q, ctx, c.type);
    if (guard) return guard;
    if (q.status !== 'answered' || q.answer?.mode !== 'writing')
      return no('invalid_state', 'this question is not awaiting a written answer');
    const answer = { ...q.answer, written: { text: c.text, by: ctx.by, at: ctx.now } };
    return ok(
      ev(ctx, { type: 'question.written_answer_added', question: { ...q, answer, updatedAt: ctx.now } }),
    );
  },
  'question.reply_issue': (c, ctx) => {
    const signer = ctx.state.officials.find((o) => o.id === c.signedBy && !o.retired);
    if (!signer) return no('unknown_official', `unknown official ${c.signedBy}`, { officialId: c.signedBy });
    const replies = writtenReplies(ctx.state, c.questionIds);
    if (isErr(replies)) return { ok: false, error: replies };
    const delivered = replies.find((r) => r.written.delivery);
    // A delivered letter is what the asker holds: its number and date no longer change.
    if (delivered)
      return no('invalid_state', 'this reply was delivered already', { questionId: delivered.q.id });
    const letter = { number: c.number, date: c.date, signer: answererOf(signer), by: ctx.by, at: ctx.now };
    return ok(
      ...replies.map(({ q, answer, written }) =>
        ev(ctx, {
          type: 'question.reply_issued',
          question: { ...q, answer: { ...answer, written: { ...written, letter } }, updatedAt: ctx.now },
        }),
      ),
    );
  },
  'question.delivery_record': (c, ctx) => {
    const replies = writtenReplies(ctx.state, c.questionIds);
    if (isErr(replies)) return { ok: false, error: replies };
    const delivery = { method: c.method, date: c.date, by: ctx.by, at: ctx.now };
    return ok(
      ...replies.map(({ q, answer, written }) =>
        ev(ctx, {
          type: 'question.delivered',
          question: { ...q, answer: { ...answer, written: { ...written, delivery } }, updatedAt: ctx.now },
        }),
      ),
    );
  },
  'question.reopen': (c, ctx) => {
    const q = findQuestion(ctx.state, c.questionId);
    if (isErr(q)) return { ok: false, error: q };
    const guard = responsible(q, ctx, c.type);
    if (guard) return guard;
    if (q.status !== 'answered' && q.status !== 'hidden')
      return no('invalid_state', `the question is ${q.status}`, { status: q.status });
    // After the meeting, what was answered there or has been carried out stays on the record.
    if (
      ctx.state.status === 'closed' &&
      q.status === 'answered' &&
      (q.answer?.mode === 'live' || q.answer?.written)
    )
      return no('session_closed', 'an answer of a closed session stays on the record');
    // Reopening an answered question takes its answer back; un-hiding one restores what it was (answered or not).
    const { answer, hiddenReason: _h, ...rest } = q;
    const keep = q.status === 'hidden' && answer;
    const question: Question = keep
      ? { ...rest, answer, status: 'answered', updatedAt: ctx.now }
      : { ...rest, status: 'published', updatedAt: ctx.now };
    return ok(ev(ctx, { type: 'question.reopened', question }));
  },
  'question.highlight': (c, ctx) => {
    if (c.questionId !== null) {
      const q = findQuestion(ctx.state, c.questionId);
      if (isErr(q)) return { ok: false, error: q };
      if (!isShowable(q)) return no('invalid_state', `the question is ${q.status}`, { status: q.status });
    }
    if ((ctx.state.highlightedQuestionId ?? null) === c.questionId) return ok();
    return ok(ev(ctx, { type: 'question.highlighted', questionId: c.questionId }));
  },
  'question.note': (c, ctx) => {
    const q = findQuestion(ctx.state, c.questionId);
    if (isErr(q)) return { ok: false, error: q };
    const guard = responsible(q, ctx, c.type);
    if (guard) return guard;
    const { staffNote: _n, ...rest } = q;
    return ok(
      ev(ctx, { type: 'question.noted', question: { ...rest, ...(c.note ? { staffNote: c.note } : {}) } }),
    );
  },

  'hand.raise': (c, ctx) => {
    const guard = requireLive(ctx.state) ?? requireField(ctx.state, c.fieldId);
    if (guard) return guard;
    const p = me(ctx);
    if (!p) return no('forbidden', 'join the session first');
    const { state } = ctx;
    if (state.queue.some((h) => h.participantId === p.id) || state.floor?.participantId === p.id)
      return no('hand_already_raised', 'your hand is already raised');
    if (state.queue.some((h) => h.id === c.handId) || state.floor?.id === c.handId)
      return no('duplicate', 'this hand id is taken');
    const firstTime = !state.spoke.includes(p.id);
    const hand: Hand = {
      id: c.handId,
      participantId: p.id,
      ...(p.name !== undefined ? { name: p.name } : {}),
      ...(p.group !== undefined ? { group: p.group } : {}),
      ...(c.topic ? { topic: c.topic } : {}),
      ...(c.fieldId !== undefined ? { fieldId: c.fieldId } : {}),
      raisedAt: ctx.now,
      firstTime,
    };
    return ok(ev(ctx, { type: 'hand.raised', hand, index: queueIndex(state, firstTime) }));
  },
  'hand.lower': (c, ctx) => {
    const hand = ctx.state.queue.find((h) => h.id === c.handId);
    if (!hand) return no('not_found', 'this hand is not in the queue');
    if (hand.participantId !== ctx.actor.id) return no('not_author', 'only its owner may lower a hand');
    return ok(ev(ctx, { type: 'hand.lowered', handId: c.handId }));
  },
  'hand.add': (c, ctx) => {
    const guard = requireLive(ctx.state) ?? requireField(ctx.state, c.fieldId);
    if (guard) return guard;
    if (ctx.state.queue.some((h) => h.id === c.handId) || ctx.state.floor?.id === c.handId)
      return no('duplicate', 'this hand id is taken');
    const hand: Hand = {
      id: c.handId,
      name: c.name,
      ...(c.group !== undefined ? { group: c.group } : {}),
      ...(c.topic ? { topic: c.topic } : {}),
      ...(c.fieldId !== undefined ? { fieldId: c.fieldId } : {}),
      raisedAt: ctx.now,
      firstTime: true,
    };
    return ok(ev(ctx, { type: 'hand.raised', hand, index: queueIndex(ctx.state, true) }));
  },
  'hand.remove': (c, ctx) => {
    if (!ctx.state.queue.some((h) => h.id === c.handId))
      return no('not_found', 'this hand is not in the queue');
    return ok(ev(ctx, { type: 'hand.removed', handId: c.handId }));
  },
  'hand.move': (c, ctx) => {
    const from = ctx.state.queue.findIndex((h) => h.id === c.handId);
    if (from < 0) return no('not_found', 'this hand is not in the queue');
    const toIndex = Math.min(c.toIndex, ctx.state.queue.length - 1);
    if (toIndex === from) return ok();
    return ok(ev(ctx, { type: 'hand.moved', handId: c.handId, toIndex }));
  },
  'queue.set_first_time_first': (c, ctx) => {
    const queue = ctx.state.queue;
    // A stable partition keeps the order of raising within each group.
    const order = c.enabled
      ? [...queue.filter((h) => h.firstTime), ...queue.filter((h) => !h.firstTime)]
      : [...queue];
    return ok(ev(ctx, { type: 'queue.reordered', firstTimeFirst: c.enabled, order: order.map((h) => h.id) }));
  },
  'speaker.give_floor': (c, ctx) => {
    const guard = requireLive(ctx.state);
    if (guard) return guard;
    const hand = ctx.state.queue.find((h) => h.id === c.handId);
    if (!hand) return no('not_found', 'this hand is not in the queue');
    const floor = { ...hand, startedAt: ctx.now, durationSec: c.durationSec ?? ctx.state.defaultSpeechSec };
    return ok(...endSpeech(ctx), ev(ctx, { type: 'speaker.floor_given', floor }));
  },
  'speaker.end': (_c, ctx) => {
    if (!ctx.state.floor) return no('no_floor', 'nobody has the floor');
    return ok(...endSpeech(ctx));
  },
  'speaker.set_time': (c, ctx) => {
    if (!ctx.state.floor) return no('no_floor', 'nobody has the floor');
    return ok(ev(ctx, { type: 'speaker.time_set', durationSec: c.durationSec }));
  },
  'speech.record_opinions': (c, ctx) => {
    const { state } = ctx;
    if (state.status !== 'live' && state.status !== 'closed')
      return no('session_not_live', 'the meeting has not started');
    const speech = state.speeches.findLast((x) => x.handId === c.handId);
    if (!speech) return no('not_found', `no ended speech ${c.handId}`, { handId: c.handId });
    if (new Set(c.opinions.map((o) => o.questionId)).size !== c.opinions.length)
      return no('bad_request', 'question ids must be unique');
    for (const o of c.opinions) {
      const guard = requireField(state, o.fieldId);
      if (guard) return guard;
      if (own(state.questions, o.questionId)) return no('duplicate', 'this question id is taken');
      if (o.officialId !== undefined && !state.officials.some((x) => x.id === o.officialId && !x.retired))
        return no('unknown_official', `unknown official ${o.officialId}`, { officialId: o.officialId });
    }
    // Said aloud before the hall: published at once, and received when it was said.
    return ok(
      ...c.opinions.map((o) =>
        ev(ctx, {
          type: 'question.submitted',
          question: {
            id: o.questionId,
            ...(speech.name !== undefined ? { authorName: speech.name } : {}),
            ...(speech.group !== undefined ? { authorGroup: speech.group } : {}),
            anonymous: false,
            text: o.text,
            ...(o.fieldId !== undefined ? { fieldId: o.fieldId } : {}),
            ...(o.officialId !== undefined ? { assignedOfficialId: o.officialId } : {}),
            source: 'speech',
            speech: { handId: speech.handId, startedAt: speech.startedAt },
            status: 'published',
            preMeeting: false,
            createdAt: speech.startedAt,
            updatedAt: ctx.now,
            votes: 0,
            voters: [],
          },
        }),
      ),
    );
  },

  'survey.submit': (c, ctx) => {
    const guard = requireOpen(ctx.state) ?? checkScores(ctx.state, c.answers);
    if (guard) return guard;
    if (!me(ctx)) return no('forbidden', 'join the session first');
    return ok(surveyEvent(ctx, ctx.actor.id, c.answers, c, 'phone'));
  },
  'paper_form.enter': (c, ctx) => {
    const { state } = ctx;
    if (state.status === 'draft') return no('session_not_open', 'the session is not open yet');
    if (own(state.participants, c.participantId))
      return no('duplicate', 'this form was entered already', { field: 'participantId' });
    const guard = checkForm(state, c, []);
    if (guard) return guard;
    const participant = paperParticipant(c, ctx.now);
    return ok(
      ev(ctx, { type: 'participant.joined', participant, participantCount: state.participantCount + 1 }),
      ...c.questions.map((q) =>
        ev(ctx, { type: 'question.submitted', question: newQuestion(ctx, participant, q, 'paper') }),
      ),
      ...(c.answers ? [surveyEvent(ctx, participant.id, c.answers, c, 'paper')] : []),
    );
  },
  'paper_form.correct': (c, ctx) => {
    const { state } = ctx;
    const before = paperForm(state, c.participantId);
    if (isErr(before)) return { ok: false, error: before };
    const guard = checkForm(state, c, before.questions);
    if (guard) return guard;
    const kept = new Set(c.questions.map((q) => q.questionId));
    const removed = before.questions.filter((q) => !kept.has(q.id));
    const stays = mustStay(state, removed);
    if (stays) return stays;
    const participant: Participant = { ...paperParticipant(c, before.participant.joinedAt) };
    const questions = c.questions.map((input) => {
      const was = before.questions.find((q) => q.id === input.questionId);
      if (!was) return newQuestion(ctx, participant, input, 'paper');
      const fresh = newQuestion(ctx, participant, input, 'paper');
      const { authorName: _n, authorGroup: _g, authorOrganisation: _o, fieldId: _f, ...rest } = was;
      const question: Question = {
        ...rest,
        ...pickAuthor(fresh),
        ...(input.fieldId !== undefined ? { fieldId: input.fieldId } : {}),
        text: input.text,
        anonymous: input.anonymous,
      };
      return sameQuestion(question, was) ? was : { ...question, updatedAt: ctx.now };
    });
    const survey = c.answers
      ? {
          participantId: participant.id,
          answers: c.answers,
          ...(c.comment ? { comment: c.comment } : {}),
          ...(c.procedure ? { procedure: c.procedure } : {}),
          source: 'paper' as const,
          at: before.survey?.at ?? ctx.now,
        }
      : undefined;
    const unchanged =
      removed.length === 0 &&
      questions.every((q) => before.questions.includes(q)) &&
      questions.length === before.questions.length &&
      same(participant, before.participant) &&
      same(survey, before.survey);
    if (unchanged) return ok();
    return ok(
      ev(ctx, {
        type: 'paper_form.corrected',
        participant,
        questions: questions.filter((q) => !before.questions.includes(q)),
        removedQuestionIds: removed.map((q) => q.id),
        survey: survey ?? null,
        surveyCount: state.surveyCount + (survey ? 1 : 0) - (before.survey ? 1 : 0),
        before,
      }),
    );
  },
  'paper_form.remove': (c, ctx) => {
    const { state } = ctx;
    const before = paperForm(state, c.participantId);
    if (isErr(before)) return { ok: false, error: before };
    const stays = mustStay(state, before.questions);
    if (stays) return stays;
    return ok(
      ev(ctx, {
        type: 'paper_form.removed',
        participantId: c.participantId,
        removedQuestionIds: before.questions.map((q) => q.id),
        participantCount: state.participantCount - 1,
        surveyCount: state.surveyCount - (before.survey ? 1 : 0),
        before,
      }),
    );
  },
  'paper_form.set_issued': (c, ctx) => {
    const { state } = ctx;
    const tooHigh = c.groups.findIndex((g) => g.group > state.groups);
    if (tooHigh >= 0)
      return no('bad_request', `there are ${state.groups} residential groups`, {
        groups: state.groups,
        field: `groups.${tooHigh}.group`,
      });
    const groups = c.groups.filter((g) => g.count > 0).sort((a, b) => a.group - b.group);
    if (new Set(groups.map((g) => g.group)).size !== groups.length)
      return no('bad_request', 'one line per residential group', { field: 'groups' });
    const names = c.organisations.map((o) => o.organisation.toLocaleLowerCase('vi'));
    const twice = names.findIndex((n, i) => names.indexOf(n) !== i);
    if (twice >= 0)
      return no('duplicate', 'one line per organisation', { field: `organisations.${twice}.organisation` });
    const organisations = c.organisations.filter((o) => o.count > 0);
    return ok(ev(ctx, { type: 'paper_form.issued_set', issued: { groups, organisations } }));
  },
  'minutes.approve': (c, ctx) => {
    if (ctx.state.minutesApproved) return no('minutes_approved', 'the minutes are already approved');
    return ok(ev(ctx, { type: 'minutes.approved', hash: c.hash }));
  },
  'report.add_pages': (c, ctx) => {
    const pages = ctx.state.reportPages ?? [];
    if (pages.length + c.pages.length > LIMITS.reportPages)
      return no('too_large', 'too many report pages', { max: LIMITS.reportPages });
    const ids = new Set([...pages, ...c.pages].map((p) => p.id));
    if (ids.size !== pages.length + c.pages.length)
      return no('duplicate', 'a report page with this id exists');
    return ok(ev(ctx, { type: 'report.pages_changed', pages: [...pages, ...c.pages] }));
  },
  'report.remove_file': (c, ctx) => {
    const pages = ctx.state.reportPages ?? [];
    const kept = pages.filter((p) => p.fileId !== c.fileId);
    if (kept.length === pages.length) return no('not_found', `no report file ${c.fileId}`);
    const shown = pages.find((p) => p.id === ctx.state.reportPageId);
    return ok(
      ...(shown?.fileId === c.fileId ? [ev(ctx, { type: 'report.page_shown', pageId: null })] : []),
      ev(ctx, { type: 'report.pages_changed', pages: kept }),
    );
  },
  'report.show_page': (c, ctx) => {
    if (c.pageId !== null && !(ctx.state.reportPages ?? []).some((p) => p.id === c.pageId))
      return no('not_found', `no report page ${c.pageId}`);
    if ((ctx.state.reportPageId ?? null) === c.pageId) return ok();
    return ok(ev(ctx, { type: 'report.page_shown', pageId: c.pageId }));
  },
};
