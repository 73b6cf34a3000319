/**
 * Pairing a projector with a session in seconds: the projector opens /screen and asks for a short code; staff type
 * the code on the panel or the admin page and choose the session; the projector, polling with a secret only it
 * knows, collects its display token. Codes live in the document store (so any node of a scale-out answers any
 * step), expire after a few minutes, and are collected once.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { DocumentStore } from '../store/EventStore.ts';

const COLLECTION = 'screenPairings';
/** No 0/O, 1/I/L: read off a projector across a room and typed on a tablet. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const PAIRING_CODE_LENGTH = 6;
/** Long enough to walk to the chairman's table; short enough that an old code on a photo is useless. */
export const PAIRING_TTL_MS = 5 * 60_000;

/** What the projector collects once paired. */
export interface ScreenGrant {
  sessionId: string;
  token: string;
  path: string;
}

interface PairingDoc {
  /** sha-256 of the projector's secret: the store never holds what would let someone else collect the token. */
  secretHash: string;
  expiresAt: number;
  grant?: ScreenGrant;
}

export type PollResult = { status: 'waiting'; expiresAt: number } | ({ status: 'paired' } & ScreenGrant);

const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');
export const normaliseCode = (code: string) => code.replace(/[\s-]/g, '').toUpperCase();

export class ScreenPairings {
  readonly #docs: DocumentStore;
  readonly #now: () => number;

  constructor(docs: DocumentStore, now: () => number = Date.now) {
    this.#docs = docs;
    this.#now = now;
  }

  /** A fresh code for a projector, and the secret it polls with. Expired codes are swept on the way. */
  async open(): Promise<{ code: string; secret: string; expiresAt: number }> {
    await this.#sweep();
    const secret = randomBytes(24).toString('base64url');
    const expiresAt = this.#now() + PAIRING_TTL_MS;
    for (let attempt = 0; attempt < 20; attempt++) {
      const code = Array.from(
        { length: PAIRING_CODE_LENGTH },
        () => ALPHABET[randomInt(ALPHABET.length)],
      ).join('');
      const doc: PairingDoc = { secretHash: hash(secret), expiresAt };
      if (await this.#docs.put(COLLECTION, code, doc, { onlyIfAbsent: true }))
        return { code, secret, expiresAt };
    }
    throw new Error('could not find a free pairing code');
  }

  /** Gives the waiting projector behind `code` its grant; false when no such code is waiting (wrong or expired). */
  async claim(code: string, grant: ScreenGrant): Promise<boolean> {
    const key = normaliseCode(code);
    if (!/^[A-Z0-9]{4,12}$/.test(key)) return false;
    const doc = await this.#live(key);
    if (!doc || doc.grant) return false;
    await this.#docs.put<PairingDoc>(COLLECTION, key, { ...doc, grant });
    return true;
  }

  /** The projector's poll: still waiting, or its grant (collected once); null for an unknown or expired code. */
  async poll(code: string, secret: string): Promise<PollResult | null> {
    const key = normaliseCode(code);
    if (!/^[A-Z0-9]{4,12}$/.test(key)) return null;
    const doc = await this.#live(key);
    if (!doc || doc.secretHash !== hash(secret)) return null;
    if (!doc.grant) return { status: 'waiting', expiresAt: doc.expiresAt };
    await this.#docs.delete(COLLECTION, key);
    return { status: 'paired', ...doc.grant };
  }

  async #live(key: string): Promise<PairingDoc | null> {
    const doc = await this.#docs.get<PairingDoc>(COLLECTION, key);
    if (doc && doc.expiresAt <= this.#now()) {
      await this.#docs.delete(COLLECTION, key);
      return null;
    }
    return doc;
  }

  async #sweep(): Promise<void> {
    const now = this.#now();
    for (const { key, value } of await this.#docs.list<PairingDoc>(COLLECTION))
      if (value.expiresAt <= now) await this.#docs.delete(COLLECTION, key);
  }
}
