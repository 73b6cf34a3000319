/**
 * What each audience may see: one pure function per audience over questions, events and whole states.
 * - staff: everything but anonymous authors' identities and who voted;
 * - attendee: published and answered questions, stubs of pending ones (so moderation is visible as a count),
 *   nobody's identity but their own, their own questions, hands, votes and form in full;
 * - screen: what the hall may see, no names of participants but those who raise their hand.
 */
import type { DomainEvent } from './events.ts';
import { phonesJoined } from './state.ts';
import { own, setOwn } from './records.ts';
import type { ActorRef, Hand, Question, SessionState } from './types.ts';

export type Audience = 'staff' | 'attendee' | 'screen';
export interface Viewer {
  audience: Audience;
  /** The attendee's own participant id: their own things are shown in full. */
  participantId?: string;
}

const AUTHOR_KEYS = ['authorId', 'authorName', 'authorGroup', 'authorOrganisation'] as const;

function withoutAuthor(q: Question): Question {
  const copy = { ...q };
  for (const k of AUTHOR_KEYS) delete copy[k];
  return copy;
}

/** Published or answered: the hall sees its content (and an attendee their vote on it); others see a stub. */
export function isOpenToHall(q: Question): boolean {
  return q.status === 'published' || q.status === 'answered';
}

/** A question as the viewer may see it; null when they may not know it exists. */
export function viewQuestion(q: Question, viewer: Viewer): Question | null {
  const own = viewer.participantId !== undefined && q.authorId === viewer.participantId;
  const { voters, staffNote, ...rest } = q;
  if (viewer.audience === 'staff') {
    const staffView = { ...rest, ...(staffNote !== undefined ? { staffNote } : {}) };
    return q.anonymous ? withoutAuthor(staffView) : staffView;
  }
  const mine =
    voters !== undefined && viewer.participantId !== undefined && voters.includes(viewer.participantId);
  const myVote =
    viewer.audience === 'attendee' && viewer.participantId !== undefined
      ? { voters: mine ? [viewer.participantId] : [] }
      : {};
  if (own) return { ...rest, ...myVote };
  if (isOpenToHall(q)) {
    const { hiddenReason: _h, ...visible } = rest;
    // The hall sees no participant's name but on a raised hand: the screen never shows who asked.
    if (q.anonymous || viewer.audience === 'screen') return withoutAuthor({ ...visible, ...myVote });
    // Named: the hall sees the name and group, never the participant id (it stays a secret of the author's device).
    const { authorId: _id, ...named } = visible;
    return { ...named, ...myVote };
  }
  // Pending, hidden, merged, withdrawn: a stub without content, so counts stay right.
  return {
    id: q.id,
    anonymous: true,
    text: '',
    source: q.source,
    status: q.status,
    preMeeting: q.preMeeting,
    createdAt: q.createdAt,
    updatedAt: q.updatedAt,
    votes: 0,
    ...(q.mergedInto !== undefined ? { mergedInto: q.mergedInto } : {}),
  };
}

function viewHand<H extends Hand>(hand: H, viewer: Viewer): H {
  if (
    viewer.audience === 'staff' ||
    hand.participantId === undefined ||
    hand.participantId === viewer.participantId
  )
    return hand;
  const { participantId: _p, ...rest } = hand;
  return rest as H;
}

function viewActor(actor: ActorRef | undefined, viewer: Viewer): ActorRef | undefined {
  if (!actor || actor.role !== 'attendee' || actor.id === viewer.participantId) return actor;
  return { role: 'attendee', id: '' };
}

/** The participants whose own view of this event differs from the public one. */
export function ownersOf(e: DomainEvent): string[] {
  switch (e.type) {
    case 'participant.joined':
      return e.participant ? [e.participant.id] : [];
    case 'participant.updated':
      return [e.participant.id];
    case 'question.approved':
      return e.questions.flatMap((q) => q.authorId ?? []);
    case 'question.merged':
      return [e.question.authorId, e.into.authorId].flatMap((x) => x ?? []);
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
      return e.question.authorId ? [e.question.authorId] : [];
    case 'question.voted':
      return e.participantId ? [e.participantId] : [];
    case 'hand.raised':
      return e.hand.participantId ? [e.hand.participantId] : [];
    case 'speaker.floor_given':
      return e.floor.participantId ? [e.floor.participantId] : [];
    case 'survey.submitted':
      return e.response ? [e.response.participantId] : [];
    default:
      return [];
  }
}

/** The event as the viewer may see it, or null when it is none of their business. */
export function projectEvent(e: DomainEvent, viewer: Viewer): DomainEvent | null {
  const projected = projectPayload(e, viewer);
  if (!projected) return null;
  const actor = viewActor(e.actor, viewer);
  if (actor === e.actor) return projected;
  const { actor: _a, ...rest } = projected;
  return (actor ? { ...rest, actor } : rest) as DomainEvent;
}

function projectPayload(e: DomainEvent, viewer: Viewer): DomainEvent | null {
  const staff = viewer.audience === 'staff';
  const own = (id: string | undefined) => id !== undefined && id === viewer.participantId;
  switch (e.type) {
    case 'participant.joined':
      // The hall's figures are live: others hear that someone joined, never who.
      if (staff || own(e.participant?.id)) return e;
      return {
        type: e.type,
        seq: e.seq,
        at: e.at,
        participantCount: e.participantCount,
        ...(e.phoneCount !== undefined ? { phoneCount: e.phoneCount } : {}),
      };
    case 'participant.updated':
      return staff || own(e.participant.id) ? e : null;
    case 'survey.submitted':
      if (staff || own(e.response?.participantId)) return e;
      return viewer.audience === 'screen'
        ? { type: e.type, seq: e.seq, at: e.at, surveyCount: e.surveyCount }
        : null;
    case 'question.noted':
      return staff ? { ...e, question: viewQuestion(e.question, viewer) ?? e.question } : null;
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
    case 'question.carried_over': {
      const question = viewQuestion(e.question, viewer);
      return question ? { ...e, question } : null;
    }
    case 'question.approved':
      return { ...e, questions: e.questions.flatMap((q) => viewQuestion(q, viewer) ?? []) };
    case 'question.merged': {
      const question = viewQuestion(e.question, viewer);
      const into = viewQuestion(e.into, viewer);
      return question && into ? { ...e, question, into } : null;
    }
    case 'question.voted': {
      if (own(e.participantId)) return e;
      return { type: e.type, seq: e.seq, at: e.at, questionId: e.questionId, votes: e.votes };
    }
    case 'hand.raised':
      return { ...e, hand: viewHand(e.hand, viewer) };
    case 'speaker.floor_given':
      return { ...e, floor: viewHand(e.floor, viewer) };
    case 'paper_form.corrected': {
      // The hall learns of the form's opinions as it learns of any; the form itself is the office's.
      if (staff) return { ...e, questions: e.questions.flatMap((q) => viewQuestion(q, viewer) ?? []) };
      return {
        type: e.type,
        seq: e.seq,
        at: e.at,
        questions: e.questions.flatMap((q) => viewQuestion(q, viewer) ?? []),
        removedQuestionIds: e.removedQuestionIds,
        surveyCount: e.surveyCount,
      };
    }
    case 'paper_form.removed':
      if (staff) return e;
      return {
        type: e.type,
        seq: e.seq,
        at: e.at,
        removedQuestionIds: e.removedQuestionIds,
        participantCount: e.participantCount,
        surveyCount: e.surveyCount,
      };
    case 'paper_form.issued_set':
      return staff ? e : null;
    // The report's pages are for the projector; phones get none of it.
    case 'report.pages_changed':
    case 'report.page_shown':
      return viewer.audience === 'attendee' ? null : e;
    case 'official.upserted': {
      if (staff) return e;
      const { userId: _u, ...official } = e.official;
      return { ...e, official };
    }
    default:
      return e;
  }
}

/** The whole state as the viewer may see it (the snapshot sent on sync). */
/** A question as the viewer's snapshot holds it; null when it is left out (gone, and neither theirs nor staff's). */
export function questionInView(q: Question, viewer: Viewer): Question | null {
  const view = viewQuestion(q, viewer);
  if (!view) return null;
  const gone = view.status === 'hidden' || view.status === 'withdrawn' || view.status === 'merged';
  return viewer.audience === 'staff' || q.authorId === viewer.participantId || !gone ? view : null;
}

export function projectState(state: SessionState, viewer: Viewer): SessionState {
  const staff = viewer.audience === 'staff';
  const questions: Record<string, Question> = {};
  for (const q of Object.values(state.questions)) {
    const view = questionInView(q, viewer);
    if (view) setOwn(questions, q.id, view);
  }
  const { reportPages: _pages, reportPageId: _shown, ...hallState } = state;
  return {
    ...(viewer.audience === 'attendee' ? hallState : state),
    questions,
    phoneCount: phonesJoined(state),
    ...viewPeople(state, viewer),
    officials: staff ? state.officials : state.officials.map(({ userId: _u, ...o }) => o),
  };
}

export type PeopleView = Pick<SessionState, 'participants' | 'surveys' | 'spoke' | 'queue' | 'floor'>;

/**
 * What the viewer sees of the people in a state: participants, forms, who spoke, the hands and the floor. For an
 * attendee this and their own questions and votes are all that differs from what any attendee sees (the sync
 * snapshot cache builds on that: server/realtime/SnapshotCache.ts).
 */
export function viewPeople(state: SessionState, viewer: Viewer): PeopleView {
  const staff = viewer.audience === 'staff';
  const me = viewer.participantId;
  const pick = <T>(map: Record<string, T>): Record<string, T> => {
    if (staff) return map;
    const mine = own(map, me);
    return me !== undefined && mine !== undefined ? { [me]: mine } : {};
  };
  return {
    participants: pick(state.participants),
    surveys: pick(state.surveys),
    spoke: staff ? state.spoke : state.spoke.filter((id) => id === me),
    queue: state.queue.map((h) => viewHand(h, viewer)),
    ...(state.floor ? { floor: viewHand(state.floor, viewer) } : {}),
  };
}
