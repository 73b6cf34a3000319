/**
 * Every command a client may send, as zod schemas tagged by `type`. Types come from z.infer; docs/protocol.md is
 * generated from these schemas. The client imports only the types (`import type`), so zod stays out of its bundle.
 */
import { z } from 'zod';
import { isCalendarDate } from './calendar.ts';
import { ANSWER_MODES, REPORT_FILE_TYPES } from './entities.ts';
import { LIMITS } from './limits.ts';
import { isPrototypeName } from './records.ts';
import { AGENDA_KINDS, DELIVERY_METHODS, PARTICIPANT_KINDS, SESSION_STATUSES } from './roles.ts';

/** Names of Object.prototype's members (`constructor`, `__proto__`, `toString`, …) are no ids: see records.ts. */
export const Id = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'an id of 1–64 letters, digits, - or _')
  .refine((id) => !isPrototypeName(id), 'a reserved name (a member of Object.prototype)');
/**
 * One rule for usernames and the user ids that link an official to an account (the user id is the username): 2–32
 * lower-case letters, digits, dot, underscore or hyphen. The account form says so (admin.users.usernameHint).
 */
export const USERNAME_PATTERN = /^[a-z0-9._-]{2,32}$/;
export const UserId = z
  .string()
  .trim()
  .regex(USERNAME_PATTERN, '2–32 lower-case letters, digits, . _ -')
  .refine((id) => !isPrototypeName(id), 'a reserved name (a member of Object.prototype)');
const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).optional();
/** A real calendar date: `2024-02-30` matches the pattern and is refused. */
export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
  .refine(isCalendarDate, 'a date of the calendar');
const Time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time HH:mm');
const Group = z.number().int().min(1).max(LIMITS.maxGroups);
const Kind = z.enum(PARTICIPANT_KINDS);

const FieldSchema = z.object({ id: Id, name: text(LIMITS.title), retired: z.boolean().optional() });
const OfficialSchema = z.object({
  id: Id,
  name: text(LIMITS.name),
  title: z.string().trim().max(LIMITS.title),
  fieldIds: z.array(Id).max(50),
  userId: UserId.optional(),
  retired: z.boolean().optional(),
});
const AgendaItemSchema = z.object({
  id: Id,
  title: text(LIMITS.title),
  kind: z.enum(AGENDA_KINDS).optional(),
  screenLines: z.array(text(LIMITS.title)).max(LIMITS.screenLines).optional(),
});
const CriterionSchema = z.object({ id: Id, label: text(LIMITS.title) });
const Scores = z.record(Id, z.number().int().min(1).max(5));

const IssuedCount = z.number().int().min(0).max(100_000);
/** A paper form as the office types it in (entering it, or correcting it: the whole form as it should read). */
const PaperFormShape = {
  participantId: Id,
  name: optionalText(LIMITS.name),
  group: Group.optional(),
  organisation: optionalText(LIMITS.organisation),
  kind: Kind.default('resident'),
  questions: z
    .array(
      z.object({
        questionId: Id,
        text: text(LIMITS.questionText),
        fieldId: Id.optional(),
        anonymous: z.boolean().default(false),
      }),
    )
    .max(20)
    .default([]),
  answers: Scores.optional(),
  comment: optionalText(LIMITS.note),
  procedure: optionalText(LIMITS.procedure),
};

/** Fields shared by every command: a client-made id (idempotency key) and the session it acts on. */
const base = { id: Id, sessionId: Id };
const cmd = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.strictObject({ type: z.literal(type), ...base, ...shape });

/** Commands a client may send over the socket. */
export const clientCommandSchemas = [
  // Session set-up (office staff)
  cmd('session.update', {
    title: text(LIMITS.title).optional(),
    date: IsoDate.optional(),
    startTime: Time.optional(),
    venue: text(LIMITS.title).optional(),
    wardName: text(LIMITS.title).optional(),
    parentBody: optionalText(LIMITS.title),
    place: optionalText(LIMITS.title),
    groups: z.number().int().min(0).max(LIMITS.maxGroups).optional(),
    moderation: z.enum(['open', 'review']).optional(),
    criteria: z.array(CriterionSchema).min(1).max(30).optional(),
    defaultSpeechSec: z.number().int().min(30).max(LIMITS.maxSpeechSec).optional(),
  }),
  cmd('session.set_status', { status: z.enum(SESSION_STATUSES) }),
  cmd('session.set_join_code', { joinCode: z.string().regex(/^[A-Z0-9]{4,12}$/) }),
  cmd('agenda.set', { items: z.array(AgendaItemSchema).min(1).max(50) }),
  cmd('agenda.start', { itemId: Id }),
  cmd('field.upsert', { field: FieldSchema }),
  cmd('official.upsert', { official: OfficialSchema }),
  // Participants
  cmd('participant.join', {
    participantId: Id,
    name: optionalText(LIMITS.name),
    group: Group.optional(),
    organisation: optionalText(LIMITS.organisation),
    kind: Kind.default('resident'),
  }),
  cmd('participant.update', {
    name: optionalText(LIMITS.name),
    group: Group.nullable().optional(),
    organisation: optionalText(LIMITS.organisation),
    kind: Kind.optional(),
  }),
  // Questions
  cmd('question.submit', {
    questionId: Id,
    text: text(LIMITS.questionText),
    fieldId: Id.optional(),
    anonymous: z.boolean().default(false),
  }),
  cmd('question.edit', {
    questionId: Id,
    text: text(LIMITS.questionText),
    fieldId: Id.optional(),
    anonymous: z.boolean().optional(),
  }),
  cmd('question.withdraw', { questionId: Id }),
  cmd('question.vote', { questionId: Id, value: z.boolean() }),
  cmd('question.approve', { questionIds: z.array(Id).min(1).max(LIMITS.maxBulk) }),
  cmd('question.hide', { questionId: Id, reason: text(LIMITS.reason) }),
  cmd('question.merge', { questionId: Id, intoId: Id }),
  cmd('question.assign', {
    questionId: Id,
    fieldId: Id.nullable().optional(),
    officialId: Id.nullable().optional(),
  }),
  cmd('question.answer', {
    questionId: Id,
    mode: z.enum(ANSWER_MODES),
    note: z.string().trim().max(LIMITS.note).default(''),
    /** Mode `writing`: the day the written answer is due (required). */
    dueDate: IsoDate.optional(),
    /** Mode `upward`: the competent authority recommended to, free text (required). */
    authority: optionalText(LIMITS.title),
    /** Mode `outside`: why it is outside the ward's remit (required). */
    reason: optionalText(LIMITS.reason),
    /** The official who answered (default: the assignee, else the recorder's own official record). */
    answeredBy: Id.optional(),
  }),
  /**
   * One outcome for many open opinions at once (closing the meeting: "all of this field in writing by …"). Not
   * `live`: a bulk is a decision about what was not answered in the hall. Without `answeredBy` each opinion's
   * answerer is its assignee, else its field's first official, else the recorder's own official record.
   */
  cmd('question.answer_bulk', {
    questionIds: z.array(Id).min(1).max(LIMITS.maxBulk),
    mode: z.enum(['writing', 'upward', 'outside']),
    note: z.string().trim().max(LIMITS.note).default(''),
    dueDate: IsoDate.optional(),
    authority: optionalText(LIMITS.title),
    reason: optionalText(LIMITS.reason),
    answeredBy: Id.optional(),
  }),
  cmd('question.answer_written', { questionId: Id, text: text(LIMITS.writtenAnswer) }),
  /** The office issues the letter (công văn) carrying written replies: one number for one or several opinions. */
  cmd('question.reply_issue', {
    questionIds: z.array(Id).min(1).max(LIMITS.maxBulk),
    number: text(LIMITS.letterNumber),
    date: IsoDate,
    /** The official who signs: the answering official or the chairman. */
    signedBy: Id,
  }),
  /** How and when the written reply reached the asker (a correction replaces the earlier record). */
  cmd('question.delivery_record', {
    questionIds: z.array(Id).min(1).max(LIMITS.maxBulk),
    method: z.enum(DELIVERY_METHODS),
    date: IsoDate,
  }),
  cmd('question.reopen', { questionId: Id }),
  cmd('question.highlight', { questionId: Id.nullable() }),
  cmd('question.note', { questionId: Id, note: z.string().trim().max(LIMITS.note) }),
  // Speaker queue
  cmd('hand.raise', { handId: Id, topic: optionalText(LIMITS.topic), fieldId: Id.optional() }),
  cmd('hand.lower', { handId: Id }),
  cmd('hand.add', {
    handId: Id,
    name: text(LIMITS.name),
    group: Group.optional(),
    topic: optionalText(LIMITS.topic),
    fieldId: Id.optional(),
  }),
  cmd('hand.remove', { handId: Id }),
  cmd('hand.move', { handId: Id, toIndex: z.number().int().min(0).max(10_000) }),
  cmd('queue.set_first_time_first', { enabled: z.boolean() }),
  cmd('speaker.give_floor', {
    handId: Id,
    durationSec: z.number().int().min(10).max(LIMITS.maxSpeechSec).optional(),
  }),
  cmd('speaker.end', {}),
  cmd('speaker.set_time', { durationSec: z.number().int().min(10).max(LIMITS.maxSpeechSec) }),
  /**
   * A finished floor turn becomes one or more opinions of the register (source `speech`, author the speaker): a short
   * summary, a field and optionally an assignee each. At "Kết thúc" or later, also after the meeting.
   */
  cmd('speech.record_opinions', {
    handId: Id,
    opinions: z
      .array(
        z.strictObject({
          questionId: Id,
          text: text(LIMITS.questionText),
          fieldId: Id.optional(),
          officialId: Id.optional(),
        }),
      )
      .min(1)
      .max(LIMITS.opinionsPerSpeech),
  }),
  // Satisfaction form
  cmd('survey.submit', {
    answers: Scores,
    comment: optionalText(LIMITS.note),
    procedure: optionalText(LIMITS.procedure),
  }),
  // Paper forms entered by office staff: a participant, their questions and their scores in one step; opened again
  // and corrected (the whole form is sent as it should read), removed, and the count of forms handed out
  cmd('paper_form.enter', PaperFormShape),
  cmd('paper_form.correct', PaperFormShape),
  cmd('paper_form.remove', { participantId: Id }),
  // The report's pages on the big screen: the panel turns them (null: back to the key figures)
  cmd('report.show_page', { pageId: Id.nullable() }),
  cmd('paper_form.set_issued', {
    groups: z
      .array(z.strictObject({ group: Group, count: IssuedCount }))
      .max(LIMITS.maxGroups)
      .default([]),
    organisations: z
      .array(z.strictObject({ organisation: text(LIMITS.organisation), count: IssuedCount }))
      .max(100)
      .default([]),
  }),
] as const;

/**
 * Commands only the server issues, never parsed from a client. `minutes.approve` carries the hash the server computed
 * from the sealed, stored minutes; its one path is `POST /api/sessions/:id/minutes/approve`, so no client can record
 * an approval of a text that is not the one kept.
 */
export const serverCommandSchemas = [
  cmd('minutes.approve', { hash: z.string().regex(/^[0-9a-f]{64}$/) }),
  /**
   * The office uploaded a report file (`POST /api/sessions/:id/report-files`): its pages join the report. The server
   * stores the file first and names its pages, so no client can list a page whose file is not kept.
   */
  cmd('report.add_pages', {
    pages: z
      .array(
        z.strictObject({
          id: Id,
          fileId: Id,
          name: text(LIMITS.title),
          mime: z.enum(REPORT_FILE_TYPES),
          page: z.number().int().min(1).max(LIMITS.reportPages),
        }),
      )
      .min(1)
      .max(LIMITS.reportPages),
  }),
  /** The office removed a report file (`DELETE /api/sessions/:id/report-files/:fileId`): its pages leave. */
  cmd('report.remove_file', { fileId: Id }),
] as const;

/** Every command the domain decides (the permission table and `decide` cover them all). */
export const commandSchemas = [...clientCommandSchemas, ...serverCommandSchemas] as const;

export const CommandSchema = z.discriminatedUnion('type', commandSchemas);
/** What the socket accepts from a client. */
export const ClientCommandSchema = z.discriminatedUnion('type', clientCommandSchemas);
export type Command = z.infer<typeof CommandSchema>;
export type CommandType = Command['type'];
export type CommandOf<T extends CommandType> = Extract<Command, { type: T }>;
/** What a client sends: defaults not yet filled in. */
export type CommandInput = z.input<typeof CommandSchema>;
export const COMMAND_TYPES = commandSchemas.map((s) => s.shape.type.value) as CommandType[];
export const CLIENT_COMMAND_TYPES: readonly CommandType[] = clientCommandSchemas.map(
  (s) => s.shape.type.value,
);

/** Body of `POST /api/sessions`: the session is created from the ward profile and the default programme. */
export const SessionCreateSchema = z.strictObject({
  title: text(LIMITS.title),
  date: IsoDate,
  startTime: Time.default('08:00'),
  venue: text(LIMITS.title),
  moderation: z.enum(['open', 'review']).default('review'),
  carryOverFrom: Id.optional(),
});
export type SessionCreate = z.infer<typeof SessionCreateSchema>;
