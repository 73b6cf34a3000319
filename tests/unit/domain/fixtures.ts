/**
 * A session to drive the pure core with: commands are parsed with the real zod schema (so defaults apply exactly as
 * at the gateway), decided, and the accepted events get their seqs and are folded, like SessionService does.
 */
import { apply } from '../../../shared/domain/apply.ts';
import { CommandSchema, type Command, type CommandInput } from '../../../shared/domain/commands.ts';
import { sessionCreated } from '../../../shared/domain/create.ts';
import { decide, type Decision } from '../../../shared/domain/decide.ts';
import { DEFAULT_CRITERIA, FIELDS_2020 } from '../../../shared/domain/defaults.ts';
import type { DomainEvent } from '../../../shared/domain/events.ts';
import { isPrototypeName } from '../../../shared/domain/records.ts';
import { emptyState } from '../../../shared/domain/state.ts';
import type { Actor, ModerationMode, SessionState, SessionStatus } from '../../../shared/domain/types.ts';
import type { WardProfile } from '../../../shared/domain/ward.ts';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A command without the envelope: the harness adds `id` (unless given) and `sessionId`. */
export type Draft = DistributiveOmit<CommandInput, 'id' | 'sessionId'> & { id?: string };

export const SESSION_ID = 'session-1';

export const WARD: WardProfile = {
  name: 'Phường Kiến Hưng',
  place: 'Kiến Hưng',
  groups: 22,
  fields: [...FIELDS_2020.map((f) => ({ ...f })), { id: 'old-field', name: 'Lĩnh vực cũ', retired: true }],
  officials: [
    {
      id: 'o-dc',
      name: 'Trần Địa Chính',
      title: 'Công chức Địa chính',
      fieldIds: ['dia-chinh'],
      userId: 'u-official',
    },
    { id: 'o-tp', name: 'Lê Tư Pháp', title: 'Công chức Tư pháp', fieldIds: ['tu-phap'] },
  ],
  criteria: DEFAULT_CRITERIA.map((c) => ({ ...c })),
};

export const ADMIN: Actor = { role: 'admin', id: 'u-admin', name: 'Văn phòng UBND' };
export const CHAIR: Actor = { role: 'chair', id: 'u-chair', name: 'Chủ tịch Nguyễn Văn Chủ' };
export const VICE_CHAIR: Actor = { role: 'vice_chair', id: 'u-vice', name: 'Phó Chủ tịch Phạm Văn Phó' };
export const OFFICIAL: Actor = {
  role: 'official',
  id: 'u-official',
  name: 'Trần Địa Chính',
  fieldIds: ['dia-chinh'],
};
export const SECRETARY: Actor = { role: 'secretary', id: 'u-secretary', name: 'Thư ký Đỗ Thị Ghi' };
export const SCREEN: Actor = { role: 'screen', id: `screen:${SESSION_ID}` };
export const attendee = (id: string, name?: string): Actor =>
  name ? { role: 'attendee', id, name } : { role: 'attendee', id };

export const STAFF: readonly Actor[] = [ADMIN, CHAIR, VICE_CHAIR, OFFICIAL, SECRETARY];

/** The session.created event of a session with the test ward, at seq 1. */
export function createdEvent(moderation: ModerationMode = 'review'): DomainEvent {
  const input = {
    title: 'Hội nghị đối thoại',
    date: '2030-06-15',
    startTime: '08:00',
    venue: 'Hội trường',
    moderation,
  };
  return { ...sessionCreated(SESSION_ID, input, WARD, 'ABCD12', ADMIN, 1000), seq: 1 } as DomainEvent;
}

export class TestSession {
  state: SessionState;
  readonly log: DomainEvent[];
  now = 10_000;
  #nextId = 1;
  /** Every error code a decision of this session returned (for the coverage check of decide.test.ts). */
  readonly codes = new Set<string>();
  readonly #reservedIds: boolean;

  /**
   * `reservedIds`: let ids named like Object.prototype's members through (the schema refuses them; logs and tokens
   * made before it did may hold them, and the core must treat them as ordinary ids).
   */
  constructor(options: { moderation?: ModerationMode; status?: SessionStatus; reservedIds?: boolean } = {}) {
    this.#reservedIds = options.reservedIds ?? false;
    const created = createdEvent(options.moderation ?? 'review');
    this.log = [created];
    this.state = apply(emptyState(SESSION_ID), created);
    const status = options.status ?? 'live';
    if (status === 'collecting' || status === 'live') this.ok(ADMIN, { type: 'session.set_status', status });
    if (status === 'closed') {
      this.ok(ADMIN, { type: 'session.set_status', status: 'live' });
      this.ok(ADMIN, { type: 'session.set_status', status: 'closed' });
    }
  }

  /** Parses like the gateway does; throws when the draft is not a valid command (a bug in the test). */
  command(draft: Draft): Command {
    const raw = { id: `c${this.#nextId++}`, sessionId: SESSION_ID, ...draft };
    if (!this.#reservedIds) return CommandSchema.parse(raw);
    // Parsed with stand-ins for the reserved names (so defaults apply as at the gateway), then the names put back.
    const names: string[] = [];
    const swap = (value: unknown, to: (s: string) => string): unknown => {
      if (typeof value === 'string') return to(value);
      if (Array.isArray(value)) return value.map((v) => swap(v, to));
      if (typeof value === 'object' && value !== null)
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, swap(v, to)]));
      return value;
    };
    const standIn = (s: string) => {
      if (!isPrototypeName(s)) return s;
      if (!names.includes(s)) names.push(s);
      return `reserved-${names.indexOf(s)}`;
    };
    const back = (s: string) => {
      const m = /^reserved-(\d+)$/.exec(s);
      return m ? (names[Number(m[1])] ?? s) : s;
    };
    return swap(CommandSchema.parse(swap(raw, standIn)), back) as Command;
  }

  /** Decides and, when accepted, folds the events with their seqs. The clock advances by 1 s per command. */
  run(actor: Actor, draft: Draft): Decision {
    this.now += 1000;
    const decision = decide(this.state, this.command(draft), actor, this.now);
    if (!decision.ok) {
      this.codes.add(decision.error.code);
      return decision;
    }
    for (const e of decision.events) {
      const stored = { ...e, seq: this.state.seq + 1 } as DomainEvent;
      this.log.push(stored);
      this.state = apply(this.state, stored);
    }
    return decision;
  }

  /** Runs a command that must be accepted; returns its events (with seqs). */
  ok(actor: Actor, draft: Draft): DomainEvent[] {
    const before = this.log.length;
    const decision = this.run(actor, draft);
    if (!decision.ok)
      throw new Error(`${draft.type} refused: ${decision.error.code} ${decision.error.message}`);
    return this.log.slice(before);
  }

  /** Runs a command that must be refused; returns the error, and checks the state did not change. */
  fail(
    actor: Actor,
    draft: Draft,
  ): { code: string; message: string; params?: Record<string, string | number> } {
    const before = this.state;
    const decision = this.run(actor, draft);
    if (decision.ok) throw new Error(`${draft.type} was accepted: ${JSON.stringify(decision.events)}`);
    if (this.state !== before) throw new Error('a refused command changed the state');
    return decision.error;
  }

  /** Joins an attendee (by phone) and returns the actor. */
  join(id: string, profile: { name?: string; group?: number; organisation?: string } = {}): Actor {
    const actor = attendee(id, profile.name);
    this.ok(actor, { type: 'participant.join', participantId: id, ...profile });
    return actor;
  }

  question(id: string) {
    const q = this.state.questions[id];
    if (!q) throw new Error(`no question ${id}`);
    return q;
  }
}
