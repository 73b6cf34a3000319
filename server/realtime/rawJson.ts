/**
 * Sending JSON that is already serialised. A sync snapshot of a big session is a megabyte of JSON; the snapshot cache
 * keeps it as text so that a repeated sync costs a lookup, and socket.io must then put that text on the wire as it is
 * rather than parse and serialise it again. socket.io takes a `parser` option; this one is socket.io's own parser
 * with an encoder that writes a `RawJson` value's text in place of the value. Nothing changes on the wire: the client
 * decodes the message with the stock parser into the object the text stands for.
 *
 * A RawJson must be an argument of the message or a property of one (e.g. an ack's `{…, state: raw}`); deeper, or
 * through the Redis adapter (which serialises broadcasts itself), it would be serialised as the value it stands for
 * (`toJSON`), correct but at the full cost again.
 */
import { randomUUID } from 'node:crypto';
import { Decoder, Encoder, PacketType, protocol, type Packet } from 'socket.io-parser';

export class RawJson<T = unknown> {
  /** The type the text stands for (for the compiler only). */
  declare readonly _type?: T;
  constructor(readonly json: string) {}

  /** Serialised anywhere else (a log line, a plain `JSON.stringify`): the value itself. */
  toJSON(): unknown {
    return JSON.parse(this.json);
  }
}

/** The raw value typed as what it stands for, to put into a message typed by the protocol. */
export function onTheWire<T>(raw: RawJson<T>): T {
  return raw as unknown as T;
}

/** Stands for a raw value while the envelope around it is serialised; never sent. */
const PLACEHOLDER = `raw-json:${randomUUID()}:`;

class RawJsonEncoder extends Encoder {
  override encode(packet: Packet): Array<string | Buffer> {
    if ((packet.type !== PacketType.ACK && packet.type !== PacketType.EVENT) || !hasRaw(packet.data))
      return super.encode(packet);
    const raws: string[] = [];
    const stand = (raw: RawJson) => `${PLACEHOLDER}${raws.push(raw.json) - 1}`;
    const data = (packet.data as unknown[]).map((arg) => {
      if (arg instanceof RawJson) return stand(arg);
      if (!isPlainObject(arg)) return arg;
      const copy: Record<string, unknown> = { ...arg };
      for (const [key, value] of Object.entries(copy)) if (value instanceof RawJson) copy[key] = stand(value);
      return copy;
    });
    // The envelope holds no binary (a snapshot is text), so the stock encoder makes one string of it.
    let [text] = super.encode({ ...packet, data }) as [string];
    raws.forEach((json, i) => {
      const quoted = JSON.stringify(`${PLACEHOLDER}${i}`);
      const at = text.indexOf(quoted);
      text = text.slice(0, at) + json + text.slice(at + quoted.length);
    });
    return [text];
  }
}

function hasRaw(data: unknown): boolean {
  if (!Array.isArray(data)) return false;
  for (const arg of data) {
    if (arg instanceof RawJson) return true;
    if (isPlainObject(arg)) for (const key in arg) if (arg[key] instanceof RawJson) return true;
  }
  return false;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && Object.getPrototypeOf(x) === Object.prototype;
}

/** socket.io's `parser` option. */
export const rawJsonParser = { protocol, PacketType, Encoder: RawJsonEncoder, Decoder };
