/**
 * Contacts for written replies (issue 13, finding 3): a phone number or postal address an asker gave so the ward can
 * send them its written answer. Personal data under Decree 13/2023/NĐ-CP, so it is kept apart from the session's
 * event log — the log is append-only and fanned out to every staff tablet, and a contact must reach neither — in the
 * document store (collection `contacts`, key `<sessionId>:<participantId>`, in SQLite or Redis like the accounts).
 * Only the office (admin) reads it, only for the reply, and `purge` erases it once the retention period after the
 * delivery has passed (CONTACT_RETENTION_DAYS, docs/security.md "Contacts for written replies").
 */
import type { Contact, ContactInput } from '../../shared/protocol.ts';
import type { SessionState } from '../../shared/domain/types.ts';
import type { DocumentStore } from '../store/EventStore.ts';
import { contactExpiresAt } from './retention.ts';

const CONTACTS = 'contacts';
const keyOf = (sessionId: string, participantId: string) => `${sessionId}:${participantId}`;

export class ContactBook {
  readonly #docs: DocumentStore;
  readonly #retentionMs: number;

  constructor(docs: DocumentStore, retentionDays: number) {
    this.#docs = docs;
    this.#retentionMs = retentionDays * 86_400_000;
  }

  /** Keeps what was given; a contact with neither part is erased (the asker took it back). */
  async set(sessionId: string, participantId: string, input: ContactInput, now: number): Promise<void> {
    const phone = input.phone?.trim();
    const address = input.address?.trim();
    const key = keyOf(sessionId, participantId);
    if (!phone && !address) return this.#docs.delete(CONTACTS, key);
    const contact: Contact = { ...(phone ? { phone } : {}), ...(address ? { address } : {}), savedAt: now };
    await this.#docs.put(CONTACTS, key, contact);
  }

  get(sessionId: string, participantId: string): Promise<Contact | null> {
    return this.#docs.get<Contact>(CONTACTS, keyOf(sessionId, participantId));
  }

  /** The contacts of one session's askers, by participant id. */
  async ofSession(sessionId: string): Promise<Record<string, Contact>> {
    const prefix = `${sessionId}:`;
    const out: Record<string, Contact> = {};
    for (const { key, value } of await this.#docs.list<Contact>(CONTACTS))
      if (key.startsWith(prefix)) out[key.slice(prefix.length)] = value;
    return out;
  }

  /**
   * Erases every contact whose purpose is over: its session closed, nothing owed to its asker any more, and the
   * retention period after the last delivery (or after it was given, when nothing was to be delivered) passed.
   * Returns how many were erased.
   */
  async purge(now: number, stateOf: (sessionId: string) => Promise<SessionState | null>): Promise<number> {
    let erased = 0;
    const states = new Map<string, SessionState | null>();
    for (const { key, value } of await this.#docs.list<Contact>(CONTACTS)) {
      const cut = key.indexOf(':');
      const sessionId = key.slice(0, cut);
      const participantId = key.slice(cut + 1);
      if (!states.has(sessionId)) states.set(sessionId, await stateOf(sessionId));
      const until = contactExpiresAt(
        states.get(sessionId) ?? null,
        participantId,
        value.savedAt,
        this.#retentionMs,
      );
      if (until !== null && until <= now) {
        await this.#docs.delete(CONTACTS, key);
        erased++;
      }
    }
    return erased;
  }
}
