/**
 * How a simulated phone reads an `events` message: as the text that came, parsed only when the phone needs what is
 * in it. A real phone parses its messages on its own CPU; ten thousand simulated ones parsing every message on the
 * benchmark's two cores made the load generators, not the server, the slowest part: the bare socket.io baseline
 * itself reached its phones seconds late under load. Only the `events` messages of the default namespace without an
 * ack id are kept as text; everything else (acks, connect, errors) goes through socket.io's own decoder. The real
 * server and the baseline are read by the same decoder.
 */
import { Decoder, Encoder, PacketType } from 'socket.io-parser';

/** An `events` message as it came: its payload's JSON text, parsed on first use. */
export class Unread<T> {
  #value: T | undefined;
  constructor(readonly text: string) {}
  includes(s: string): boolean {
    return this.text.includes(s);
  }
  get value(): T {
    return (this.#value ??= JSON.parse(this.text) as T);
  }
}

const EVENTS = `${PacketType.EVENT}["events",`;

class LazyDecoder extends Decoder {
  override add(chunk: unknown): void {
    if (typeof chunk === 'string' && chunk.startsWith(EVENTS) && chunk.endsWith(']')) {
      this.emitReserved('decoded', {
        type: PacketType.EVENT,
        nsp: '/',
        data: ['events', new Unread(chunk.slice(EVENTS.length, -1))],
      });
      return;
    }
    super.add(chunk);
  }
}

/** A socket.io-client `parser` option. */
export const lazyParser = { Encoder, Decoder: LazyDecoder };
