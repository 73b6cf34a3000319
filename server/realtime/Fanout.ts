/**
 * Pushes a session's new events to its sockets. Staff and the big screen (a few sockets) get each pass's events as
 * one message per audience. Attendees — up to 10,000 phones of one hall — are walked: each phone has a cursor (the
 * newest batch it was sent), and a pass visits the phones that are behind, in slices, sending each one message with
 * everything newer than its cursor, up to the newest batch at the moment of the visit. So a question that arrives
 * while a pass is halfway reaches the phones not yet visited in this pass, and the others in the next: it reaches
 * every phone within about one pass, and a phone gets at most one message per pass however fast events come.
 *
 * Why not one broadcast per batch (what this class did before)? A broadcast to 10,000 sockets takes a few hundred ms
 * of CPU; under 200 commands/s a batch then waited for the broadcast in progress to end and then for its own to reach
 * each phone: up to two broadcasts (measured: p99 1.2 s at 10,000 phones for the first phones of the room, more for
 * the last). The walk costs the same writes — one per behind phone per pass — without the second wait.
 *
 * Messages are serialised once per distinct cursor (most phones of a pass share one) and written to the phones of a
 * slice in one emit. Public counts (votes, participants) are coalesced (they are absolute, so only the last one
 * matters): a vote or join storm reaches each phone as a few messages, not one per vote. A participant with something
 * of their own in what they are sent (their question, vote, join) gets the same message with those events in their
 * own view. A socket that joins the attendee room (at `sync`, in the tick its state was read) starts at the newest
 * batch: the older ones are in the state it was sent.
 *
 * Pacing. Passes of a session start at most every `windowMs` (default 25 ms): what arrives within that window shares
 * a message. A pass runs slices for up to TURN_MS, then yields to the event loop, so that command acks and sync
 * replies wait at most one turn, never a whole 10,000-socket pass. A slice holds at most `sliceSize` sockets, fewer
 * when the message is big (SLICE_BYTES).
 */
import type { Server } from 'socket.io';
import type { DomainEvent } from '../../shared/domain/events.ts';
import { ownersOf, projectEvent, type Viewer } from '../../shared/domain/projection.ts';
import type { ClientToServerEvents, EventsMessage, ServerToClientEvents } from '../../shared/protocol.ts';
import { onTheWire, RawJson } from './rawJson.ts';
import { rooms } from './rooms.ts';

type Io = Server<ClientToServerEvents, ServerToClientEvents>;

/**
 * Bytes written per slice (message size × sockets). Writing a message to a socket costs the server ~20 µs plus ~1.5 µs
 * per KB on loopback (measured at 10,000 phones: 0.2 s of writev per pass of a 1 KB message, 0.43 s of a 15 KB one),
 * so a slice stays around a millisecond however big the message; a turn (TURN_MS) runs several.
 */
const SLICE_BYTES = 512 * 1024;
/** Each slice is one emit (a room lookup, a frame encoded): never so few sockets that this dominates. */
const MIN_SLICE = 16;
/** The walk writes for up to this long per turn of the event loop before it yields. */
const TURN_MS = 8;
/** Owners' own messages are each serialised for one person: that costs a few times what writing one does. */
const OWNER_COST = 4;
const ATTENDEE_ROOM = /^s:(.+):attendee$/;

/** Events published together, as the attendees see them. */
interface Batch {
  index: number;
  /** performance.now() when its first events came, for the lag metric. */
  since: number;
  events: DomainEvent[];
  /** Each event in the public attendee view (null: attendees do not see it). */
  publicView: Array<DomainEvent | null>;
  /** Each event's owners (participant ids), and all of them. */
  ownersByEvent: string[][];
  owners: Set<string>;
}

/** One session's attendee walk and its staff/screen events not yet sent. */
interface Walk {
  sessionId: string;
  batches: Batch[];
  /** The newest batch's index (0: none yet). */
  last: number;
  /** The newest batch any socket was sent: a newer one is still open to more events. */
  sent: number;
  /** Socket id → the newest batch it was sent (or had in its state when it joined). */
  cursors: Map<string, number>;
  staff: DomainEvent[];
  staffSentAt: number;
  /** Something was published since the current (or last) pass started. */
  dirty: boolean;
  passStartedAt: number;
  /** The pass in progress: the sockets to visit, the next one's position, the newest batch when it started. */
  order: string[];
  pos: number;
  passLast: number;
  /** This pass: socket id → participant, for the owners in the batches behind; shared messages by cursor. */
  ownerSockets: Map<string, string>;
  shared: Map<number, { upTo: number; message: EventsMessage | null; bytes: number }>;
}

export class Fanout {
  readonly #io: Io;
  readonly #windowMs: number;
  readonly #sliceSize: number;
  readonly #walks = new Map<string, Walk>();
  readonly #observeLag: (seconds: number) => void;
  #timer: NodeJS.Timeout | null = null;
  #running = false;

  readonly #turnMs: number;

  /**
   * `windowMs`: passes of a session at most this often; `sliceSize`: sockets per slice at most; `turnMs`: slices run per
   * turn of the event loop (at least one); `observeLag`: for each batch, the seconds from its first events' arrival
   * here to the end of the pass that brought it to every phone.
   */
  constructor(
    io: Io,
    options: {
      windowMs?: number;
      sliceSize?: number;
      turnMs?: number;
      observeLag?: (seconds: number) => void;
    } = {},
  ) {
    this.#io = io;
    this.#windowMs = options.windowMs ?? 25;
    this.#sliceSize = options.sliceSize ?? 500;
    this.#turnMs = options.turnMs ?? TURN_MS;
    this.#observeLag = options.observeLag ?? (() => {});
    const adapter = io.of('/').adapter;
    adapter.on('join-room', (room: string, id: string) => {
      const sessionId = ATTENDEE_ROOM.exec(room)?.[1];
      if (sessionId !== undefined) {
        const walk = this.#walk(sessionId);
        walk.cursors.set(id, walk.last);
      }
    });
    adapter.on('leave-room', (room: string, id: string) => {
      const sessionId = ATTENDEE_ROOM.exec(room)?.[1];
      if (sessionId !== undefined) this.#walks.get(sessionId)?.cursors.delete(id);
    });
  }

  publish(sessionId: string, events: DomainEvent[]): void {
    const walk = this.#walk(sessionId);
    walk.staff.push(...events);
    walk.dirty = true;
    const open = walk.batches.at(-1);
    const batch =
      open && open.index > walk.sent
        ? open
        : {
            index: ++walk.last,
            since: performance.now(),
            events: [],
            publicView: [],
            ownersByEvent: [],
            owners: new Set<string>(),
          };
    if (batch !== open) walk.batches.push(batch);
    for (const e of events) {
      const owners = ownersOf(e);
      batch.events.push(e);
      batch.publicView.push(projectEvent(e, { audience: 'attendee' }));
      batch.ownersByEvent.push(owners);
      for (const o of owners) batch.owners.add(o);
    }
    this.#schedule();
  }

  /** Sends everything pending now, the rest of a pass in progress included (shutdown). Synchronous. */
  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    for (const walk of [...this.#walks.values()]) {
      while (walk.pos < walk.order.length) this.#slice(walk);
      if (walk.dirty) this.#startPass(walk);
      while (walk.pos < walk.order.length) this.#slice(walk);
    }
  }

  #walk(sessionId: string): Walk {
    let walk = this.#walks.get(sessionId);
    if (!walk) {
      walk = {
        sessionId,
        batches: [],
        last: 0,
        sent: 0,
        cursors: new Map(),
        staff: [],
        staffSentAt: -Infinity,
        dirty: false,
        passStartedAt: -Infinity,
        order: [],
        pos: 0,
        passLast: 0,
        ownerSockets: new Map(),
        shared: new Map(),
      };
      this.#walks.set(sessionId, walk);
    }
    return walk;
  }

  #schedule(): void {
    if (this.#timer || this.#running) return;
    let wait = Infinity;
    for (const walk of this.#walks.values()) {
      if (walk.pos < walk.order.length) wait = 0;
      else if (walk.dirty) wait = Math.min(wait, walk.passStartedAt + this.#windowMs - performance.now());
    }
    if (wait === Infinity) return;
    this.#timer = setTimeout(
      () => {
        this.#timer = null;
        this.#run();
      },
      Math.max(0, wait),
    );
  }

  #run(): void {
    this.#running = true;
    const turn = performance.now();
    let worked: boolean;
    do {
      worked = false;
      for (const walk of this.#walks.values()) {
        if (walk.pos >= walk.order.length) {
          if (!walk.dirty || performance.now() < walk.passStartedAt + this.#windowMs) continue;
          this.#startPass(walk);
        }
        if (walk.pos < walk.order.length) this.#slice(walk);
        worked = true;
      }
    } while (worked && performance.now() - turn < this.#turnMs);
    this.#running = false;
    if ([...this.#walks.values()].some((w) => w.pos < w.order.length)) {
      this.#running = true;
      setImmediate(() => this.#run());
    } else this.#schedule();
  }

  #startPass(walk: Walk): void {
    const { sessionId } = walk;
    walk.passStartedAt = performance.now();
    walk.dirty = false;
    this.#sendStaff(walk);

    const adapter = this.#io.of('/').adapter;
    const members = [...(adapter.rooms.get(rooms.attendees(sessionId)) ?? [])];
    let oldest = walk.last;
    for (const id of members) oldest = Math.min(oldest, walk.cursors.get(id) ?? 0);
    // What every phone has is no longer needed (with no phone: every batch); a phone that joins later starts at the
    // newest batch.
    this.#delivered(walk, oldest);
    walk.batches = walk.batches.filter((b) => b.index > oldest);
    if (members.length === 0) walk.cursors.clear();
    walk.passLast = walk.last;
    walk.order = members.filter((id) => (walk.cursors.get(id) ?? 0) < walk.last);
    walk.pos = 0;
    walk.shared.clear();
    walk.ownerSockets.clear();
    const owners = new Set(walk.batches.flatMap((b) => [...b.owners]));
    for (const participantId of owners)
      for (const id of adapter.rooms.get(rooms.participant(sessionId, participantId)) ?? [])
        walk.ownerSockets.set(id, participantId);
    if (walk.order.length === 0) this.#endPass(walk);
  }

  /** The staff's and the big screen's events not sent yet: one message per audience (a few sockets each). */
  #sendStaff(walk: Walk): void {
    const { sessionId } = walk;
    const local = this.#io.local;
    const staff = project(walk.staff, { audience: 'staff' });
    const screen = coalesceCounts(project(walk.staff, { audience: 'screen' }));
    walk.staff = [];
    walk.staffSentAt = performance.now();
    if (staff.length > 0) local.to(rooms.staff(sessionId)).emit('events', { sessionId, events: staff });
    if (screen.length > 0) local.to(rooms.screen(sessionId)).emit('events', { sessionId, events: screen });
  }

  /** Visits the next slice of the pass: each socket gets what is newer than its cursor, up to the newest batch. */
  #slice(walk: Walk): void {
    const { sessionId } = walk;
    // Staff and the screen do not wait for a 10,000-phone pass to end.
    if (walk.staff.length > 0 && performance.now() - walk.staffSentAt >= this.#windowMs)
      this.#sendStaff(walk);
    const local = this.#io.local;
    const sockets = this.#io.of('/').adapter.sids;
    const upTo = walk.last;
    walk.sent = upTo;
    const groups = new Map<number, string[]>();
    // Sockets per slice: fewer when the message is big (the first socket's message stands for the slice's).
    const first = walk.cursors.get(walk.order[walk.pos] ?? '') ?? 0;
    const bytes = this.#shared(walk, Math.min(first, upTo), upTo).bytes;
    let budget = Math.min(this.#sliceSize, Math.max(MIN_SLICE, Math.floor(SLICE_BYTES / bytes)));
    while (walk.pos < walk.order.length && budget > 0) {
      const id = walk.order[walk.pos++] as string;
      const cursor = walk.cursors.get(id) ?? 0;
      if (cursor >= upTo || !sockets.has(id)) continue;
      walk.cursors.set(id, upTo);
      const participantId = walk.ownerSockets.get(id);
      const behind = participantId === undefined ? [] : walk.batches.filter((b) => b.index > cursor);
      if (participantId !== undefined && behind.some((b) => b.owners.has(participantId))) {
        const own = coalesceCounts(
          behind.flatMap((b) =>
            b.events.flatMap((e, k) =>
              b.ownersByEvent[k]?.includes(participantId)
                ? (projectEvent(e, { audience: 'attendee', participantId }) ?? [])
                : (b.publicView[k] ?? []),
            ),
          ),
        );
        if (own.length > 0) local.to(id).emit('events', { sessionId, events: own });
        budget -= OWNER_COST;
      } else {
        const group = groups.get(cursor);
        if (group) group.push(id);
        else groups.set(cursor, [id]);
        budget -= 1;
      }
    }
    for (const [cursor, ids] of groups) {
      const { message } = this.#shared(walk, cursor, upTo);
      if (message) local.to(ids).emit('events', message);
    }
    if (walk.pos >= walk.order.length) this.#endPass(walk);
  }

  /** The public message for the phones at `cursor`: everything newer, up to batch `upTo`, serialised once. */
  #shared(walk: Walk, cursor: number, upTo: number): { message: EventsMessage | null; bytes: number } {
    const cached = walk.shared.get(cursor);
    if (cached && cached.upTo === upTo) return cached;
    const events = coalesceCounts(
      walk.batches
        .filter((b) => b.index > cursor && b.index <= upTo)
        .flatMap((b) => b.publicView.flatMap((e) => e ?? [])),
    );
    const json = events.length > 0 ? JSON.stringify({ sessionId: walk.sessionId, events }) : '';
    const entry = {
      upTo,
      message: events.length > 0 ? onTheWire(new RawJson<EventsMessage>(json)) : null,
      bytes: Math.max(1, json.length),
    };
    walk.shared.set(cursor, entry);
    return entry;
  }

  /** Batches up to `upTo` have reached every phone: their lag, once. */
  #delivered(walk: Walk, upTo: number): void {
    const now = performance.now();
    for (const b of walk.batches)
      if (b.index <= upTo && b.since >= 0) {
        this.#observeLag((now - b.since) / 1000);
        b.since = -1;
      }
  }

  #endPass(walk: Walk): void {
    walk.order = [];
    walk.pos = 0;
    walk.shared.clear();
    this.#delivered(walk, walk.passLast);
    if (walk.cursors.size === 0 && !walk.dirty && walk.batches.every((b) => b.since < 0))
      this.#walks.delete(walk.sessionId);
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
