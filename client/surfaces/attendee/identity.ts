/**
 * Who this phone is in a session: the token from `POST /api/join`, kept per join code so that opening the same
 * link (QR) later — after the meeting, to read the answers — is the same participant with the same questions.
 */
import type { JoinReply } from '../../../shared/protocol.ts';
import { readJson, removeKey, writeJson } from '../../lib/storage.ts';

export interface AttendeeIdentity extends JoinReply {
  joinCode: string;
}

const key = (joinCode: string) => `attendee:${joinCode.toUpperCase()}`;

export function loadIdentity(joinCode: string): AttendeeIdentity | undefined {
  const saved = readJson<AttendeeIdentity>(key(joinCode));
  return saved && typeof saved.token === 'string' && typeof saved.participantId === 'string'
    ? saved
    : undefined;
}

export function saveIdentity(identity: AttendeeIdentity): void {
  writeJson(key(identity.joinCode), identity);
}

export function forgetIdentity(joinCode: string): void {
  removeKey(key(joinCode));
}
