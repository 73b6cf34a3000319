/**
 * The secret a phone holds for a session: ≥ 128 random bits, base64url. The phone makes it and keeps it
 * (client/surfaces/attendee/identity.ts); the server derives the participant's handle from it
 * (server/auth/participantIdentity.ts) and makes one only for a client that sent none.
 */
export const DEVICE_SECRET_PATTERN = /^[A-Za-z0-9_-]{22,128}$/;

/** 16 random bytes, base64url (22 characters). `crypto.getRandomValues` exists on plain-http pages and in Node. */
export function makeDeviceSecret(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
