/**
 * The wire contract between clients and the server: socket.io event maps and REST bodies. Messages inside are the
 * domain's commands and events (shared/domain). docs/protocol.md is generated from these schemas.
 */
import { z } from 'zod';
import { Id } from './domain/commands.ts';
import type { CommandInput } from './domain/commands.ts';
import type { ErrorCode } from './domain/errors.ts';
import type { DomainEvent } from './domain/events.ts';
import { PARTICIPANT_KINDS, ROLES } from './domain/roles.ts';
import type { Role } from './domain/roles.ts';
import type { SessionState } from './domain/types.ts';

export const PROTOCOL_VERSION = 1;

export type Failure = {
  ok: false;
  code: ErrorCode;
  message: string;
  params?: Record<string, string | number>;
};
/** Reply to a command: the seq of its last event (the current head when it changed nothing). */
export type Ack = { ok: true; seq: number; duplicate?: boolean } | Failure;

export const SyncRequestSchema = z.strictObject({ sessionId: Id, since: z.number().int().min(0) });
export type SyncRequest = z.infer<typeof SyncRequestSchema>;
/**
 * Reply to `sync`: the events after `since` for the socket's audience, or a whole projected state when the client
 * is new or too far behind. From then on the socket receives the session's `events`.
 */
export type SyncReply =
  | { ok: true; mode: 'events'; seq: number; serverNow: number; events: DomainEvent[] }
  | { ok: true; mode: 'snapshot'; seq: number; serverNow: number; state: SessionState }
  | Failure;

/** Pushed by the server, batched per tick. Seqs ascend; gaps are events this audience does not see. */
export interface EventsMessage {
  sessionId: string;
  events: DomainEvent[];
}

export interface ServerToClientEvents {
  events(message: EventsMessage): void;
}

export interface ClientToServerEvents {
  command(command: CommandInput, ack: (ack: Ack) => void): void;
  sync(request: SyncRequest, ack: (reply: SyncReply) => void): void;
  /** Clock sync for countdowns: the server's time in ms. */
  time(ack: (serverNow: number) => void): void;
}

// ---- REST -----------------------------------------------------------------------------------------------------

export const LoginSchema = z.strictObject({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(200),
});
export interface LoginReply {
  token: string;
  role: Role;
  userId: string;
  name: string;
  expiresAt: number;
}

export const JoinSchema = z.strictObject({
  joinCode: z.string().trim().toUpperCase().min(4).max(12),
  name: z.string().trim().max(100).optional(),
  group: z.number().int().min(1).max(200).optional(),
  organisation: z.string().trim().max(150).optional(),
  kind: z.enum(PARTICIPANT_KINDS).default('resident'),
  /**
   * A client-made id for this device's identity: a retried join (the reply lost on a bad Wi-Fi) returns the same
   * participant instead of creating a second one. Only the device knows it; no view ever shows it to others.
   */
  participantId: Id.optional(),
});
export interface JoinReply {
  token: string;
  sessionId: string;
  participantId: string;
}

/** What the join page shows before joining: public facts of the session behind a join code. */
export interface JoinInfo {
  sessionId: string;
  title: string;
  date: string;
  startTime: string;
  venue: string;
  wardName: string;
  groups: number;
  status: SessionState['status'];
}

export const USERNAME = z
  .string()
  .trim()
  .regex(/^[a-z0-9._-]{2,32}$/, '2–32 lower-case letters, digits, . _ -');
export const UserCreateSchema = z.strictObject({
  username: USERNAME,
  password: z.string().min(8).max(200),
  role: z.enum(ROLES).exclude(['attendee', 'screen']),
  name: z.string().trim().max(100).optional(),
  title: z.string().trim().max(200).optional(),
  fieldIds: z.array(Id).max(50).optional(),
});
export const UserUpdateSchema = z.strictObject({
  password: z.string().min(8).max(200).optional(),
  role: z.enum(ROLES).exclude(['attendee', 'screen']).optional(),
  name: z.string().trim().max(100).optional(),
  title: z.string().trim().max(200).optional(),
  fieldIds: z.array(Id).max(50).optional(),
  disabled: z.boolean().optional(),
});
export interface UserView {
  userId: string;
  username: string;
  role: Role;
  name: string;
  title?: string;
  fieldIds: string[];
  disabled: boolean;
  createdAt: number;
}

export interface SessionSummary {
  id: string;
  title: string;
  date: string;
  startTime: string;
  venue: string;
  status: SessionState['status'];
  joinCode: string;
  seq: number;
}

export interface DisplayTokenReply {
  token: string;
  /** Path of the big screen, token included. */
  path: string;
}

const FieldBody = z.object({
  id: Id,
  name: z.string().trim().min(1).max(300),
  retired: z.boolean().optional(),
});
export const WardProfileSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  parentBody: z.string().trim().max(200).optional(),
  place: z.string().trim().min(1).max(100),
  address: z.string().trim().max(300).optional(),
  groups: z.number().int().min(0).max(200),
  fields: z.array(FieldBody).min(1).max(50),
  officials: z
    .array(
      z.object({
        id: Id,
        name: z.string().trim().min(1).max(100),
        title: z.string().trim().max(300),
        fieldIds: z.array(Id).max(50),
        userId: Id.optional(),
        retired: z.boolean().optional(),
      }),
    )
    .max(200),
  criteria: z
    .array(z.object({ id: Id, label: z.string().trim().min(1).max(300) }))
    .min(1)
    .max(30),
});
