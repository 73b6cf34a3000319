/**
 * Every command a client may send, as zod schemas tagged by `type`. Types come from z.infer; docs/protocol.md is
 * generated from these schemas. The client imports only the types (`import type`), so zod stays out of its bundle.
 */
import { z } from 'zod';
import { LIMITS } from './limits.ts';
import { PARTICIPANT_KINDS, SESSION_STATUSES } from './roles.ts';

export const Id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'an id of 1–64 letters, digits, - or _');
const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).optional();
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
const Time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time HH:mm');
const Group = z.number().int().min(1).max(LIMITS.maxGroups);
const Kind = z.enum(PARTICIPANT_KINDS);

const FieldSchema = z.object({ id: Id, name: text(LIMITS.title), retired: z.boolean().optional() });
const OfficialSchema = z.object({
  id: Id,
  name: text(LIMITS.name),
  title: z.string().trim().max(LIMITS.title),
  fieldIds: z.array(Id).max(50),
  userId: Id.optional(),
  retired: z.boolean().optional(),
});
const AgendaItemSchema = z.object({ id: Id, title: text(LIMITS.title) });
const CriterionSchema = z.object({ id: Id, label: text(LIMITS.title) });
const Scores = z.record(Id, z.number().int().min(1).max(5));

/** Fields shared by every command: a client-made id (idempotency key) and the session it acts on. */
const base = { id: Id, sessionId: Id };
const cmd = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.strictObject({ type: z.literal(type), ...base, ...shape });

export const commandSchemas = [
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
    mode: z.enum(['live', 'writing']),
    note: z.string().trim().max(LIMITS.note).default(''),
    dueDate: IsoDate.optional(),
  }),
  cmd('question.answer_written', { questionId: Id, text: text(LIMITS.writtenAnswer) }),
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
  // Satisfaction form
  cmd('survey.submit', { answers: Scores, comment: optionalText(LIMITS.note) }),
  // Paper forms entered by office staff: a participant, their questions and their scores in one step
  cmd('paper_form.enter', {
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
  }),
  // Minutes
  cmd('minutes.approve', { hash: z.string().regex(/^[0-9a-f]{64}$/) }),
] as const;

export const CommandSchema = z.discriminatedUnion('type', commandSchemas);
export type Command = z.infer<typeof CommandSchema>;
export type CommandType = Command['type'];
export type CommandOf<T extends CommandType> = Extract<Command, { type: T }>;
/** What a client sends: defaults not yet filled in. */
export type CommandInput = z.input<typeof CommandSchema>;
export const COMMAND_TYPES = commandSchemas.map((s) => s.shape.type.value) as CommandType[];

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
