/**
 * The things a session holds, as zod schemas: events carry them, docs/protocol.md documents them, and the state
 * types in types.ts are inferred from them.
 */
import { z } from 'zod';
import { AGENDA_KINDS, DELIVERY_METHODS, PARTICIPANT_KINDS, ROLES } from './roles.ts';

export const ActorRefSchema = z.object({ role: z.enum(ROLES), id: z.string(), name: z.string().optional() });
const Source = z.enum(['phone', 'paper']);
/** How an opinion reached the ward: typed on a phone, written on a paper form, said at the microphone. */
export const QUESTION_SOURCES = ['phone', 'paper', 'speech'] as const;
/**
 * What became of an opinion (the plan's outcomes): answered at the meeting; to be answered in writing by a date;
 * recommended (kiến nghị) to a competent higher authority; outside the ward's remit.
 */
export const ANSWER_MODES = ['live', 'writing', 'upward', 'outside'] as const;

export const FieldEntity = z.object({ id: z.string(), name: z.string(), retired: z.boolean().optional() });
export const OfficialEntity = z.object({
  id: z.string(),
  name: z.string(),
  title: z.string(),
  fieldIds: z.array(z.string()),
  userId: z.string().optional(),
  retired: z.boolean().optional(),
});
export const AgendaItemEntity = z.object({
  id: z.string(),
  title: z.string(),
  /** Absent in logs written before kinds existed. */
  kind: z.enum(AGENDA_KINDS).optional(),
  /** What the big screen lists for this item: the delegates, the report's key figures, the conclusions. */
  screenLines: z.array(z.string()).optional(),
});
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

/** An official as they were named when they answered (a later rename does not rewrite the record). */
export const AnswererEntity = z.object({
  officialId: z.string(),
  name: z.string(),
  title: z.string().optional(),
});
/** The official letter (công văn) that carries a written reply: its number and date in the office's register. */
export const ReplyLetterEntity = z.object({
  number: z.string(),
  /** YYYY-MM-DD, the letter's date. */
  date: z.string(),
  /** Who signs: the answering official or the chairman, as named when the letter was issued. */
  signer: AnswererEntity,
  by: ActorRefSchema,
  at: z.number(),
});
export const DeliveryEntity = z.object({
  method: z.enum(DELIVERY_METHODS),
  /** YYYY-MM-DD, when the reply reached the asker. */
  date: z.string(),
  by: ActorRefSchema,
  at: z.number(),
});
export const WrittenAnswerEntity = z.object({
  text: z.string(),
  by: ActorRefSchema,
  at: z.number(),
  letter: ReplyLetterEntity.optional(),
  delivery: DeliveryEntity.optional(),
});
export const AnswerEntity = z.object({
  mode: z.enum(ANSWER_MODES),
  note: z.string(),
  /** Who recorded the answer (the chairman's tablet, the secretary, the office). */
  by: ActorRefSchema,
  /**
   * Who answered: one of the session's officials, the assignee unless another was named. Absent in logs from
   * before it was kept, and when the recorder answered themselves without an official record: then `by` answered.
   */
  answerer: AnswererEntity.optional(),
  at: z.number(),
  dueDate: z.string().optional(),
  /** Mode `upward`: the authority the recommendation goes to ("UBND tỉnh …", "Bộ …"). */
  authority: z.string().optional(),
  /** Mode `outside`: why the ward cannot deal with it. */
  reason: z.string().optional(),
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
  source: z.enum(QUESTION_SOURCES),
  /** Source `speech`: the floor turn it was said in (the speech's hand id and when it started). */
  speech: z.object({ handId: z.string(), startedAt: z.number() }).optional(),
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
  /** Carried over from an earlier session: where it was, and its number in that session's list (the report's). */
  carriedFrom: z
    .object({
      sessionId: z.string(),
      questionId: z.string(),
      sessionTitle: z.string().optional(),
      number: z.number().optional(),
    })
    .optional(),
  /** Carried over to a later session (the earlier session's copy): where it continues and under which number. */
  carriedTo: z
    .object({
      sessionId: z.string(),
      questionId: z.string(),
      sessionTitle: z.string(),
      sessionDate: z.string(),
      number: z.number().optional(),
    })
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
  /** The administrative procedure the respondent used (SIPAS: "thủ tục đã thực hiện"), as they wrote it. */
  procedure: z.string().optional(),
  source: Source,
  at: z.number(),
});

/** A paper form as entered: who filled it in, its opinions and its scores (what a correction or removal replaces). */
export const PaperFormEntity = z.object({
  participant: ParticipantEntity,
  questions: z.array(QuestionEntity),
  survey: SurveyResponseEntity.optional(),
});

/** How many forms the office handed out, per residential group and per organisation (Front, mass organisations). */
export const PaperIssuedEntity = z.object({
  groups: z.array(z.object({ group: z.number(), count: z.number() })),
  organisations: z.array(z.object({ organisation: z.string(), count: z.number() })),
});

/** The file types the office may upload as report pages for the big screen. */
export const REPORT_FILE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'application/pdf'] as const;
/**
 * One page of the report the big screen shows in its report mode: an uploaded image, or one page of an uploaded PDF.
 * The file itself is kept outside the log (server/reports/ReportFiles.ts); the log holds which pages there are.
 */
export const ReportPageEntity = z.object({
  id: z.string(),
  fileId: z.string(),
  /** The file's name as uploaded, for the office's list. */
  name: z.string(),
  mime: z.enum(REPORT_FILE_TYPES),
  /** The page of the file, from 1 (an image has one). */
  page: z.number().int().min(1),
});
