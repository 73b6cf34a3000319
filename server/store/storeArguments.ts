/**
 * Argument checks and helpers shared by the backends. A bad seq or count is a bug in the caller, so it throws instead of
 * returning an error value: writing at seq -1 or 2.5 would corrupt the "1, 2, 3, … without gaps" invariant.
 */

import type { AppendResult, CommandEvents, EventStore, NewEvent } from './EventStore.ts';

export function assertSeq(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
}

export function assertLimit(limit: number | undefined): void {
  if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 0)) {
    throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
  }
}

/** Ids of one group commit must be distinct: a second copy in the same write has no defined seq. */
export function assertDistinctIds(commands: CommandEvents[], probes: string[]): void {
  const ids = new Set([...commands.map((c) => c.commandId), ...probes]);
  if (ids.size !== commands.length + probes.length) throw new TypeError('ids of one append must be distinct');
}

/** `append` is `appendMany` of one command. */
export async function appendOne(
  store: Pick<EventStore, 'appendMany'>,
  sessionId: string,
  expectedSeq: number,
  commandId: string,
  events: NewEvent[],
): Promise<AppendResult> {
  const result = await store.appendMany(sessionId, expectedSeq, [{ commandId, events }]);
  if (result.ok) return { ok: true, seq: result.seqs[0] ?? expectedSeq, duplicate: false };
  if (result.reason === 'conflict') return result;
  return { ok: true, seq: result.recorded[0]?.seq ?? expectedSeq, duplicate: true };
}

/** JSON.stringify returns undefined for undefined, functions and symbols; storing that would read back as garbage. */
export function toJson(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError('value is not representable as JSON');
  return json;
}

/**
 * Drivers return Buffers, often views into a larger pooled or socket buffer; a copy keeps that memory from being
 * retained by a long-lived Y.Doc update and gives callers the plain Uint8Array the interface promises.
 */
export function toUint8Array(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}
