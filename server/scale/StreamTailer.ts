/**
 * Tails any number of Redis streams over one blocking connection: `XREAD BLOCK … STREAMS k1 k2 … id1 id2 …`, with a
 * cursor per stream, so after a dropped connection or a Redis restart it resumes exactly where it stopped — nothing
 * appended meanwhile is skipped (the streams are durable, unlike pub/sub messages).
 *
 * A stream followed while a read is blocked must not wait for that read to time out: the tailer also reads a private
 * "wake" stream of its own and appends to it (from the command connection) to end the blocked read at once. The wake
 * has a cursor like the others, so a wake sent just before the read reaches Redis still ends it: no race.
 */
import { randomUUID } from 'node:crypto';
import { COMMAND_TIMEOUT_MS, type ScaleClient } from './redisClients.ts';

export interface StreamEntry {
  id: string;
  message: Record<string, string>;
}

export interface StreamTailerOptions {
  /** XREAD BLOCK time (default 2,000 ms). Must stay below the client's command timeout (5 s); see redisClients.ts. */
  blockMs?: number;
  /** Entries per stream per read (default 500): bounds one reply, the next read continues from the cursor. */
  count?: number;
  /** Read failures (Redis down, reconnecting); the tailer retries with a backoff up to 2 s on its own. */
  onError?: (err: unknown) => void;
  /** Prefix of the wake stream's key (default `db:wake`); the key is removed on close and expires if we crash. */
  wakePrefix?: string;
}

interface Follower {
  cursor: string;
  onEntries(entries: StreamEntry[]): void;
}

const WAKE_TTL_MS = 10 * 60_000;
const MAX_BACKOFF_MS = 2_000;

export class StreamTailer {
  readonly #reader: ScaleClient;
  readonly #writer: ScaleClient;
  readonly #blockMs: number;
  readonly #count: number;
  readonly #onError: (err: unknown) => void;
  readonly #wakeKey: string;
  #wakeCursor = '0-0';
  readonly #followers = new Map<string, Follower>();
  /** True from the moment a read's key list is taken until its reply is handled. */
  #reading = false;
  #idle: (() => void) | null = null;
  #closed = false;
  readonly #loop: Promise<void>;

  /**
   * `reader` becomes this tailer's own connection (every command on it would wait behind the blocked read), connected
   * and closed here; `writer` is a shared command connection the caller owns, used for the wake appends.
   */
  static async start(
    reader: ScaleClient,
    writer: ScaleClient,
    options: StreamTailerOptions = {},
  ): Promise<StreamTailer> {
    await reader.connect();
    return new StreamTailer(reader, writer, options);
  }

  private constructor(reader: ScaleClient, writer: ScaleClient, options: StreamTailerOptions) {
    this.#reader = reader;
    this.#writer = writer;
    this.#blockMs = options.blockMs ?? 2_000;
    if (this.#blockMs >= COMMAND_TIMEOUT_MS)
      throw new Error(`blockMs must stay below ${COMMAND_TIMEOUT_MS} ms`);
    this.#count = options.count ?? 500;
    this.#onError = options.onError ?? (() => {});
    this.#wakeKey = `${options.wakePrefix ?? 'db:wake'}:${randomUUID()}`;
    this.#loop = this.#run();
  }

  /** Streams currently followed. */
  get size(): number {
    return this.#followers.size;
  }

  /**
   * Delivers every entry of `key` with an id above `afterId`, in order, in batches; `onEntries` is called
   * synchronously from the read loop, so it must not throw or block (hand the work off). Following a key again
   * replaces the earlier follower and cursor. Returns the unfollow function.
   */
  follow(key: string, afterId: string, onEntries: (entries: StreamEntry[]) => void): () => void {
    if (this.#closed) return () => {};
    const follower: Follower = { cursor: afterId, onEntries };
    this.#followers.set(key, follower);
    this.#wake();
    return () => {
      if (this.#followers.get(key) === follower) this.#followers.delete(key);
    };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#followers.clear();
    this.#idle?.();
    // Rejects the blocked read at once; the loop sees #closed and ends.
    this.#reader.destroy();
    await this.#loop;
    if (this.#writer.isReady) await this.#writer.del(this.#wakeKey).catch(() => {});
  }

  #wake(): void {
    if (this.#idle) {
      this.#idle();
      return;
    }
    if (!this.#reading) return; // the next read takes the new key list anyway
    this.#writer
      .multi()
      .xAdd(this.#wakeKey, '*', { w: '1' }, { TRIM: { strategy: 'MAXLEN', threshold: 1 } })
      .pExpire(this.#wakeKey, WAKE_TTL_MS)
      .exec()
      .catch(() => {}); // Redis unreachable: the read fails too and the next one takes the new key list
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (!this.#closed) {
      if (this.#followers.size === 0) {
        await new Promise<void>((resolve) => (this.#idle = resolve));
        this.#idle = null;
        continue;
      }
      const followed = [...this.#followers];
      this.#reading = true;
      let reply: unknown;
      try {
        reply = await this.#reader.xRead(
          [
            { key: this.#wakeKey, id: this.#wakeCursor },
            ...followed.map(([key, f]) => ({ key, id: f.cursor })),
          ],
          { BLOCK: this.#blockMs, COUNT: this.#count },
        );
        failures = 0;
      } catch (err) {
        this.#reading = false;
        if (this.#closed) return;
        this.#onError(err);
        failures++;
        await sleep(Math.min(50 * 2 ** failures, MAX_BACKOFF_MS));
        continue;
      }
      this.#reading = false;
      const current = new Map(followed);
      for (const { name, entries } of parseXReadReply(reply)) {
        const last = entries.at(-1);
        if (!last) continue;
        if (name === this.#wakeKey) {
          this.#wakeCursor = last.id;
          continue;
        }
        const follower = current.get(name);
        // Unfollowed or followed anew (with its own cursor) while the read was blocked: not for this follower.
        if (!follower || this.#followers.get(name) !== follower) continue;
        follower.cursor = last.id;
        try {
          follower.onEntries(entries);
        } catch (err) {
          this.#onError(err);
        }
      }
    }
  }
}

/** The RESP2 XREAD reply `[{name, messages: [{id, message}]}] | null`, checked rather than cast. */
export function parseXReadReply(reply: unknown): Array<{ name: string; entries: StreamEntry[] }> {
  if (!Array.isArray(reply)) return [];
  return reply.map(
    (stream: { name: unknown; messages: Array<{ id: unknown; message: Record<string, unknown> }> }) => ({
      name: String(stream.name),
      entries: stream.messages.map((m) => ({
        id: String(m.id),
        message: Object.fromEntries(Object.entries(m.message).map(([k, v]) => [k, String(v)])),
      })),
    }),
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
