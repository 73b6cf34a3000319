/**
 * A state loaded from a snapshot that an earlier core wrote: before ids were checked, a command on the id `toString`
 * or `constructor` found an inherited member and stored a record without an id under the key "undefined". Such
 * records never were a participant, question or form of the meeting; they are dropped on load, so every reader
 * (reports, audit, projections) sees each record under its own id. A well-formed state comes back unchanged.
 */
import type { SessionState } from './types.ts';

function keepOwn<T>(record: Record<string, T>, idOf: (value: T) => unknown): Record<string, T> {
  const entries = Object.entries(record);
  const kept = entries.filter(
    ([key, value]) => typeof value === 'object' && value !== null && idOf(value) === key,
  );
  return kept.length === entries.length ? record : Object.fromEntries(kept);
}

export function repairState(state: SessionState): SessionState {
  const questions = keepOwn(state.questions, (q) => q.id);
  const participants = keepOwn(state.participants, (p) => p.id);
  const surveys = keepOwn(state.surveys, (r) => r.participantId);
  if (questions === state.questions && participants === state.participants && surveys === state.surveys)
    return state;
  return { ...state, questions, participants, surveys };
}
