/**
 * decide(state, command, actor, now) → the events the command causes, or a typed error. Pure: no I/O, no clock
 * (`now` is passed in), no randomness (new ids come in the command).
 */
import type { Command, CommandOf, CommandType } from './commands.ts';
import { fail, type DomainError } from './errors.ts';
import type { EventType, NewDomainEvent } from './events.ts';
import { may } from './permissions.ts';
import { isShowable } from './apply.ts';
import type { Actor, ActorRef, Hand, Participant, Question, SessionState, SessionStatus } from './types.ts';

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

export function decide(state: SessionState, command: Command, actor: Actor, now: number): Decision {
  if (!may(actor.role, command.type)) return no('forbidden', `${actor.role} may not ${command.type}`);
  if (state.seq === 0) return no('not_found', 'no such session');
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
  return state.questions[id] ?? fail('not_found', `no question ${id}`, { questionId: id });
}
function me(ctx: Ctx): Participant | undefined {
  return ctx.state.participants[ctx.actor.id];
}
function authorOnly(q: Question, ctx: Ctx): Decision | null {
  if (q.authorId !== ctx.actor.id) return no('not_author', 'only the author may change this question');
  if (q.status === 'answered') return alreadyAnswered(q);
  if (q.status !== 'pending' && q.status !== 'published')
    return no('invalid_state', `the question is ${q.status}`, { status: q.status });
  return null;
}
const alreadyAnswered = (q: Question): Decision =>
  no('already_answered', `already answered by ${q.answer?.by.name ?? q.answer?.by.role ?? 'someone'}`, {
    by: q.answer?.by.name ?? '',
  });
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
  comment: string | undefined,
  source: 'phone' | 'paper',
): NewDomainEvent {
  const isNew = !ctx.state.surveys[participantId];
  return ev(ctx, {
    type: 'survey.submitted',
    response: { participantId, answers, ...(comment ? { comment } : {}), source, at: ctx.now },
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
    if (ctx.state.participants[c.participantId]) return no('duplicate', 'already joined');
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
      ev(ctx, { type: 'participant.joined', participant, participantCount: ctx.state.participantCount + 1 }),
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
    if (ctx.state.questions[c.questionId]) return no('duplicate', 'this question id is taken');
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
    if (q.status === 'answered') return alreadyAnswered(q);
    if (q.status !== 'pending' && q.status !== 'published')
      return no('invalid_state', `the question is ${q.status}`, { status: q.status });
    if (c.mode === 'writing' && !c.dueDate) return no('bad_request', 'a written answer needs a due date');
    const answer = {
      mode: c.mode,
      note: c.note,
      by: ctx.by,
      at: ctx.now,
      ...(c.mode === 'writing' && c.dueDate ? { dueDate: c.dueDate } : {}),
    };
    return ok(
      ev(ctx, {
        type: 'question.answered',
        question: { ...q, status: 'answered', answer, updatedAt: ctx.now },
      }),
    );
  },
  'question.answer_written': (c, ctx) => {
    const q = findQuestion(ctx.state, c.questionId);
    if (isErr(q)) return { ok: false, error: q };
    if (q.status !== 'answered' || q.answer?.mode !== 'writing')
      return no('invalid_state', 'this question is not awaiting a written answer');
    const answer = { ...q.answer, written: { text: c.text, by: ctx.by, at: ctx.now } };
    return ok(
      ev(ctx, { type: 'question.written_answer_added', question: { ...q, answer, updatedAt: ctx.now } }),
    );
  },
  'question.reopen': (c, ctx) => {
    const q = findQuestion(ctx.state, c.questionId);
    if (isErr(q)) return { ok: false, error: q };
    if (q.status !== 'answered' && q.status !== 'hidden')
      return no('invalid_state', `the question is ${q.status}`, { status: q.status });
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

  'survey.submit': (c, ctx) => {
    const guard = requireOpen(ctx.state) ?? checkScores(ctx.state, c.answers);
    if (guard) return guard;
    if (!me(ctx)) return no('forbidden', 'join the session first');
    return ok(surveyEvent(ctx, ctx.actor.id, c.answers, c.comment, 'phone'));
  },
  'paper_form.enter': (c, ctx) => {
    const { state } = ctx;
    if (state.status === 'draft') return no('session_not_open', 'the session is not open yet');
    if (state.participants[c.participantId]) return no('duplicate', 'this form was entered already');
    if (c.group !== undefined && c.group > state.groups)
      return no('bad_request', `there are ${state.groups} residential groups`, { groups: state.groups });
    if (c.questions.length === 0 && !c.answers)
      return no('bad_request', 'the form has no question and no scores');
    if (new Set(c.questions.map((q) => q.questionId)).size !== c.questions.length)
      return no('bad_request', 'question ids must be unique');
    for (const q of c.questions) {
      const guard = requireField(state, q.fieldId);
      if (guard) return guard;
      if (state.questions[q.questionId]) return no('duplicate', 'this question id is taken');
    }
    const scores = c.answers ? checkScores(state, c.answers) : null;
    if (scores) return scores;
    const participant: Participant = {
      id: c.participantId,
      ...(c.name ? { name: c.name } : {}),
      ...(c.group !== undefined ? { group: c.group } : {}),
      ...(c.organisation ? { organisation: c.organisation } : {}),
      kind: c.kind,
      source: 'paper',
      joinedAt: ctx.now,
    };
    return ok(
      ev(ctx, { type: 'participant.joined', participant, participantCount: state.participantCount + 1 }),
      ...c.questions.map((q) =>
        ev(ctx, { type: 'question.submitted', question: newQuestion(ctx, participant, q, 'paper') }),
      ),
      ...(c.answers ? [surveyEvent(ctx, participant.id, c.answers, c.comment, 'paper')] : []),
    );
  },
  'minutes.approve': (c, ctx) => {
    if (ctx.state.minutesApproved) return no('minutes_approved', 'the minutes are already approved');
    return ok(ev(ctx, { type: 'minutes.approved', hash: c.hash }));
  },
};
