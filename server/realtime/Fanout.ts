/**
 * Pushes a session's new events to its sockets, batched: events appended within one window (default 25 ms) go out
 * as one `events` message per audience, projected and serialised once per audience rather than per socket.
 * Public vote counts are coalesced inside a batch (the count is absolute, so only the last one matters): a vote
 * storm reaches each phone as a few messages, not one per vote.
 */
import type { Server } from 'socket.io';
import type { DomainEvent } from '../../shared/domain/events.ts';
import { ownersOf, projectEvent, type Viewer } from '../../shared/domain/projection.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/protocol.ts';
import { rooms } from './rooms.ts';

type Io = Server<ClientToServerEvents, ServerToClientEvents>;

export class Fanout {
  readonly #io: Io;
  readonly #windowMs: number;
  readonly #pending = new Map<string, DomainEvent[]>();
  #timer: NodeJS.Timeout | null = null;

  constructor(io: Io, windowMs = 25) {
    this.#io = io;
    this.#windowMs = windowMs;
  }

  publish(sessionId: string, events: DomainEvent[]): void {
    const batch = this.#pending.get(sessionId);
    if (batch) batch.push(...events);
    else this.#pending.set(sessionId, [...events]);
    this.#timer ??= setTimeout(() => this.flush(), this.#windowMs);
  }

  /** Sends everything pending now (also on shutdown). */
  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const pending = [...this.#pending];
    this.#pending.clear();
    for (const [sessionId, events] of pending) this.#send(sessionId, events);
  }

  #send(sessionId: string, events: DomainEvent[]): void {
    const emit = (room: string | string[], list: DomainEvent[], except: string[] = []) => {
      if (list.length === 0) return;
      // This node's sockets only: in scale-out every node publishes the events of the sessions it serves to its own
      // sockets (server/scale/index.ts); through the adapter each socket would get every event once per node.
      const local = this.#io.local;
      const target = except.length > 0 ? local.to(room).except(except) : local.to(room);
      target.emit('events', { sessionId, events: list });
    };
    emit(rooms.staff(sessionId), project(events, { audience: 'staff' }));
    emit(rooms.screen(sessionId), coalesceVotes(project(events, { audience: 'screen' })));
    const owners = [...new Set(events.flatMap(ownersOf))];
    emit(
      rooms.attendees(sessionId),
      coalesceVotes(project(events, { audience: 'attendee' })),
      owners.map(rooms.participant),
    );
    // Participants with something of their own in this batch get it in their own view, in the same single message.
    for (const participantId of owners) {
      emit(rooms.participant(participantId), project(events, { audience: 'attendee', participantId }));
    }
  }
}

export function project(events: DomainEvent[], viewer: Viewer): DomainEvent[] {
  return events.flatMap((e) => projectEvent(e, viewer) ?? []);
}

/** Keeps only the last public vote count per question in a batch. */
export function coalesceVotes(events: DomainEvent[]): DomainEvent[] {
  const last = new Map<string, number>();
  events.forEach((e, i) => {
    if (e.type === 'question.voted' && e.participantId === undefined) last.set(e.questionId, i);
  });
  return events.filter(
    (e, i) => e.type !== 'question.voted' || e.participantId !== undefined || last.get(e.questionId) === i,
  );
}
