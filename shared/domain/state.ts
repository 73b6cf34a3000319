import type { SessionState } from './types.ts';

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

/** Questions in the order they were submitted. */
export const questionList = (state: SessionState) => Object.values(state.questions);

export const fieldName = (state: SessionState, fieldId: string | undefined): string | undefined =>
  fieldId === undefined ? undefined : state.fields.find((f) => f.id === fieldId)?.name;

export const officialName = (state: SessionState, officialId: string | undefined): string | undefined =>
  officialId === undefined ? undefined : state.officials.find((o) => o.id === officialId)?.name;
