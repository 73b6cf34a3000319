import { randomInt } from 'node:crypto';
import type { DocumentStore } from '../store/EventStore.ts';

/** No 0/O, 1/I/L: the code is read off a projector and typed on a phone. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const LENGTH = 6;
const COLLECTION = 'joinCodes';

export const randomJoinCode = (): string =>
  Array.from({ length: LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');

/** Reserves a fresh code for a session; unique across nodes because the store writes only if absent. */
export async function reserveJoinCode(docs: DocumentStore, sessionId: string): Promise<string> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const code = randomJoinCode();
    if (await docs.put(COLLECTION, code, sessionId, { onlyIfAbsent: true })) return code;
  }
  throw new Error('could not find a free join code');
}

export const releaseJoinCode = (docs: DocumentStore, code: string) => docs.delete(COLLECTION, code);

export const sessionForJoinCode = (docs: DocumentStore, code: string) =>
  docs.get<string>(COLLECTION, code.trim().toUpperCase());
