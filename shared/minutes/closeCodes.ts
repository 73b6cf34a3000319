/**
 * WebSocket close codes of the minutes endpoint, shared by server and client (so: no Node imports here).
 *
 * The stock y-websocket client (3.x) treats 4400–4499 as permanent — it stops reconnecting and emits `closed` — and
 * every other code as transient. So a refusal the client cannot fix by retrying uses 44xx, and the server refuses by
 * accepting the upgrade and then closing: a rejected HTTP upgrade surfaces as an opaque 1006 and the client would retry
 * forever.
 */
export const MinutesCloseCode = {
  /** A message that does not parse as the y-websocket protocol. */
  BadMessage: 4400,
  /** Missing, expired or forged token. */
  Unauthorized: 4401,
  /** Valid token, but this role may not open the minutes (e.g. an attendee). */
  Forbidden: 4403,
  /** No such session (or a malformed session id in the path). */
  UnknownSession: 4404,
  /** The account was disabled, or its role, fields or password changed, while connected: sign in again. */
  Revoked: 4410,
  /** A message larger than the server accepts; retrying would resend it, hence permanent. */
  MessageTooBig: 4413,
  /**
   * An update the server will not apply: it would nest the document deeper than the limit, or applying it failed.
   * Nothing of it was applied; retrying would resend it, hence permanent.
   */
  UpdateRefused: 4422,
  /**
   * The server reloads this document from the store (after the room failed to apply an update, or after the
   * approval on another node): transient, the client reconnects and syncs with the stored document.
   */
  Reloading: 4503,
  /** Server shutting down or restarting: transient, the client reconnects (standard "going away"). */
  GoingAway: 1001,
  /** Unexpected server failure while opening the document: transient, the client retries with backoff. */
  InternalError: 1011,
} as const;

export type MinutesCloseCode = (typeof MinutesCloseCode)[keyof typeof MinutesCloseCode];

/** Short reasons sent with the close frame (≤ 123 bytes by RFC 6455); the client maps the code, not the text. */
export const MINUTES_CLOSE_REASONS: Readonly<Record<number, string>> = {
  4400: 'bad message',
  4401: 'unauthorized',
  4403: 'forbidden',
  4404: 'unknown session',
  4410: 'account changed',
  4413: 'message too big',
  4422: 'update refused',
  4503: 'reloading',
  1001: 'server going away',
  1011: 'internal error',
};

/** True for the codes after which the stock client gives up (mirrors y-websocket's default `shouldReconnect`). */
export function isPermanentClose(code: number): boolean {
  return code >= 4400 && code < 4500;
}
