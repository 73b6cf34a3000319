import type { Answer, SessionState, Speech } from './types.ts';

/** The state of a session before its `session.created` event. */
export function emptyState(id: string): SessionState {
  return {
    id,
    seq: 0,
    createdAt: 0,
    title: '',
    date: '',
    startTime: '',
    venue: '',
    wardName: '',
    groups: 0,
    status: 'draft',
    moderation: 'review',
    joinCode: '',
    fields: [],
    officials: [],
    agenda: [],
    criteria: [],
    participants: {},
    participantCount: 0,
    phoneCount: 0,
    questions: {},
    queue: [],
    firstTimeFirst: false,
    defaultSpeechSec: 180,
    speeches: [],
    spoke: [],
    surveys: {},
    surveyCount: 0,
  };
}

/**
 * Participants who joined by phone, the figure the hall sees ("N người đã tham gia qua điện thoại"). A state saved
 * before the count was kept counts its participants instead (a staff or server state holds all of them).
 */
export const phonesJoined = (state: SessionState): number =>
  state.phoneCount ?? Object.values(state.participants).filter((p) => p.source === 'phone').length;

/** Questions in the order they were submitted. */
export const questionList = (state: SessionState) => Object.values(state.questions);

export const fieldName = (state: SessionState, fieldId: string | undefined): string | undefined =>
  fieldId === undefined ? undefined : state.fields.find((f) => f.id === fieldId)?.name;

export const officialName = (state: SessionState, officialId: string | undefined): string | undefined =>
  officialId === undefined ? undefined : state.officials.find((o) => o.id === officialId)?.name;

/** Who answered, as a person reads it: the official named as answerer, else whoever recorded it. */
export const answererName = (answer: Answer): string =>
  answer.answerer?.name ?? answer.by.name ?? answer.by.role;

/** Ended speeches no opinion was recorded from yet (speech.record_opinions), latest first. */
export function speechesWithoutOpinions(state: SessionState): Speech[] {
  const recorded = new Set<string>();
  for (const q of Object.values(state.questions)) if (q.speech) recorded.add(q.speech.handId);
  return state.speeches.filter((s) => !recorded.has(s.handId)).reverse();
}
