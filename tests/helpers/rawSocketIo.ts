/**
 * A hostile socket.io client, written by hand over one TCP socket: it speaks just enough of WebSocket, engine.io and
 * socket.io to authenticate, and then writes whatever frames it is told to — and reads only while it wants to. A
 * real client library cannot stop reading; this one can (`stopReading`), so the server's outgoing buffer for it
 * grows as it would for a script that floods and never reads.
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

export class RawSocketIo {
  readonly #tcp: Socket;
  #buffer = Buffer.alloc(0);
  #waiters: Array<() => void> = [];
  /** Text frames received (engine.io packets), in order, while reading. */
  readonly frames: string[] = [];
  #closed = false;
  readonly closed: Promise<void>;

  private constructor(tcp: Socket) {
    this.#tcp = tcp;
    this.closed = new Promise((resolve) =>
      tcp.once('close', () => {
        this.#closed = true;
        this.#notify();
        resolve();
      }),
    );
    tcp.on('error', () => {});
  }

  /** Opens a websocket to socket.io's endpoint and joins the default namespace with `auth: {token}`. */
  static async connect(port: number, token: string): Promise<RawSocketIo> {
    const tcp = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      tcp.once('connect', resolve);
      tcp.once('error', reject);
    });
    const client = new RawSocketIo(tcp);
    const key = randomBytes(16).toString('base64');
    tcp.write(
      'GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n' +
        `Host: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    tcp.on('data', (chunk: Buffer) => client.#receive(chunk));
    await client.#until(() => client.#buffer.includes('\r\n\r\n') || client.frames.length > 0);
    await client.#until(() => client.frames.some((f) => f.startsWith('0{')));
    client.send(`40${JSON.stringify({ token })}`);
    await client.#until(() => client.frames.some((f) => f.startsWith('40') || f.startsWith('44')));
    if (!client.frames.some((f) => f.startsWith('40')))
      throw new Error(`refused: ${client.frames.join(' ')}`);
    return client;
  }

  get isClosed(): boolean {
    return this.#closed;
  }

  /** One engine.io packet as one masked text frame. */
  send(packet: string): void {
    this.#tcp.write(frame(packet));
  }

  /** Many packets in one write, as fast as the kernel takes them. */
  sendAll(packets: string[]): void {
    this.#tcp.write(Buffer.concat(packets.map(frame)));
  }

  /** A socket.io event with an ack id: `42<id>["event",payload]`. */
  static event(ackId: number, name: string, payload: unknown): string {
    return `42${ackId}${JSON.stringify([name, payload])}`;
  }

  /** From now on nothing is read from the socket: the server's writes pile up in its buffers. */
  stopReading(): void {
    this.#tcp.pause();
  }

  destroy(): void {
    this.#tcp.destroy();
  }

  #receive(chunk: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    if (this.#buffer.subarray(0, 12).toString('latin1').startsWith('HTTP/1.1')) {
      const end = this.#buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = this.#buffer.subarray(0, end).toString('latin1');
      if (!head.startsWith('HTTP/1.1 101')) throw new Error(`upgrade refused: ${head}`);
      this.#buffer = this.#buffer.subarray(end + 4);
    }
    for (;;) {
      const parsed = unframe(this.#buffer);
      if (!parsed) break;
      this.#buffer = this.#buffer.subarray(parsed.used);
      if (parsed.opcode === 1) this.frames.push(parsed.payload.toString('utf8'));
    }
    this.#notify();
  }

  #notify(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  async #until(done: () => boolean, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (this.#closed) throw new Error('closed');
      if (Date.now() > deadline) throw new Error(`timed out; frames: ${this.frames.join(' | ')}`);
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }
}

/** A client's text frame: FIN, opcode 1, masked with a zero key (allowed; the server unmasks it all the same). */
function frame(text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const n = payload.length;
  const head = n < 126 ? Buffer.alloc(2) : n < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  head[0] = 0x81;
  if (n < 126) head[1] = 0x80 | n;
  else if (n < 65536) {
    head[1] = 0x80 | 126;
    head.writeUInt16BE(n, 2);
  } else {
    head[1] = 0x80 | 127;
    head.writeBigUInt64BE(BigInt(n), 2);
  }
  return Buffer.concat([head, Buffer.alloc(4), payload]);
}

/** A server's (unmasked) frame at the start of `buf`, or null when it has not fully arrived. */
function unframe(buf: Buffer): { opcode: number; payload: Buffer; used: number } | null {
  if (buf.length < 2) return null;
  const opcode = (buf[0] ?? 0) & 0x0f;
  let length = (buf[1] ?? 0) & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (buf.length < 4) return null;
    length = buf.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (buf.length < 10) return null;
    length = Number(buf.readBigUInt64BE(2));
    offset = 10;
  }
  if (buf.length < offset + length) return null;
  return { opcode, payload: buf.subarray(offset, offset + length), used: offset + length };
}
