/** What the big screen shows, as pure functions of the screen's projection of the session. */
import { fieldName } from '../../../shared/domain/state.ts';
import type { Hand, Question, SessionState } from '../../../shared/domain/types.ts';

export const NEXT_SPEAKERS = 3;

export interface Counters {
  present: number;
  /** Questions the hall has sent, including those awaiting review (their content is not on the screen). */
  questions: number;
  answered: number;
  waiting: number;
  surveys: number;
}

const counted = (q: Question) => q.status !== 'hidden' && q.status !== 'merged' && q.status !== 'withdrawn';

export function counters(state: SessionState): Counters {
  const questions = Object.values(state.questions).filter(counted);
  return {
    present: state.participantCount,
    questions: questions.length,
    answered: questions.filter((q) => q.status === 'answered').length,
    waiting: state.queue.length,
    surveys: state.surveyCount,
  };
}

export const nextSpeakers = (state: SessionState): Hand[] => state.queue.slice(0, NEXT_SPEAKERS);

export function highlighted(
  state: SessionState,
): { question: Question; field: string | undefined } | undefined {
  const question = state.highlightedQuestionId ? state.questions[state.highlightedQuestionId] : undefined;
  if (!question || (question.status !== 'published' && question.status !== 'answered')) return undefined;
  return { question, field: fieldName(state, question.assignedFieldId ?? question.fieldId) };
}

export const currentItem = (state: SessionState) => {
  const index = state.agenda.findIndex((a) => a.id === state.currentAgendaItemId);
  return index < 0
    ? undefined
    : { item: state.agenda[index]!, number: index + 1, total: state.agenda.length };
};
