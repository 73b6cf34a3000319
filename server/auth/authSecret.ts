/**
 * The token-signing key when AUTH_SECRET is not set: generated once by whichever node starts first and kept in the
 * store (documents `config/authSecret`), so every node of a scale-out signs with the same one.
 */
import { randomBytes } from 'node:crypto';
import type { DocumentStore } from '../store/EventStore.ts';

const COLLECTION = 'config';
const KEY = 'authSecret';

const newSecret = () => randomBytes(32).toString('base64url');

/** The stored key, created when there is none yet. */
export async function storedAuthSecret(docs: DocumentStore): Promise<string> {
  await docs.put(COLLECTION, KEY, newSecret(), { onlyIfAbsent: true });
  const secret = await docs.get<string>(COLLECTION, KEY);
  if (!secret) throw new Error('no auth secret');
  return secret;
}

/**
 * Replaces the stored key (scripts/rotate-auth-secret.ts). Running nodes keep signing with the key they loaded at
 * start: restart every node afterwards; from then on every token signed before is refused.
 */
export async function rotateStoredAuthSecret(docs: DocumentStore): Promise<void> {
  await docs.put(COLLECTION, KEY, newSecret());
}
