/** The document collection that lists every session (key: session id, value: when it was created). */
export const SESSION_INDEX = 'sessions';

export interface SessionIndexEntry {
  createdAt: number;
}
