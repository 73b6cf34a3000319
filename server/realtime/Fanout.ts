/**
 * Pushes a session's new events to its sockets, batched: events appended while a batch is open go out as one
 * `events` message per audience, projected and serialised once per audience rather than per socket.
 * Public counts (votes, participants) are coalesced inside a batch (they are absolute, so only the last one
 * matters): a vote or join storm reaches each phone as a few messages, not one per vote or join.
 *
 * Pacing. The first events after a quiet spell go out on the next turn of the event loop (what was appended in the
 * same tick shares a message). After a flush the next one waits `windowMs` (default 25 ms), or as long as the flush
 * took when that is longer: a flush to 10,000 sockets costs ~0.35 s of CPU, and the phones must read what they get.
 * Flushing back to back (measured: 17 messages in 12 s at 10,000 phones and 200 commands/s) outran the phones of the
 * benchmark, so that even the bare socket.io baseline sending the same messages lagged 4 s; this way batches grow with
 * the load instead of the backlog (8 messages, the baseline's lag p50 44 ms). Commands do not wait for a flush to
 * end: they run between its turns. A walk with a cursor per phone instead (each visit sends what is new since the last,
 * so an event that comes mid-flush reaches the phones not yet written at once) was measured against this on
 * 2026-12-02 (10,000 phones, 200 commands/s, every 50th phone sampled): back to back it cut the lag p50 from 1.0 to
 * 0.7 s but not the p99 (2.3 s against 2.2) and raised the ack p99 from 59 to 84 ms (0.85 cores against 0.59);
 * paced like this, it was worse on both. Kept: this.
 *
 * Large rooms are written in slices (at most `sliceSize` sockets, fewer when the batch is big: see SLICE_BYTES). A flush
 * runs slices for up to TURN_MS, then yields to the event loop, so that command acks and sync replies wait at most one
 * turn, never a whole 10,000-socket broadcast; and the flush ends after a few dozen turns however small its slices
 * (a yield per slice let each turn's I/O — a store commit with its fsync — come between every pair of slices, and a
 * flush of 1,250 slices took seconds). The sockets of a slice are chosen when the flush starts; a socket that syncs
 * later already has these events in its snapshot. Each message is serialised once per flush (RawJson), not per slice.
 */
import type { Server } from 'socket.io';
import type { DomainEvent } from '../../shared/domain/events.ts';
import { ownersOf, projectEvent, type Viewer } from '../../shared/domain/projection.ts';
import type { ClientToServerEvents, EventsMessage, ServerToClientEvents } from '../../shared/protocol.ts';
import { onTheWire, RawJson } from './rawJson.ts';
import { rooms } from './rooms.ts';

type Io = Server<ClientToServerEvents, ServerToClientEvents>;
type Task = () => void;

/**
 * Bytes written per slice (message size × sockets). Writing a message to a socket costs the server ~20 µs plus ~1.5 µs
 * per KB on loopback (measured at 10,000 phones: 0.2 s of writev per flush of a 1 KB message, 0.43 s of a 15 KB one),
 * so a slice stays around a millisecond however big the batch; a flush's turn (TURN_MS) runs several. Each slice
 * encodes the message into a websocket frame once more (socket.io pre-encodes it per emit): with 64 KB slices and
 * 8-socket minimum that copying took a fifth of the time the kernel took to write.
 */
const SLICE_BYTES = 512 * 1024;
/** Each slice is one emit (a room lookup, a frame encoded): never so few sockets that this dominates. */
const MIN_SLICE = 16;
/** A flush writes for up to this long per turn of the event loop before it yields. */
const TURN_MS = 8;
/** Owners' own messages are each serialised for one person: that costs a few times what writing one does. */
const OWNER_COST = 4;

export class Fanout {
  readonly #io: Io;
  readonly #windowMs: number;
  readonly #sliceSize: number;
  readonly #pending = new Map<string, DomainEvent[]>();
  /** When each pending batch got its first events (performance.now()), for the lag metric. */
  readonly #pendingSince = new Map<string, number>();
  readonly #observeLag: (seconds: number) => void;
  /** The slices of the flush in progress, in send order. */
  readonly #tasks: Task[] = [];
  #timer: NodeJS.Timeout | null = null;
  #running = false;
  /** No flush starts before this time (performance.now()). */
  #quietUntil = 0;

  /** `observeLag`: for each batch, the seconds from its first events' arrival here to its last message written. */
  constructor(io: Io, windowMs = 25, sliceSize = 500, observeLag: (seconds: number) => void = () => {}) {
    this.#io = io;
    this.#windowMs = windowMs;
    this.#sliceSize = sliceSize;
    this.#observeLag = observeLag;
  }

  publish(sessionId: string, events: DomainEvent[]): void {
    const batch = this.#pending.get(sessionId);
    if (batch) batch.push(...events);
    else {
      this.#pending.set(sessionId, [...events]);
      this.#pendingSince.set(sessionId, performance.now());
    }
    this.#schedule();
  }

  /** Sends everything pending now, the rest of a flush in progress included (shutdown). Synchronous. */
  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#plan();
    for (let task = this.#tasks.shift(); task; task = this.#tasks.shift()) task();
  }

  #schedule(): void {
    // A flush in progress schedules the next one when it ends.
    if (this.#timer || this.#running) return;
    const wait = Math.max(0, this.#quietUntil - performance.now());
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#start();
    }, wait);
  }

  #start(): void {
    const started = performance.now();
    this.#plan();
    this.#running = true;
    const step = () => {
      const turn = performance.now();
      do this.#tasks.shift()?.();
      while (this.#tasks.length > 0 && performance.now() - turn < TURN_MS);
      if (this.#tasks.length > 0) {
        setImmediate(step);
        return;
      }
      this.#running = false;
      const now = performance.now();
      this.#quietUntil = now + Math.max(this.#windowMs, now - started);
      if (this.#pending.size > 0) this.#schedule();
    };
    step();
  }

  /** Turns everything pending into send tasks, appended after the tasks already queued (order is kept). */
  #plan(): void {
    const pending = [...this.#pending];
    this.#pending.clear();
    for (const [sessionId, events] of pending) {
      this.#planSession(sessionId, events);
      const since = this.#pendingSince.get(sessionId) ?? performance.now();
      this.#pendingSince.delete(sessionId);
      // Observed by the session's last task (no extra turn of the event loop for it).
      const last = this.#tasks.pop();
      this.#tasks.push(() => {
        last?.();
        this.#observeLag((performance.now() - since) / 1000);
      });
    }
  }

  #planSession(sessionId: string, events: DomainEvent[]): void {
    // This node's sockets only: in scale-out every node publishes the events of the sessions it serves to its own
    // sockets (server/scale/index.ts); through the adapter each socket would get every event once per node.
    const local = this.#io.local;
    const emit = (room: string | string[], list: DomainEvent[]) => {
      if (list.length > 0) local.to(room).emit('events', { sessionId, events: list });
    };
    const staff = project(events, { audience: 'staff' });
    const screen = coalesceCounts(project(events, { audience: 'screen' }));
    this.#tasks.push(() => {
      emit(rooms.staff(sessionId), staff);
      emit(rooms.screen(sessionId), screen);
    });

    // Attendees: one public message; participants with something of their own in this batch get, instead, the same
    // message with their own events in their own view (one message per socket per batch: clients skip seqs they
    // have). Built from the public projection, so each owner costs O(batch), not a projection of the whole batch.
    const publicView = events.map((e) => projectEvent(e, { audience: 'attendee' }));
    const attendees = coalesceCounts(publicView.filter((e): e is DomainEvent => e !== null));
    const ownersByEvent = events.map(ownersOf);
    const owners = [...new Set(ownersByEvent.flat())];
    let bytes = 1;
    if (attendees.length > 0) {
      // Serialised once for all slices; its size (characters, near enough to bytes) sets how many sockets a slice takes.
      const message = new RawJson<EventsMessage>(JSON.stringify({ sessionId, events: attendees }));
      bytes = message.json.length;
      const most = this.#sliceSize;
      const slice = Math.max(Math.min(MIN_SLICE, most), Math.min(most, Math.floor(SLICE_BYTES / bytes)));
      this.#planRoom(
        rooms.attendees(sessionId),
        owners.map((id) => rooms.participant(sessionId, id)),
        onTheWire(message),
        slice,
      );
    }
    const ownersPerTask = Math.max(
      1,
      Math.min(this.#sliceSize, Math.floor(SLICE_BYTES / OWNER_COST / bytes)),
    );
    for (let i = 0; i < owners.length; i += ownersPerTask) {
      const slice = owners.slice(i, i + ownersPerTask);
      this.#tasks.push(() => {
        for (const participantId of slice) {
          const own = events.flatMap((e, k) =>
            ownersByEvent[k]?.includes(participantId)
              ? (projectEvent(e, { audience: 'attendee', participantId }) ?? [])
              : (publicView[k] ?? []),
          );
          emit(rooms.participant(sessionId, participantId), coalesceCounts(own));
        }
      });
    }
  }

  /**
   * One message (serialised: a RawJson) to a room but the `except` rooms: in one go when the room is small, else in
   * slices of sockets.
   */
  #planRoom(room: string, except: string[], message: EventsMessage, sliceSize: number): void {
    const local = this.#io.local;
    const members = this.#io.of('/').adapter.rooms.get(room);
    if (!members || members.size <= sliceSize) {
      this.#tasks.push(() => {
        const target = except.length > 0 ? local.to(room).except(except) : local.to(room);
        target.emit('events', message);
      });
      return;
    }
    const excluded = new Set<string>();
    for (const r of except) for (const id of this.#io.of('/').adapter.rooms.get(r) ?? []) excluded.add(id);
    const ids = [...members].filter((id) => !excluded.has(id));
    for (let i = 0; i < ids.length; i += sliceSize) {
      // Every socket is in the room named by its id: a list of ids addresses exactly these sockets.
      const slice = ids.slice(i, i + sliceSize);
      this.#tasks.push(() => local.to(slice).emit('events', message));
    }
  }
}

export function project(events: DomainEvent[], viewer: Viewer): DomainEvent[] {
  return events.flatMap((e) => projectEvent(e, viewer) ?? []);
}

/** The key under which a public count is coalesced, or undefined for an event that must stay. */
function countKey(e: DomainEvent): string | undefined {
  if (e.type === 'question.voted' && e.participantId === undefined) return `vote:${e.questionId}`;
  if (e.type === 'participant.joined' && e.participant === undefined) return 'joined';
  return undefined;
}

/**
 * Keeps only the last public count of each kind in a batch: a question's votes, the number of participants (the
 * counts are absolute). A voter's own vote and a participant's own join stay whole.
 */
export function coalesceCounts(events: DomainEvent[]): DomainEvent[] {
  const last = new Map<string, number>();
  events.forEach((e, i) => {
    const key = countKey(e);
    if (key !== undefined) last.set(key, i);
  });
  return events.filter((e, i) => {
    const key = countKey(e);
    return key === undefined || last.get(key) === i;
  });
}
