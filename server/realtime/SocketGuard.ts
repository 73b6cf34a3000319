/**
 * What one socket may cost the server beyond the rate limits: how many of its requests may wait for an answer, and
 * how much unsent output it may hold. socket.io itself caps neither: a client that sends thousands of requests
 * without waiting, or stops reading, has its answers queued in memory without bound until the process dies
 * (issue 12). The minutes endpoint has the same kind of cap for its connections (server/minutes/MinutesServer.ts).
 *
 * - In flight: every incoming message with an ack counts until it is answered; one more than `maxInFlight` and the
 *   socket is disconnected (`too_many_in_flight`). The SPA has at most three (a sync, a command, a clock read).
 * - Output: every `checkEveryMs` the unsent bytes of each socket are read (a tenth of the sockets every tenth of that
 *   time, so 10,000 sockets never hold the event loop for one long check) (the websocket's `bufferedAmount` plus
 *   engine.io's queue of packets not yet handed to the transport). Above `maxBufferedBytes` the socket is dropped at
 *   once (`buffer_full`); above `slowBufferedBytes` for `slowMs` in a row it is dropped too (`slow_reader`). A phone
 *   dropped this way reconnects when it can and catches up with one sync, like after any network drop.
 *
 * A dropped socket is disconnected (socket.io's DISCONNECT for a client that still reads) and its connection cut
 * without waiting for a close handshake that a client which does not read would never finish, so its buffers are
 * freed at once.
 */
import type { Socket } from 'socket.io';
import type { Audience } from '../../shared/domain/projection.ts';
import type { DropReason } from '../metrics.ts';

export interface SocketGuardOptions {
  maxInFlight: number;
  maxBufferedBytes: number;
  slowBufferedBytes: number;
  slowMs: number;
  /** How often each socket's output buffer is read (default 1,000 ms). */
  checkEveryMs?: number;
  /** A socket was dropped (log it, count it). */
  onDrop?: (reason: DropReason, socket: Socket, detail: { inFlight: number; bufferedBytes: number }) => void;
}

interface Watched {
  audience: Audience;
  inFlight: number;
  /** When its output first went above the slow mark, in this run above it; null while below. */
  slowSince: number | null;
}

/** What engine.io keeps of a connection that we read: its queue, and the websocket (when that is the transport). */
interface EngineInternals {
  writeBuffer?: Array<{ data?: unknown }>;
  transport?: { socket?: { bufferedAmount?: unknown; terminate?: unknown } };
}

/** Grace for a client that still reads to receive the DISCONNECT before its connection is cut. */
const CUT_AFTER_MS = 1_000;
/** A check round is spread over this many timer ticks. */
const CHECK_PARTS = 10;

export class SocketGuard {
  readonly #options: SocketGuardOptions;
  readonly #sockets = new Map<Socket, Watched>();
  readonly #timer: NodeJS.Timeout;
  /** Where the current check round is in `#sockets` (a Map iterator visits sockets added meanwhile, skips removed). */
  #round: Iterator<[Socket, Watched]> | null = null;

  constructor(options: SocketGuardOptions) {
    this.#options = options;
    this.#timer = setInterval(() => this.#check(), (options.checkEveryMs ?? 1_000) / CHECK_PARTS);
    this.#timer.unref();
  }

  /** Starts guarding a socket that just connected. */
  watch(socket: Socket, audience: Audience): void {
    const watched: Watched = { audience, inFlight: 0, slowSince: null };
    this.#sockets.set(socket, watched);
    socket.once('disconnect', () => this.#sockets.delete(socket));
    socket.use((packet, next) => {
      const last = packet.length - 1;
      const ack: unknown = packet[last];
      if (typeof ack !== 'function') return next();
      if (watched.inFlight >= this.#options.maxInFlight) {
        this.#drop(socket, 'too_many_in_flight', CUT_AFTER_MS);
        return; // not handled: no answer, and no work, for anything past the cap
      }
      watched.inFlight++;
      let answered = false;
      packet[last] = (...args: unknown[]) => {
        if (!answered) {
          answered = true;
          watched.inFlight--;
        }
        (ack as (...a: unknown[]) => void)(...args);
      };
      next();
    });
  }

  /** Sockets guarded on this node, by audience (metrics). */
  count(): Record<Audience, number> {
    const counts: Record<Audience, number> = { staff: 0, attendee: 0, screen: 0 };
    for (const { audience } of this.#sockets.values()) counts[audience]++;
    return counts;
  }

  close(): void {
    clearInterval(this.#timer);
  }

  /** One part of a check round: the next tenth of the sockets. */
  #check(): void {
    const now = Date.now();
    const { maxBufferedBytes, slowBufferedBytes, slowMs } = this.#options;
    this.#round ??= this.#sockets.entries();
    for (let left = Math.ceil(this.#sockets.size / CHECK_PARTS); left > 0; left--) {
      const next = this.#round.next();
      if (next.done) {
        this.#round = null;
        return;
      }
      const [socket, watched] = next.value;
      const bytes = unsentBytes(socket);
      if (bytes > maxBufferedBytes) this.#drop(socket, 'buffer_full', 0);
      else if (bytes <= slowBufferedBytes) watched.slowSince = null;
      else if (watched.slowSince === null) watched.slowSince = now;
      else if (now - watched.slowSince >= slowMs) this.#drop(socket, 'slow_reader', 0);
    }
  }

  #drop(socket: Socket, reason: DropReason, cutAfterMs: number): void {
    const watched = this.#sockets.get(socket);
    if (!watched) return; // dropped already
    this.#sockets.delete(socket);
    this.#options.onDrop?.(reason, socket, {
      inFlight: watched.inFlight,
      bufferedBytes: unsentBytes(socket),
    });
    const ws = (socket.conn as unknown as EngineInternals).transport?.socket;
    socket.disconnect(true);
    const cut = () => {
      if (typeof ws?.terminate === 'function') (ws.terminate as () => void).call(ws);
    };
    if (cutAfterMs === 0) cut();
    else setTimeout(cut, cutAfterMs).unref();
  }
}

/** Bytes written to the socket and not yet taken by the kernel, plus what engine.io still queues for it. */
export function unsentBytes(socket: Socket): number {
  const conn = socket.conn as unknown as EngineInternals;
  const buffered = conn.transport?.socket?.bufferedAmount;
  let bytes = typeof buffered === 'number' ? buffered : 0;
  for (const packet of conn.writeBuffer ?? []) {
    const data = packet.data;
    if (typeof data === 'string') bytes += data.length;
    else if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) bytes += data.byteLength;
  }
  return bytes;
}
