/**
 * Who this phone is in a session.
 *
 * - The device secret (shared/deviceSecret.ts), kept per session: it is what proves "this phone is that participant"
 *   when joining, so a retried join, a reload or an expired token comes back as the same person. Made on the first
 *   tap of "Join" and stored before the request goes out; never shown, never sent anywhere but `POST /api/join`.
 * - The token from `POST /api/join`, kept per join code so that opening the same link (QR) later — after the
 *   meeting, to read the answers — opens the session directly.
 */
import { DEVICE_SECRET_PATTERN, makeDeviceSecret } from '../../../shared/deviceSecret.ts';
import type { JoinReply } from '../../../shared/protocol.ts';
import { readJson, removeKey, writeJson } from '../../lib/storage.ts';

export interface AttendeeIdentity extends Omit<JoinReply, 'secret'> {
  joinCode: string;
}

const key = (joinCode: string) => `attendee:${joinCode.toUpperCase()}`;
const secretKey = (sessionId: string) => `attendee-secret:${sessionId}`;

export function loadIdentity(joinCode: string): AttendeeIdentity | undefined {
  const saved = readJson<AttendeeIdentity>(key(joinCode));
  return saved && typeof saved.token === 'string' && typeof saved.participantId === 'string'
    ? saved
    : undefined;
}

export function saveIdentity(identity: AttendeeIdentity): void {
  writeJson(key(identity.joinCode), identity);
}

/** Forgets the token only: the secret stays, so joining again is the same participant. */
export function forgetIdentity(joinCode: string): void {
  removeKey(key(joinCode));
}

export function savedSecret(sessionId: string): string | undefined {
  const saved = readJson<unknown>(secretKey(sessionId));
  return typeof saved === 'string' && DEVICE_SECRET_PATTERN.test(saved) ? saved : undefined;
}

/**
 * This device's secret for the session: the one it keeps, or a new one, stored before it is first sent. Where
 * storage is blocked the caller keeps the value for the page's life (retries of the same join still match).
 */
export function deviceSecret(sessionId: string): string {
  const saved = savedSecret(sessionId);
  if (saved) return saved;
  const made = makeDeviceSecret();
  writeJson(secretKey(sessionId), made);
  return made;
}

/** The token of a personal invitation in this page's address (`/j/<code>#moi=<token>`, from a giấy mời's QR). */
export const invitationInUrl = (): string | undefined =>
  /[#&]moi=([A-Za-z0-9_-]{22,64})/.exec(location.hash)?.[1];
