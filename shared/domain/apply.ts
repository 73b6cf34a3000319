/**
 * apply(state, event) → the next state. Pure and immutable with structural sharing: the server folds the log with
 * it, and every client folds the events of its audience with the very same function.
 */
import type { DomainEvent } from './events.ts';
import type { Hand, Question, SessionState } from './types.ts';

export function apply(state: SessionState, event: DomainEvent): SessionState {
  return { ...applyEvent(state, event), seq: Math.max(state.seq, event.seq) };
}

export function applyAll(state: SessionState, events: readonly DomainEvent[]): SessionState {
  return events.reduce(apply, state);
}

const upsert = (state: SessionState, ...questions: Question[]): SessionState => {
  const map = { ...state.questions };
  for (const q of questions) {
    // Public views carry no voters; a client keeps what it learnt of its own vote.
    const voters = q.voters ?? map[q.id]?.voters;
    map[q.id] = voters ? { ...q, voters } : q;
  }
  return { ...state, questions: map };
};

const withoutHand = (queue: Hand[], handId: string) => queue.filter((h) => h.id !== handId);

function applyEvent(state: SessionState, e: DomainEvent): SessionState {
  switch (e.type) {
    case 'session.created': {
      const { id, ...config } = e.session;
      return { ...state, ...config, id, createdAt: e.at, status: 'draft' };
    }
    case 'session.updated':
      return { ...state, ...e.changes };
    case 'session.status_changed':
      return { ...state, status: e.status };
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
    case 'participant.joined':
      return {
        ...state,
        participantCount: e.participantCount,
        participants: e.participant
          ? { ...state.participants, [e.participant.id]: e.participant }
          : state.participants,
      };
    case 'participant.updated':
      return { ...state, participants: { ...state.participants, [e.participant.id]: e.participant } };
    case 'question.submitted':
    case 'question.edited':
    case 'question.withdrawn':
    case 'question.hidden':
    case 'question.assigned':
    case 'question.answered':
    case 'question.written_answer_added':
    case 'question.reopened':
    case 'question.noted': {
      const next = upsert(state, e.question);
      return state.highlightedQuestionId === e.question.id && !isShowable(e.question)
        ? { ...next, highlightedQuestionId: undefined }
        : next;
    }
    case 'question.approved':
      return upsert(state, ...e.questions);
    case 'question.merged': {
      const next = upsert(state, e.question, e.into);
      return state.highlightedQuestionId === e.question.id
        ? { ...next, highlightedQuestionId: undefined }
        : next;
    }
    case 'question.voted': {
      const q = state.questions[e.questionId];
      if (!q) return state;
      let voters = q.voters;
      if (e.participantId !== undefined) {
        const others = (voters ?? []).filter((v) => v !== e.participantId);
        voters = e.value ? [...others, e.participantId] : others;
      }
      return upsert(state, { ...q, votes: e.votes, ...(voters ? { voters } : {}) });
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
        surveys: e.response ? { ...state.surveys, [e.response.participantId]: e.response } : state.surveys,
      };
    case 'minutes.approved':
      return {
        ...state,
        minutesApproved: { hash: e.hash, by: e.actor ?? { role: 'chair', id: '' }, at: e.at },
      };
    default:
      return assertNever(e);
  }
}

/** Questions that may be on the big screen. */
export const isShowable = (q: Question): boolean => q.status === 'published' || q.status === 'answered';

export function assertNever(x: never): never {
  throw new Error(`unhandled: ${JSON.stringify(x)}`);
}
