/**
 * An attendee's identity: a secret only their phone holds, and the public handle the server derives from it.
 *
 * The handle (`participantId`) is what staff, events, exports and the audit log show; the secret is what proves "this
 * device is that participant" at `POST /api/join`. The derivation is one-way, so knowing a handle gives no way to the
 * secret, and it includes the session, so one device's handles in two sessions cannot be linked.
 *
 * Plain SHA-256 rather than an HMAC under a server key: the secret carries ≥ 128 random bits, so there is nothing to
 * brute-force that a key would protect, and a key would tie every identity to it (rotating AUTH_SECRET would turn
 * every phone into a stranger to its own questions).
 */
import { createHash } from 'node:crypto';

/** Characters of the handle: 22 base64url characters, 132 bits — no two participants of a session share one. */
const HANDLE_LENGTH = 22;

export function participantHandle(sessionId: string, secret: string): string {
  return createHash('sha256')
    .update(`participant:${sessionId}:${secret}`)
    .digest('base64url')
    .slice(0, HANDLE_LENGTH);
}
