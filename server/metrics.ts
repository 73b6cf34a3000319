/**
 * The numbers an operator watches (`GET /metrics`, Prometheus text format, prom-client). One registry per app, made
 * in app.ts and handed to whoever counts something, so two apps in one process (tests, benchmarks) never mix their
 * counts. Every metric is named `dialogue_<thing>_<unit>`; docs/operations.md lists them with the alerts to set.
 *
 * Cost: counters and histograms are a few hash lookups per observation and have no per-socket label; what is a
 * count of things (sockets, rooms, streams behind) is read from its owner when Prometheus scrapes, not kept up to
 * date on every change.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Audience } from '../shared/domain/projection.ts';
import type { EventStore } from './store/EventStore.ts';

export const METRICS_PREFIX = 'dialogue_';

/** Seconds; from a sub-millisecond fsync or Redis call to the 5 s a phone would call a failure. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
/** Seconds; fan-out to 10,000 phones takes hundreds of milliseconds, a stuck one seconds. */
const LAG_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export type SyncOutcome = 'events' | 'snapshot' | 'rate_limited' | 'refused' | 'error';
export type DropReason = 'too_many_in_flight' | 'buffer_full' | 'slow_reader';

export class Metrics {
  readonly registry = new Registry();
  readonly commands = this.#counter(
    'dialogue_commands_total',
    'Commands answered over socket.io, by command type and result (ok, or the error code).',
    ['type', 'result'],
  );
  readonly ackSeconds = this.#histogram(
    'dialogue_command_ack_seconds',
    'From a command reaching the gateway to its ack (rate limit, decide, durable append, fold).',
    LATENCY_BUCKETS,
  );
  readonly syncs = this.#counter(
    'dialogue_syncs_total',
    'Sync requests by outcome: events, snapshot, rate_limited, refused (bad request, forbidden, unknown session), error.',
    ['outcome'],
  );
  readonly snapshotBuilds = this.#counter(
    'dialogue_sync_snapshot_builds_total',
    'Projected snapshots built for sync replies, by audience (at most one per audience per session and seq; the rest come from the cache).',
    ['audience'],
  );
  readonly fanoutLagSeconds = this.#histogram(
    'dialogue_fanout_lag_seconds',
    "From a batch of events reaching this node's fan-out (after the append, or after the tailer read it) to its last message written to the sockets.",
    LAG_BUCKETS,
  );
  readonly appendSeconds = this.#histogram(
    'dialogue_store_append_seconds',
    'Durable appends to the event store (one group commit: fsync or Redis script), successful or not.',
    LATENCY_BUCKETS,
  );
  readonly socketsDropped = this.#counter(
    'dialogue_sockets_dropped_total',
    'Sockets disconnected by the server for misbehaving: too_many_in_flight, buffer_full, slow_reader.',
    ['reason'],
  );
  readonly tailerRefreshSeconds = this.#histogram(
    'dialogue_scale_tailer_refresh_seconds',
    'Scale-out: from the tailer seeing events another node appended to them being folded here and handed to the fan-out.',
    LAG_BUCKETS,
  );

  constructor() {
    // Process CPU, memory, heap, GC, handles, and event-loop delay (dialogue_nodejs_eventloop_lag_*).
    collectDefaultMetrics({
      register: this.registry,
      prefix: METRICS_PREFIX,
      eventLoopMonitoringPrecision: 10,
    });
  }

  /** Sockets on this node by audience, counted when scraped. */
  socketsGauge(count: () => Record<Audience, number>): void {
    new Gauge({
      name: 'dialogue_sockets',
      help: 'socket.io connections on this node, by audience (staff, attendee, screen).',
      labelNames: ['audience'] as const,
      registers: [this.registry],
      collect() {
        for (const [audience, n] of Object.entries(count())) this.set({ audience }, n);
      },
    });
  }

  /** Minutes documents in memory and y-websocket connections on this node. */
  minutesGauges(stats: () => { documents: number; sockets: number } | null): void {
    this.#gauge(
      'dialogue_minutes_rooms',
      'Minutes documents (one per session being edited or read) in memory on this node.',
      () => stats()?.documents ?? 0,
    );
    this.#gauge(
      'dialogue_minutes_connections',
      'Minutes (y-websocket) connections on this node.',
      () => stats()?.sockets ?? 0,
    );
  }

  /** Scale-out only: events other nodes appended that this node has seen on the stream but not yet folded. */
  tailerGauges(lag: () => { sessions: number; eventsBehind: number }): void {
    this.#gauge(
      'dialogue_scale_followed_sessions',
      'Scale-out: session streams this node follows.',
      () => lag().sessions,
    );
    this.#gauge(
      'dialogue_scale_tailer_lag_events',
      'Scale-out: events on the followed streams not yet folded into this node’s state (summed over sessions).',
      () => lag().eventsBehind,
    );
  }

  #counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  #histogram(name: string, help: string, buckets: number[]): Histogram {
    return new Histogram({ name, help, buckets, registers: [this.registry] });
  }

  /** A number read from its owner when Prometheus scrapes. */
  #gauge(name: string, help: string, read: () => number): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      collect() {
        this.set(read());
      },
    });
  }

  /** The store as given, with the time of every append observed. */
  timedEvents(events: EventStore): EventStore {
    const histogram = this.appendSeconds;
    return {
      append: async (...args) => {
        const end = histogram.startTimer();
        try {
          return await events.append(...args);
        } finally {
          end();
        }
      },
      appendMany: async (...args) => {
        const end = histogram.startTimer();
        try {
          return await events.appendMany(...args);
        } finally {
          end();
        }
      },
      read: (...args) => events.read(...args),
      head: (...args) => events.head(...args),
      commandSeq: (...args) => events.commandSeq(...args),
      saveSnapshot: (...args) => events.saveSnapshot(...args),
      loadSnapshot: (...args) => events.loadSnapshot(...args),
      sessionIds: () => events.sessionIds(),
    };
  }
}

/**
 * Who may read /metrics. With METRICS_TOKEN set: whoever sends it as a bearer token (Prometheus'
 * `authorization: {credentials: …}`), from anywhere. Without: only a direct connection from this machine (a scraper
 * or an SSH tunnel) — a request that came through a reverse proxy carries forwarding headers and is refused, since
 * a proxy on the same machine would otherwise make every visitor look local.
 */
export function mayReadMetrics(req: Request, token: string | undefined): boolean {
  if (token !== undefined) {
    const given = Buffer.from(req.get('authorization') ?? '');
    const wanted = Buffer.from(`Bearer ${token}`);
    return given.length === wanted.length && timingSafeEqual(given, wanted);
  }
  const proxied = ['forwarded', 'x-forwarded-for', 'x-real-ip'].some((h) => req.get(h) !== undefined);
  return !proxied && isLoopback(req.socket.remoteAddress);
}

function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || /^(::ffff:)?127\./.test(address);
}
