/**
 * Every event, as zod schemas tagged by `type` (past tense). Question events carry the question as it is after the
 * event, so `apply` is an upsert and each audience's projection is a redaction of the same shape.
 */
import { z } from 'zod';
import {
  ActorRefSchema,
  AgendaItemEntity,
  CriterionEntity,
  FieldEntity,
  FloorEntity,
  HandEntity,
  OfficialEntity,
  PaperFormEntity,
  PaperIssuedEntity,
  ParticipantEntity,
  QuestionEntity,
  ReportPageEntity,
  SurveyResponseEntity,
} from './entities.ts';
import { SESSION_STATUSES } from './roles.ts';

const SpeechEntity = z.object({
  handId: z.string(),
  name: z.string().optional(),
  group: z.number().optional(),
  topic: z.string().optional(),
  fieldId: z.string().optional(),
  startedAt: z.number(),
  endedAt: z.number(),
});

export const SessionConfigEntity = z.object({
  id: z.string(),
  title: z.string(),
  date: z.string(),
  startTime: z.string(),
  venue: z.string(),
  wardName: z.string(),
  parentBody: z.string().optional(),
  place: z.string().optional(),
  groups: z.number(),
  moderation: z.enum(['open', 'review']),
  joinCode: z.string(),
  fields: z.array(FieldEntity),
  officials: z.array(OfficialEntity),
  agenda: z.array(AgendaItemEntity),
  criteria: z.array(CriterionEntity),
  defaultSpeechSec: z.number(),
});

/** Fields every event has: its place in the session's log, when, and who (attendees' ids are never projected). */
const meta = { seq: z.number().int().positive(), at: z.number(), actor: ActorRefSchema.optional() };
const ev = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.object({ type: z.literal(type), ...meta, ...shape });

export const eventSchemas = [
  ev('session.created', { session: SessionConfigEntity }),
  ev('session.updated', {
    changes: SessionConfigEntity.pick({
      title: true,
      date: true,
      startTime: true,
      venue: true,
      wardName: true,
      parentBody: true,
      place: true,
      groups: true,
      moderation: true,
      criteria: true,
      defaultSpeechSec: true,
    }).partial(),
  }),
  ev('session.status_changed', { status: z.enum(SESSION_STATUSES), from: z.enum(SESSION_STATUSES) }),
  ev('session.join_code_changed', { joinCode: z.string() }),
  ev('agenda.updated', { items: z.array(AgendaItemEntity) }),
  ev('agenda.started', { itemId: z.string() }),
  ev('field.upserted', { field: FieldEntity }),
  ev('official.upserted', { official: OfficialEntity }),
  ev('participant.joined', {
    participant: ParticipantEntity.optional(),
    participantCount: z.number(),
    /** Joined by phone so far (absent on paper forms, and in logs written before it was counted). */
    phoneCount: z.number().optional(),
  }),
  ev('participant.updated', { participant: ParticipantEntity }),
  ev('question.submitted', { question: QuestionEntity }),
  ev('question.edited', { question: QuestionEntity }),
  ev('question.withdrawn', { question: QuestionEntity }),
  /** `participantId` and `value` reach only the voter; everyone gets the new count. */
  ev('question.voted', {
    questionId: z.string(),
    votes: z.number(),
    participantId: z.string().optional(),
    value: z.boolean().optional(),
  }),
  ev('question.approved', { questions: z.array(QuestionEntity) }),
  ev('question.hidden', { question: QuestionEntity }),
  /** The duplicate (`question`, now merged) and the question it went into, with the votes carried over. */
  ev('question.merged', { question: QuestionEntity, into: QuestionEntity }),
  ev('question.assigned', { question: QuestionEntity }),
  ev('question.answered', { question: QuestionEntity }),
  ev('question.written_answer_added', { question: QuestionEntity }),
  /** One per opinion the letter answers: the question with its `answer.written.letter`. */
  ev('question.reply_issued', { question: QuestionEntity }),
  /** One per opinion: the question with its `answer.written.delivery`. */
  ev('question.delivered', { question: QuestionEntity }),
  ev('question.reopened', { question: QuestionEntity }),
  ev('question.noted', { question: QuestionEntity }),
  /** In the earlier session, one per opinion carried over: the question with its `carriedTo`. */
  ev('question.carried_over', { question: QuestionEntity }),
  ev('question.highlighted', { questionId: z.string().nullable() }),
  /** `index`: where the hand goes in the queue (decided by the server, e.g. first-time speakers first). */
  ev('hand.raised', { hand: HandEntity, index: z.number() }),
  ev('hand.lowered', { handId: z.string() }),
  ev('hand.removed', { handId: z.string() }),
  ev('hand.moved', { handId: z.string(), toIndex: z.number() }),
  ev('queue.reordered', { firstTimeFirst: z.boolean(), order: z.array(z.string()) }),
  ev('speaker.floor_given', { floor: FloorEntity }),
  ev('speaker.speech_ended', { speech: SpeechEntity }),
  ev('speaker.time_set', { durationSec: z.number() }),
  ev('survey.submitted', { response: SurveyResponseEntity.optional(), surveyCount: z.number() }),
  ev('minutes.approved', { hash: z.string() }),
  /**
   * A paper form opened again and corrected. Staff get the form as it was (`before`) and as it is (`participant`,
   * `survey`: null when its scores were taken out); every audience gets its questions as they are now and the ids
   * of those taken off the form, so figures follow everywhere.
   */
  ev('paper_form.corrected', {
    participant: ParticipantEntity.optional(),
    questions: z.array(QuestionEntity),
    removedQuestionIds: z.array(z.string()),
    survey: SurveyResponseEntity.nullable().optional(),
    surveyCount: z.number(),
    before: PaperFormEntity.optional(),
  }),
  /** A paper form removed (entered by mistake, twice): its author, opinions and scores leave the figures. */
  ev('paper_form.removed', {
    participantId: z.string().optional(),
    removedQuestionIds: z.array(z.string()),
    participantCount: z.number(),
    surveyCount: z.number(),
    before: PaperFormEntity.optional(),
  }),
  ev('paper_form.issued_set', { issued: PaperIssuedEntity }),
  /** The report's pages after an upload or a removal (staff and the screen; phones never). */
  ev('report.pages_changed', { pages: z.array(ReportPageEntity) }),
  /** The page the screen shows in its report mode; null: the key figures. */
  ev('report.page_shown', { pageId: z.string().nullable() }),
] as const;

export const DomainEventSchema = z.discriminatedUnion('type', eventSchemas);
export type DomainEvent = z.infer<typeof DomainEventSchema>;
export type EventType = DomainEvent['type'];
export type EventOf<T extends EventType> = Extract<DomainEvent, { type: T }>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An event as decided, before the store gives it its seq. */
export type NewDomainEvent = DistributiveOmit<DomainEvent, 'seq'>;
export const EVENT_TYPES = eventSchemas.map((s) => s.shape.type.value) as EventType[];
