/**
 * Presence (y-protocols awareness) entries as they arrive from a client, and the limits the room holds them to.
 *
 * An awareness update is a list of entries (client id, clock, JSON state or null for "gone"). y-protocols applies
 * whatever it is given: any connection could overwrite anyone's entry by sending the same client id with a higher
 * clock, with a state of any size. The room therefore reads the entries itself, keeps those a connection may send
 * (see MinutesRoom) and hands y-protocols only those, re-encoded.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { MINUTES_LIMITS } from '../../shared/minutes/limits.ts';
import type { ShownAs } from './types.ts';

export interface PresenceEntry {
  clientId: number;
  clock: number;
  /** The state as sent, JSON; "null" when the client is gone. */
  json: string;
  /** The parsed state (null when gone). */
  state: unknown;
}

/** Throws on a malformed update (truncated, state that is not JSON): the caller closes the socket with 4400. */
export function decodePresence(update: Uint8Array): PresenceEntry[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const entries: PresenceEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const json = decoding.readVarString(decoder);
    entries.push({ clientId, clock, json, state: JSON.parse(json) as unknown });
  }
  return entries;
}

export function encodePresence(entries: PresenceEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, entry.json);
  }
  return encoding.toUint8Array(encoder);
}

/** Within the size limits (MINUTES_LIMITS): the whole state, and the name the presence list shows. */
export function presenceFits(entry: PresenceEntry): boolean {
  if (Buffer.byteLength(entry.json, 'utf8') > MINUTES_LIMITS.presenceBytes) return false;
  const user = isRecord(entry.state) ? entry.state['user'] : undefined;
  const name = isRecord(user) ? user['name'] : undefined;
  return typeof name !== 'string' || name.length <= MINUTES_LIMITS.presenceName;
}

/**
 * The entry as the account it comes from: the name and role the server knows replace what the client wrote (a
 * secretary's tab cannot appear as the chairman), and "may write" holds only if the connection may.
 */
export function asAccount(entry: PresenceEntry, shownAs: ShownAs, mayWrite: boolean): PresenceEntry {
  if (!isRecord(entry.state)) return entry;
  const user = isRecord(entry.state['user']) ? entry.state['user'] : {};
  const state = {
    ...entry.state,
    user: { ...user, name: shownAs.name, role: shownAs.role, writer: mayWrite && user['writer'] === true },
  };
  return { ...entry, state, json: JSON.stringify(state) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
