/**
 * The y-websocket wire format (what the stock `y-websocket` client speaks): every frame is binary, a lib0 varUint
 * message type followed by its payload. Decoding is total: a malformed frame yields null, never an exception, so the
 * room can close the socket with 4400 instead of crashing on attacker-controlled bytes.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export const MessageType = { Sync: 0, Awareness: 1, Auth: 2, QueryAwareness: 3 } as const;
export const SyncType = { Step1: 0, Step2: 1, Update: 2 } as const;

export type MinutesMessage =
  | { type: 'sync-step1'; stateVector: Uint8Array }
  | { type: 'sync-step2'; update: Uint8Array }
  | { type: 'sync-update'; update: Uint8Array }
  | { type: 'awareness'; update: Uint8Array }
  | { type: 'query-awareness' }
  /** y-protocols' auth message; clients never send it and the server ignores it. */
  | { type: 'auth' };

export function decodeMessage(bytes: Uint8Array): MinutesMessage | null {
  try {
    const decoder = decoding.createDecoder(bytes);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MessageType.Sync:
        return decodeSync(decoder);
      case MessageType.Awareness:
        return { type: 'awareness', update: decoding.readVarUint8Array(decoder) };
      case MessageType.QueryAwareness:
        return { type: 'query-awareness' };
      case MessageType.Auth:
        return { type: 'auth' };
      default:
        return null;
    }
  } catch {
    // lib0 throws on truncated input and on varints that overflow.
    return null;
  }
}

function decodeSync(decoder: decoding.Decoder): MinutesMessage | null {
  const syncType = decoding.readVarUint(decoder);
  const payload = decoding.readVarUint8Array(decoder);
  switch (syncType) {
    case SyncType.Step1:
      return { type: 'sync-step1', stateVector: payload };
    case SyncType.Step2:
      return { type: 'sync-step2', update: payload };
    case SyncType.Update:
      return { type: 'sync-update', update: payload };
    default:
      return null;
  }
}

export function encodeSyncStep1(stateVector: Uint8Array): Uint8Array {
  return encodeSync(SyncType.Step1, stateVector);
}

export function encodeSyncStep2(update: Uint8Array): Uint8Array {
  return encodeSync(SyncType.Step2, update);
}

export function encodeUpdate(update: Uint8Array): Uint8Array {
  return encodeSync(SyncType.Update, update);
}

export function encodeAwareness(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Awareness);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/**
 * Relay only, between nodes (never to or from a client, whose decoder refuses it with 4400): "this document was
 * sealed — the chair approved it". A message type the y-websocket protocol does not use.
 */
export const RELAY_SEALED: Uint8Array = Uint8Array.of(100);

export function isRelaySealed(bytes: Uint8Array): boolean {
  return bytes.byteLength === 1 && bytes[0] === RELAY_SEALED[0];
}

/**
 * Relay only: an update accepted on another node, tagged with the room that accepted it (`origin`, one id per room
 * in memory) and its place in that room's writes (`seq`, from 1). The receiving node applies it and owes it to the
 * store until the origin says it is stored (RELAY_STORED with a `seq` at least as high); see OwedUpdates.
 */
const RELAY_UPDATE = 101;
/** Relay only: the room `origin` has stored every update up to its `seq`-th. */
const RELAY_STORED = 102;

export type RelayFrame =
  | { type: 'sealed' }
  | { type: 'update'; origin: string; seq: number; update: Uint8Array }
  | { type: 'stored'; origin: string; seq: number }
  /** A y-websocket frame (awareness, or an untagged update: the template, or one from an older node). */
  | { type: 'frame'; bytes: Uint8Array };

export function encodeRelayUpdate(origin: string, seq: number, update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, RELAY_UPDATE);
  encoding.writeVarString(encoder, origin);
  encoding.writeVarUint(encoder, seq);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

export function encodeRelayStored(origin: string, seq: number): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, RELAY_STORED);
  encoding.writeVarString(encoder, origin);
  encoding.writeVarUint(encoder, seq);
  return encoding.toUint8Array(encoder);
}

/** Total like decodeMessage: a malformed relay frame yields null. */
export function decodeRelayFrame(bytes: Uint8Array): RelayFrame | null {
  if (isRelaySealed(bytes)) return { type: 'sealed' };
  try {
    const decoder = decoding.createDecoder(bytes);
    switch (decoding.readVarUint(decoder)) {
      case RELAY_UPDATE: {
        const origin = decoding.readVarString(decoder);
        const seq = decoding.readVarUint(decoder);
        return { type: 'update', origin, seq, update: decoding.readVarUint8Array(decoder) };
      }
      case RELAY_STORED:
        return {
          type: 'stored',
          origin: decoding.readVarString(decoder),
          seq: decoding.readVarUint(decoder),
        };
      default:
        return { type: 'frame', bytes };
    }
  } catch {
    return null;
  }
}

/**
 * An awareness update listing zero clients: the client applies it as a no-op, but receiving any message resets its
 * 30-second "connection is dead" watchdog. Used as the application-level keepalive.
 */
export const KEEPALIVE_MESSAGE: Uint8Array = encodeAwareness(Uint8Array.of(0));

function encodeSync(syncType: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  encoding.writeVarUint(encoder, syncType);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}
