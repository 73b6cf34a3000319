/** Loaded only when the server refused a saved token (rare): kept out of the phone's first download. */
import { api } from '../../lib/api.ts';
import { saveIdentity, savedSecret, type AttendeeIdentity } from './identity.ts';

/**
 * A fresh token for the participant this device is in the session, when the server refused the saved one (expired,
 * or the signing key was rotated) and the device still holds the session's secret. Undefined when it cannot be done
 * (no secret on this device, the session or its code is gone, no network): then the person joins again by hand.
 */
export async function renewIdentity(stale: AttendeeIdentity): Promise<AttendeeIdentity | undefined> {
  const secret = savedSecret(stale.sessionId);
  if (!secret) return undefined;
  const result = await api.join({ joinCode: stale.joinCode, secret });
  if (!result.ok || result.value.sessionId !== stale.sessionId) return undefined;
  const renewed: AttendeeIdentity = { ...result.value, joinCode: stale.joinCode };
  saveIdentity(renewed);
  return renewed;
}
