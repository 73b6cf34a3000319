/**
 * A session's invitees, their invitation tokens, check-ins and the giấy mời's settings, in the document store —
 * apart from the event log, so that they can be erased (Decree 13/2023; docs/security.md, "Invitees").
 *
 * Collections: `invitees:<sessionId>` (inviteeId → the invitee with its token), `checkIns:<sessionId>` (inviteeId →
 * when and by whom, written only if absent: one attendance however often a QR is scanned, on every node),
 * `invitationTokens` (token → session and invitee), `invitationSettings` (sessionId → settings).
 *
 * The token is 128 random bits: not the participant's handle nor the device secret, and derived from nothing, so
 * one invitation tells nothing about another's token.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  DEFAULT_INVITATION_SETTINGS,
  compareInvitees,
  type InvitationSettings,
  type Invitee,
  type InviteeInput,
} from '../../shared/invitations/invitees.ts';
import type { DocumentStore } from '../store/EventStore.ts';

interface StoredInvitee extends InviteeInput {
  id: string;
  createdAt: number;
  token: string;
}
interface StoredCheckIn {
  at: number;
  by: 'phone' | 'staff';
}
interface TokenEntry {
  sessionId: string;
  inviteeId: string;
}

const INVITEES = (sessionId: string) => `invitees:${sessionId}`;
const CHECK_INS = (sessionId: string) => `checkIns:${sessionId}`;
const TOKENS = 'invitationTokens';
const SETTINGS = 'invitationSettings';

/** An invitee with their token: only for the print view and the token lookup, never in a staff list. */
export type InviteeWithToken = Invitee & { token: string };

export class InviteeStore {
  readonly #docs: DocumentStore;
  constructor(docs: DocumentStore) {
    this.#docs = docs;
  }

  /** Everyone invited, in sign-in-sheet order, with their check-in. */
  async list(sessionId: string): Promise<InviteeWithToken[]> {
    const [invitees, checkIns] = await Promise.all([
      this.#docs.list<StoredInvitee>(INVITEES(sessionId)),
      this.#docs.list<StoredCheckIn>(CHECK_INS(sessionId)),
    ]);
    const present = new Map(checkIns.map((c) => [c.key, c.value]));
    return invitees
      .map(({ value }) => {
        const checkedIn = present.get(value.id);
        return checkedIn ? { ...value, checkedIn } : value;
      })
      .sort(compareInvitees);
  }

  async get(sessionId: string, inviteeId: string): Promise<StoredInvitee | null> {
    return this.#docs.get<StoredInvitee>(INVITEES(sessionId), inviteeId);
  }

  async add(sessionId: string, input: InviteeInput, now = Date.now()): Promise<Invitee> {
    const id = randomUUID();
    let token: string;
    // 128 random bits never collide in practice; the index is written only if absent all the same.
    do token = randomBytes(16).toString('base64url');
    while (
      !(await this.#docs.put<TokenEntry>(TOKENS, token, { sessionId, inviteeId: id }, { onlyIfAbsent: true }))
    );
    const invitee: StoredInvitee = { ...input, id, createdAt: now, token };
    await this.#docs.put(INVITEES(sessionId), id, invitee);
    return withoutToken(invitee);
  }

  /** Replaces an invitee's details; the token stays (a reprinted giấy mời keeps working). */
  async update(sessionId: string, inviteeId: string, input: InviteeInput): Promise<Invitee | null> {
    const current = await this.get(sessionId, inviteeId);
    if (!current) return null;
    const next: StoredInvitee = {
      ...input,
      id: current.id,
      createdAt: current.createdAt,
      token: current.token,
    };
    await this.#docs.put(INVITEES(sessionId), inviteeId, next);
    return withoutToken(next);
  }

  /** Removes an invitee, their token (the printed QR stops working) and their check-in. */
  async remove(sessionId: string, inviteeId: string): Promise<boolean> {
    const current = await this.get(sessionId, inviteeId);
    if (!current) return false;
    await this.#docs.delete(TOKENS, current.token);
    await this.#docs.delete(CHECK_INS(sessionId), inviteeId);
    await this.#docs.delete(INVITEES(sessionId), inviteeId);
    return true;
  }

  /** Erases the session's whole list: invitees, tokens, check-ins and the giấy mời's settings. */
  async erase(sessionId: string): Promise<number> {
    const invitees = await this.#docs.list<StoredInvitee>(INVITEES(sessionId));
    for (const { value } of invitees) await this.remove(sessionId, value.id);
    for (const { key } of await this.#docs.list(CHECK_INS(sessionId)))
      await this.#docs.delete(CHECK_INS(sessionId), key);
    await this.#docs.delete(SETTINGS, sessionId);
    return invitees.length;
  }

  /** The invitee a token was made for, if it was made for this session. */
  async byToken(sessionId: string, token: string): Promise<StoredInvitee | null> {
    const entry = await this.#docs.get<TokenEntry>(TOKENS, token);
    if (!entry || entry.sessionId !== sessionId) return null;
    return this.get(sessionId, entry.inviteeId);
  }

  /** Marks an invitee present; false when they already were (the first check-in stands). */
  checkIn(sessionId: string, inviteeId: string, by: StoredCheckIn['by'], now = Date.now()): Promise<boolean> {
    return this.#docs.put<StoredCheckIn>(
      CHECK_INS(sessionId),
      inviteeId,
      { at: now, by },
      { onlyIfAbsent: true },
    );
  }

  /** Staff untick a mark made by mistake. */
  undoCheckIn(sessionId: string, inviteeId: string): Promise<void> {
    return this.#docs.delete(CHECK_INS(sessionId), inviteeId);
  }

  async settings(sessionId: string): Promise<InvitationSettings> {
    return (await this.#docs.get<InvitationSettings>(SETTINGS, sessionId)) ?? DEFAULT_INVITATION_SETTINGS;
  }

  async saveSettings(sessionId: string, settings: InvitationSettings): Promise<void> {
    await this.#docs.put(SETTINGS, sessionId, settings);
  }
}

export function withoutToken<T extends { token: string }>(invitee: T): Omit<T, 'token'> {
  const { token: _token, ...rest } = invitee;
  return rest;
}
