/** What the big screen shows, as pure functions of the screen's projection of the session. */
import { agendaKindOf, screenLinesOf } from '../../../shared/domain/agenda.ts';
import { fieldName } from '../../../shared/domain/state.ts';
import { own } from '../../../shared/domain/records.ts';
import { sessionFigures } from '../../../shared/report/figures.ts';
import type {
  AgendaKind,
  Hand,
  Official,
  Question,
  ReportPage,
  SessionState,
} from '../../../shared/domain/types.ts';

export const NEXT_SPEAKERS = 3;
/** Questions listed while the answers begin and none is on the screen yet. */
export const WAITING_QUESTIONS = 4;

export interface Counters {
  present: number;
  /**
   * Opinions (shared/report/figures.ts): received, including those awaiting review (their content is not on the
   * screen), but merged duplicates and those not taken up — the panel's and the report's figure.
   */
  questions: number;
  /** Answered at the meeting (a promise in writing is not an answer yet). */
  answered: number;
  /** To be answered in writing. */
  writing: number;
  waiting: number;
  surveys: number;
  speeches: number;
}

export function counters(state: SessionState): Counters {
  const figures = sessionFigures(state);
  return {
    present: state.participantCount,
    questions: figures.opinions,
    answered: figures.answeredLive,
    writing: figures.inWriting,
    waiting: state.queue.length,
    surveys: figures.surveys,
    speeches: figures.speeches,
  };
}

export const nextSpeakers = (state: SessionState): Hand[] => state.queue.slice(0, NEXT_SPEAKERS);

export interface Shown {
  question: Question;
  field: string | undefined;
  /** The official the question is assigned to: who answers it. */
  official: Pick<Official, 'name' | 'title'> | undefined;
}

const shownOf = (state: SessionState, question: Question): Shown => ({
  question,
  field: fieldName(state, question.assignedFieldId ?? question.fieldId),
  official: state.officials.find((o) => o.id === question.assignedOfficialId),
});

export function highlighted(state: SessionState): Shown | undefined {
  const question = own(state.questions, state.highlightedQuestionId);
  if (!question || (question.status !== 'published' && question.status !== 'answered')) return undefined;
  return shownOf(state, question);
}

/** Published questions not yet answered, most supported first. */
export const awaitingAnswers = (state: SessionState, limit = WAITING_QUESTIONS): Shown[] =>
  Object.values(state.questions)
    .filter((q) => q.status === 'published')
    .sort((a, b) => b.votes - a.votes || a.createdAt - b.createdAt)
    .slice(0, limit)
    .map((q) => shownOf(state, q));

/** Questions to be answered in writing, soonest due first: the commitments the conclusion reads out. */
export const writtenAnswers = (state: SessionState): Array<Shown & { dueDate: string | undefined }> =>
  Object.values(state.questions)
    .filter((q) => q.status === 'answered' && q.answer?.mode === 'writing')
    .sort((a, b) => (a.answer?.dueDate ?? '9999').localeCompare(b.answer?.dueDate ?? '9999'))
    .map((q) => ({ ...shownOf(state, q), dueDate: q.answer?.dueDate }));

export const currentItem = (state: SessionState) => {
  const index = state.agenda.findIndex((a) => a.id === state.currentAgendaItemId);
  return index < 0
    ? undefined
    : { item: state.agenda[index]!, number: index + 1, total: state.agenda.length };
};

export interface Moment {
  /** What the screen shows now; before the first item is started, the board of the citizens' speaking. */
  mode: AgendaKind;
  lines: readonly string[];
}

export function momentOf(state: SessionState): Moment {
  const current = currentItem(state)?.item;
  return current
    ? { mode: agendaKindOf(current), lines: screenLinesOf(current) }
    : { mode: 'speak', lines: [] };
}

/** The report page the panel turned to, with its place among the pages; none: the key figures. */
export function reportPageOf(
  state: SessionState,
): { page: ReportPage; number: number; total: number } | undefined {
  const pages = state.reportPages ?? [];
  const index = pages.findIndex((p) => p.id === state.reportPageId);
  const page = pages[index];
  return page && { page, number: index + 1, total: pages.length };
}

/** A key figure line "label: value" as a tile; a line without a colon stays a sentence. */
export function figureOf(line: string): { label: string; value?: string } {
  const at = line.indexOf(':');
  const label = line.slice(0, at).trim();
  const value = line.slice(at + 1).trim();
  return at > 0 && label && value ? { label, value } : { label: line };
}

/** The join address as people type it: no scheme, no trailing slash. */
export const typedAddress = (origin: string, joinCode: string): string =>
  `${origin.replace(/^https?:\/\//, '').replace(/\/+$/, '')}/j/${joinCode}`;
