/**
 * The things a session holds, as zod schemas: events carry them, docs/protocol.md documents them, and the state
 * types in types.ts are inferred from them.
 */
import { z } from 'zod';
import { PARTICIPANT_KINDS, ROLES } from './roles.ts';

export const ActorRefSchema = z.object({ role: z.enum(ROLES), id: z.string(), name: z.string().optional() });
const Source = z.enum(['phone', 'paper']);

export const FieldEntity = z.object({ id: z.string(), name: z.string(), retired: z.boolean().optional() });
export const OfficialEntity = z.object({
  id: z.string(),
  name: z.string(),
  title: z.string(),
  fieldIds: z.array(z.string()),
  userId: z.string().optional(),
  retired: z.boolean().optional(),
});
export const AgendaItemEntity = z.object({ id: z.string(), title: z.string() });
export const CriterionEntity = z.object({ id: z.string(), label: z.string() });

export const ParticipantEntity = z.object({
  id: z.string(),
  name: z.string().optional(),
  group: z.number().optional(),
  organisation: z.string().optional(),
  kind: z.enum(PARTICIPANT_KINDS),
  source: Source,
  joinedAt: z.number(),
});

export const WrittenAnswerEntity = z.object({ text: z.string(), by: ActorRefSchema, at: z.number() });
export const AnswerEntity = z.object({
  mode: z.enum(['live', 'writing']),
  note: z.string(),
  by: ActorRefSchema,
  at: z.number(),
  dueDate: z.string().optional(),
  written: WrittenAnswerEntity.optional(),
});

export const QUESTION_STATUSES = [
  'pending',
  'published',
  'answered',
  'hidden',
  'merged',
  'withdrawn',
] as const;
export const QuestionEntity = z.object({
  id: z.string(),
  /** Absent from every view of an anonymous question but its author's own. */
  authorId: z.string().optional(),
  authorName: z.string().optional(),
  authorGroup: z.number().optional(),
  authorOrganisation: z.string().optional(),
  anonymous: z.boolean(),
  text: z.string(),
  fieldId: z.string().optional(),
  source: Source,
  status: z.enum(QUESTION_STATUSES),
  /** Submitted while the session was collecting opinions, before the meeting. */
  preMeeting: z.boolean(),
  createdAt: z.number(),
  updatedAt: z.number(),
  votes: z.number(),
  /** Kept by the server and staff; public views omit it (an attendee learns only of their own vote). */
  voters: z.array(z.string()).optional(),
  assignedFieldId: z.string().optional(),
  assignedOfficialId: z.string().optional(),
  answer: AnswerEntity.optional(),
  hiddenReason: z.string().optional(),
  mergedInto: z.string().optional(),
  staffNote: z.string().optional(),
  carriedFrom: z
    .object({ sessionId: z.string(), questionId: z.string(), sessionTitle: z.string().optional() })
    .optional(),
});

export const HandEntity = z.object({
  id: z.string(),
  participantId: z.string().optional(),
  name: z.string().optional(),
  group: z.number().optional(),
  topic: z.string().optional(),
  fieldId: z.string().optional(),
  raisedAt: z.number(),
  /** Has not had the floor before in this session ("first-time speakers first"). */
  firstTime: z.boolean(),
});
export const FloorEntity = HandEntity.extend({ startedAt: z.number(), durationSec: z.number() });

export const SurveyResponseEntity = z.object({
  participantId: z.string(),
  /** criterionId → 1 (very dissatisfied) … 5 (very satisfied). */
  answers: z.record(z.string(), z.number()),
  comment: z.string().optional(),
  source: Source,
  at: z.number(),
});
