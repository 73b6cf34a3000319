/**
 * The wire contract between clients and the server: socket.io event maps and REST bodies. Messages inside are the
 * domain's commands and events (shared/domain). docs/protocol.md is generated from these schemas.
 */
import { z } from 'zod';
import { DEVICE_SECRET_PATTERN } from './deviceSecret.ts';
import { Id, IsoDate, UserId } from './domain/commands.ts';
import { CONTACT_PHONE_PATTERN, LIMITS } from './domain/limits.ts';
import type { CommandInput } from './domain/commands.ts';
import type { ErrorCode } from './domain/errors.ts';
import type { DomainEvent } from './domain/events.ts';
import { DELIVERY_METHODS, PARTICIPANT_KINDS, ROLES } from './domain/roles.ts';
import type { Role } from './domain/roles.ts';
import type { ReportPage, SessionState } from './domain/types.ts';

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

/**
 * The secret a phone makes for itself when it first joins a session (≥ 128 random bits, base64url) and keeps. The
 * server derives the participant's public handle (`participantId`) from it, one-way and per session: whoever shows
 * the secret again — a retried join, a reload, an expired token, a second device — is the same participant, and
 * nobody who knows only the handle (staff see it) can become them.
 */
export const DeviceSecret = z
  .string()
  .regex(DEVICE_SECRET_PATTERN, '22–128 base64url characters (at least 128 random bits)');

/**
 * A contact for the written reply (personal data under Decree 13/2023/NĐ-CP): optional, given by the asker at join
 * or on a paper form, used only to send them the written reply, and erased a retention period after it is delivered
 * (CONTACT_RETENTION_DAYS, docs/security.md "Contacts for written replies"). It lives outside the event log, so no
 * phone, screen or staff view ever carries it; only the office (admin) reads it. Empty strings erase a part.
 */
export const ContactSchema = z.strictObject({
  phone: z
    .string()
    .trim()
    .max(LIMITS.contactPhone)
    .regex(CONTACT_PHONE_PATTERN, 'a phone number: digits, spaces, dots or dashes, optionally +')
    .optional(),
  address: z.string().trim().max(LIMITS.contactAddress).optional(),
});
export type ContactInput = z.infer<typeof ContactSchema>;
/** The asker's own contact (GET /api/sessions/:id/my-contact) and how long it is kept after the reply. */
export interface MyContactReply {
  contact: ContactInput | null;
  retentionDays: number;
}
/** A stored contact, as the office sees it (GET /api/sessions/:id/contacts). */
export interface Contact {
  phone?: string;
  address?: string;
  /** When it was given or last changed (ms). */
  savedAt: number;
}

export const JoinSchema = z.strictObject({
  joinCode: z.string().trim().toUpperCase().min(4).max(12),
  name: z.string().trim().max(100).optional(),
  group: z.number().int().min(1).max(200).optional(),
  organisation: z.string().trim().max(150).optional(),
  kind: z.enum(PARTICIPANT_KINDS).default('resident'),
  /** This device's secret for the session; without one the server makes one and returns it (`JoinReply.secret`). */
  secret: DeviceSecret.optional(),
  /**
   * The token of a personal invitation (giấy mời), from its QR link (`/j/<code>#moi=<token>`): joining with it on
   * the meeting's day marks that invitee present, once. A token of another session is `invalid_invitation`.
   */
  invitation: z
    .string()
    .regex(/^[A-Za-z0-9_-]{22,64}$/, 'an invitation token')
    .optional(),
  /** Where to send a written reply (kept apart from the session's record, see ContactSchema). */
  contact: ContactSchema.optional(),
});
export interface JoinReply {
  token: string;
  sessionId: string;
  /** The participant's handle, derived from the secret: what staff and the participant's own events show. */
  participantId: string;
  /** Only when the request carried no secret: the one the server made. Keep it to join again as the same person. */
  secret?: string;
  /** Only for a join with an invitation: whether its invitee is now marked present (false before the meeting's day). */
  checkedIn?: boolean;
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
  /** Days an asker's contact for the written reply is kept after the reply is delivered (the consent notice says it). */
  contactRetentionDays: number;
}

/** The same rule as the user ids that link officials to accounts (shared/domain/commands.ts UserId). */
export const USERNAME = UserId;
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

/** An uploaded report file and the pages it gave (POST /api/sessions/:id/report-files). */
export interface ReportFileReply {
  fileId: string;
  pages: ReportPage[];
  seq: number;
}

/** The address in QR codes and printed links (GET /api/join/:code/link). */
export interface JoinLinkReply {
  origin: string;
  link: string;
  /** localhost or 127.x: phones cannot open it. */
  loopback: boolean;
}
/** The addresses the office may choose for QR codes (GET /api/addresses). */
export interface AddressesReply {
  chosen: string;
  loopback: boolean;
  /** The office's choice, when made. */
  saved?: string;
  publicUrl?: string;
  /** The server's private LAN addresses, with its port. */
  lan: string[];
}
/** PUT /api/addresses/join: the address for QR codes (null: back to PUBLIC_URL or the request's address). */
export const JoinAddressSchema = z.strictObject({
  address: z
    .string()
    .trim()
    .max(200)
    .regex(/^https?:\/\/[^\s/?#]+\/?$/, 'http(s)://host[:port], nothing after')
    .nullable(),
});

/**
 * POST /api/sessions/:id/minutes/approve: the register number (số văn bản) may be given with the approval, the last
 * moment it can be set ("12" → "Số: 12/BB-UBND"; a number with its own suffix is kept as given).
 */
export const MinutesApproveSchema = z.strictObject({
  docNumber: z
    .string()
    .trim()
    .min(1)
    .max(40)
    .regex(/^[\p{L}\p{N}][\p{L}\p{N}./-]*$/u, 'letters, digits, "/", "-" and "."')
    .optional(),
});

/** Roles that may put a session on the big screen (a display token, or pairing a projector by its code). */
export const SCREEN_ROLES = ['admin', 'chair', 'secretary'] as const satisfies readonly Role[];

/** Pairing a projector: the projector's code and secret, a staff member's claim. */
const PairingCode = z.string().trim().min(4).max(16);
export const ScreenPairPollSchema = z.strictObject({
  code: PairingCode,
  secret: z.string().min(16).max(100),
});
export const ScreenPairClaimSchema = z.strictObject({ code: PairingCode });
export interface ScreenPairingOpened {
  /** What the projector shows, e.g. "K7M2QX". */
  code: string;
  /** Only the projector knows it: it alone can collect the display token. */
  secret: string;
  expiresAt: number;
}
export type ScreenPairPollReply =
  | { status: 'waiting'; expiresAt: number }
  | { status: 'paired'; sessionId: string; token: string; path: string };

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
        userId: UserId.optional(),
        retired: z.boolean().optional(),
      }),
    )
    .max(200),
  criteria: z
    .array(z.object({ id: Id, label: z.string().trim().min(1).max(300) }))
    .min(1)
    .max(30),
});

/** POST /api/sessions/:id/replies/letter: issue the letter (công văn) carrying the written replies named. */
export const ReplyLetterSchema = z.strictObject({
  /** The command id (a resend records nothing twice). */
  id: Id.optional(),
  questionIds: z.array(Id).min(1).max(LIMITS.maxBulk),
  number: z.string().trim().min(1).max(LIMITS.letterNumber),
  date: IsoDate,
  signedBy: Id,
});
/** POST /api/sessions/:id/replies/delivery: how and when the written replies named reached their askers. */
export const ReplyDeliverySchema = z.strictObject({
  id: Id.optional(),
  questionIds: z.array(Id).min(1).max(LIMITS.maxBulk),
  method: z.enum(DELIVERY_METHODS),
  date: IsoDate,
});
