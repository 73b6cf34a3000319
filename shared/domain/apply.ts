/**
 * apply(state, event) → the next state. Pure and immutable with structural sharing: the server folds the log with
 * it, and every client folds the events of its audience with the very same function.
 *
 * The keyed collections (participants, questions, surveys) grow with the hall: copying one for every event makes a
 * storm of joins or votes quadratic (10,000 joins copied the participants map 10,000 times). So a fold of many events
 * (`applyAll`, or a `Fold` kept across the commands of one batch) copies each collection once and then writes into
 * its own copy; the state passed in is never changed, and the result equals applying the events one by one.
 */
import type { DomainEvent } from './events.ts';
import { own, setOwn } from './records.ts';
import type { Hand, Question, SessionState } from './types.ts';

type Keyed = 'participants' | 'questions' | 'surveys';

/** Gives a collection of `state` that may be written: a copy, or a copy made earlier in the same fold. */
type Writable = <K extends Keyed>(state: SessionState, key: K) => SessionState[K];

const copyEach: Writable = (state, key) => ({ ...state[key] });

export function apply(state: SessionState, event: DomainEvent): SessionState {
  return step(state, event, copyEach);
}

export function applyAll(state: SessionState, events: readonly DomainEvent[]): SessionState {
  return new Fold(state).apply(events).state;
}

/**
 * A fold that owns the collections it copied: events applied through it copy each collection at most once. Its
 * intermediate states share those copies, so only its latest `state` may be kept — callers that need an earlier
 * state keep a reference to it from before (the state a fold started from is never written).
 */
export class Fold {
  #state: SessionState;
  readonly #own = new Set<object>();
  readonly #writable: Writable = (state, key) => {
    const current = state[key];
    if (this.#own.has(current)) return current;
    const copy = { ...current };
    this.#own.add(copy);
    return copy;
  };

  constructor(state: SessionState) {
    this.#state = state;
  }

  get state(): SessionState {
    return this.#state;
  }

  apply(events: readonly DomainEvent[]): this {
    for (const e of events) this.#state = step(this.#state, e, this.#writable);
    return this;
  }
}

const step = (state: SessionState, event: DomainEvent, writable: Writable): SessionState => ({
  ...applyEvent(state, event, writable),
  seq: Math.max(state.seq, event.seq),
});

/**
 * Logs written before ids were checked hold question and participant payloads without an id (a "question" that was
 * Object.prototype's `toString`): they changed nothing real, and folding them changes nothing.
 */
const hasId = (x: { id?: unknown } | undefined): boolean => typeof x?.id === 'string';

const upsert = (state: SessionState, writable: Writable, ...questions: Question[]): SessionState => {
  if (!questions.some(hasId)) return state;
  const map = writable(state, 'questions');
  for (const q of questions) {
    if (!hasId(q)) continue;
    // Public views carry no voters; a client keeps what it learnt of its own vote.
    const voters = q.voters ?? own(map, q.id)?.voters;
    setOwn(map, q.id, voters ? { ...q, voters } : q);
  }
  return { ...state, questions: map };
};

/** Takes questions out of the state (a paper form corrected or removed): figures no longer count them. */
function withoutQuestions(state: SessionState, writable: Writable, ids: readonly string[]): SessionState {
  const gone = ids.filter((id) => own(state.questions, id));
  if (gone.length === 0) return state;
  const questions = writable(state, 'questions');
  for (const id of gone) delete questions[id];
  const highlighted = state.highlightedQuestionId;
  return {
    ...state,
    questions,
    highlightedQuestionId: highlighted !== undefined && gone.includes(highlighted) ? undefined : highlighted,
  };
}

const withoutHand = (queue: Hand[], handId: string) => queue.filter((h) => h.id !== handId);

function applyEvent(state: SessionState, e: DomainEvent, writable: Writable): SessionState {
  switch (e.type) {
    case 'session.created': {
      const { id, ...config } = e.session;
      return { ...state, ...config, id, createdAt: e.at, status: 'draft' };
    }
    case 'session.updated':
      return { ...state, ...e.changes };
    case 'session.status_changed': {
      // The actual opening (the first time it went live) and the latest closing, for the minutes.
      const opened = e.status === 'live' && state.openedAt === undefined ? { openedAt: e.at } : {};
      const next: SessionState = { ...state, status: e.status, ...opened };
      if (e.status === 'closed') return { ...next, closedAt: e.at };
      if (next.closedAt === undefined) return next;
      const { closedAt: _reopened, ...open } = next;
      return open;
    }
    case 'session.join_code_changed':
      return { ...state, joinCode: e.joinCode };
    case 'agenda.updated': {
      const current = e.items.some((i) => i.id === state.currentAgendaItemId)
        ? state.currentAgendaItemId
        : undefined;
      return { ...state, agenda: e.items, currentAgendaItemId: current };
    }
    case 'agenda.started':
      return { ...state, currentAgendaItemId: e.itemId };
    case 'field.upserted': {
      const fields = state.fields.some((f) => f.id === e.field.id)
        ? state.fields.map((f) => (f.id === e.field.id ? e.field : f))
        : [...state.fields, e.field];
      return { ...state, fields };
    }
    case 'official.upserted': {
      const officials = state.officials.some((o) => o.id === e.official.id)
        ? state.officials.map((o) => (o.id === e.official.id ? e.official : o))
        : [...state.officials, e.official];
      return { ...state, officials };
    }
    case 'participant.joined': {
      const counts = {
        participantCount: e.participantCount,
        ...(e.phoneCount !== undefined ? { phoneCount: e.phoneCount } : {}),
      };
      if (!e.participant || !hasId(e.participant)) return { ...state, ...counts };
      const participants = writable(state, 'participants');
      setOwn(participants, e.participant.id, e.participant);
      return { ...state, ...counts, participants };
    }
    case 'participant.updated': {
      if (!hasId(e.participant)) return state;
      const participants = writable(state, 'participants');
      setOwn(participants, e.participant.id, e.participant);
      return { ...state, participants };
    }
    case 'question.submitted':
    case 'question.edited':
    case 'question.withdrawn':
    case 'question.hidden':
    case 'question.assigned':
    case 'question.answered':
    case 'question.written_answer_added':
    case 'question.reply_issued':
    case 'question.delivered':
    case 'question.reopened':
    case 'question.carried_over':
    case 'question.noted': {
      if (!hasId(e.question)) return state;
      const next = upsert(state, writable, e.question);
      return state.highlightedQuestionId === e.question.id && !isShowable(e.question)
        ? { ...next, highlightedQuestionId: undefined }
        : next;
    }
    case 'question.approved':
      return upsert(state, writable, ...e.questions);
    case 'question.merged': {
      if (!hasId(e.question) || !hasId(e.into)) return state;
      const next = upsert(state, writable, e.question, e.into);
      return state.highlightedQuestionId === e.question.id
        ? { ...next, highlightedQuestionId: undefined }
        : next;
    }
    case 'question.voted': {
      const q = own(state.questions, e.questionId);
      if (!q) return state;
      let voters = q.voters;
      if (e.participantId !== undefined) {
        const others = (voters ?? []).filter((v) => v !== e.participantId);
        voters = e.value ? [...others, e.participantId] : others;
      }
      return upsert(state, writable, { ...q, votes: e.votes, ...(voters ? { voters } : {}) });
    }
    case 'question.highlighted':
      return { ...state, highlightedQuestionId: e.questionId ?? undefined };
    case 'hand.raised': {
      const queue = withoutHand(state.queue, e.hand.id);
      queue.splice(Math.min(e.index, queue.length), 0, e.hand);
      return { ...state, queue };
    }
    case 'hand.lowered':
    case 'hand.removed':
      return { ...state, queue: withoutHand(state.queue, e.handId) };
    case 'hand.moved': {
      const hand = state.queue.find((h) => h.id === e.handId);
      if (!hand) return state;
      const queue = withoutHand(state.queue, e.handId);
      queue.splice(Math.min(e.toIndex, queue.length), 0, hand);
      return { ...state, queue };
    }
    case 'queue.reordered': {
      const byId = new Map(state.queue.map((h) => [h.id, h]));
      const ordered = e.order.flatMap((id) => byId.get(id) ?? []);
      const rest = state.queue.filter((h) => !e.order.includes(h.id));
      return { ...state, firstTimeFirst: e.firstTimeFirst, queue: [...ordered, ...rest] };
    }
    case 'speaker.floor_given': {
      const pid = e.floor.participantId;
      return {
        ...state,
        floor: e.floor,
        queue: withoutHand(state.queue, e.floor.id),
        spoke: pid !== undefined && !state.spoke.includes(pid) ? [...state.spoke, pid] : state.spoke,
      };
    }
    case 'speaker.speech_ended':
      return { ...state, floor: undefined, speeches: [...state.speeches, e.speech] };
    case 'speaker.time_set':
      return state.floor ? { ...state, floor: { ...state.floor, durationSec: e.durationSec } } : state;
    case 'survey.submitted':
      return {
        ...state,
        surveyCount: e.surveyCount,
        surveys:
          typeof e.response?.participantId === 'string'
            ? put(writable(state, 'surveys'), e.response.participantId, e.response)
            : state.surveys,
      };
    case 'minutes.approved':
      return {
        ...state,
        minutesApproved: { hash: e.hash, by: e.actor ?? { role: 'chair', id: '' }, at: e.at },
      };
    case 'paper_form.corrected': {
      let next = upsert(state, writable, ...e.questions);
      next = withoutQuestions(next, writable, e.removedQuestionIds);
      if (e.participant && hasId(e.participant)) {
        const participants = writable(next, 'participants');
        setOwn(participants, e.participant.id, e.participant);
        next = { ...next, participants };
      }
      if (e.survey !== undefined && e.participant) {
        const surveys = writable(next, 'surveys');
        if (e.survey) setOwn(surveys, e.participant.id, e.survey);
        else delete surveys[e.participant.id];
        next = { ...next, surveys };
      }
      return { ...next, surveyCount: e.surveyCount };
    }
    case 'paper_form.removed': {
      let next = withoutQuestions(state, writable, e.removedQuestionIds);
      const id = e.participantId;
      if (id !== undefined && own(next.participants, id)) {
        const participants = writable(next, 'participants');
        delete participants[id];
        next = { ...next, participants };
      }
      if (id !== undefined && own(next.surveys, id)) {
        const surveys = writable(next, 'surveys');
        delete surveys[id];
        next = { ...next, surveys };
      }
      return { ...next, participantCount: e.participantCount, surveyCount: e.surveyCount };
    }
    case 'paper_form.issued_set':
      return { ...state, paperIssued: e.issued };
    case 'report.pages_changed':
      return { ...state, reportPages: e.pages };
    case 'report.page_shown': {
      if (e.pageId !== null) return { ...state, reportPageId: e.pageId };
      const { reportPageId: _shown, ...rest } = state;
      return rest;
    }
    default:
      return assertNever(e);
  }
}

function put<T>(map: Record<string, T>, key: string, value: T): Record<string, T> {
  setOwn(map, key, value);
  return map;
}

/** Questions that may be on the big screen. */
export const isShowable = (q: Question): boolean => q.status === 'published' || q.status === 'answered';

export function assertNever(x: never): never {
  throw new Error(`unhandled: ${JSON.stringify(x)}`);
}
