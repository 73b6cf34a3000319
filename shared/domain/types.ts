/** Session state: the fold of a session's event log. Pure data, JSON-serialisable (snapshots store it as is). */
import type { z } from 'zod';
import type {
  ANSWER_MODES,
  QUESTION_SOURCES,
  ActorRefSchema,
  AgendaItemEntity,
  AnswerEntity,
  AnswererEntity,
  CriterionEntity,
  DeliveryEntity,
  FieldEntity,
  FloorEntity,
  HandEntity,
  OfficialEntity,
  PaperFormEntity,
  PaperIssuedEntity,
  ParticipantEntity,
  QuestionEntity,
  ReplyLetterEntity,
  ReportPageEntity,
  SurveyResponseEntity,
  WrittenAnswerEntity,
} from './entities.ts';
import type { AGENDA_KINDS, PARTICIPANT_KINDS, Role, SESSION_STATUSES } from './roles.ts';

export type { Role, StaffRole } from './roles.ts';
export type SessionStatus = (typeof SESSION_STATUSES)[number];
export type ModerationMode = 'open' | 'review';
export type ParticipantKind = (typeof PARTICIPANT_KINDS)[number];
export type AgendaKind = (typeof AGENDA_KINDS)[number];
/** How a participant came and a form was filled: by phone or on paper. */
export type Source = 'phone' | 'paper';
/** How an opinion reached the ward: a participant's channels, or said at the microphone. */
export type QuestionSource = (typeof QUESTION_SOURCES)[number];
export type AnswerMode = (typeof ANSWER_MODES)[number];

/** Who issues a command. Attendees are participants of one session; staff are user accounts. */
export interface Actor {
  role: Role;
  /** userId for staff and screen, participantId for attendees. */
  id: string;
  name?: string;
  /** Fields an official answers for. */
  fieldIds?: string[];
}

export type ActorRef = z.infer<typeof ActorRefSchema>;
export type Field = z.infer<typeof FieldEntity>;
export type Official = z.infer<typeof OfficialEntity>;
export type AgendaItem = z.infer<typeof AgendaItemEntity>;
export type Criterion = z.infer<typeof CriterionEntity>;
export type Participant = z.infer<typeof ParticipantEntity>;
export type WrittenAnswer = z.infer<typeof WrittenAnswerEntity>;
export type Answer = z.infer<typeof AnswerEntity>;
export type ReplyLetter = z.infer<typeof ReplyLetterEntity>;
export type Delivery = z.infer<typeof DeliveryEntity>;
export type DeliveryMethod = Delivery['method'];
export type Answerer = z.infer<typeof AnswererEntity>;
export type Question = z.infer<typeof QuestionEntity>;
export type QuestionStatus = Question['status'];
export type Hand = z.infer<typeof HandEntity>;
export type Floor = z.infer<typeof FloorEntity>;
export type SurveyResponse = z.infer<typeof SurveyResponseEntity>;
export type PaperFormRecord = z.infer<typeof PaperFormEntity>;
export type PaperIssued = z.infer<typeof PaperIssuedEntity>;
export type ReportPage = z.infer<typeof ReportPageEntity>;

export interface Speech {
  handId: string;
  name?: string;
  group?: number;
  topic?: string;
  fieldId?: string;
  startedAt: number;
  endedAt: number;
}

export interface SessionDetails {
  title: string;
  date: string;
  startTime: string;
  venue: string;
  wardName: string;
  parentBody?: string;
  place?: string;
  /** Number of residential groups (tổ dân phố), numbered 1…groups. */
  groups: number;
}

export interface SessionState extends SessionDetails {
  id: string;
  seq: number;
  createdAt: number;
  status: SessionStatus;
  moderation: ModerationMode;
  joinCode: string;
  fields: Field[];
  officials: Official[];
  agenda: AgendaItem[];
  currentAgendaItemId?: string;
  criteria: Criterion[];
  /** Staff see everyone; an attendee's view holds only themselves; the screen's holds no names. */
  participants: Record<string, Participant>;
  participantCount: number;
  /** How many of them joined by phone (paper forms entered by the office are not). Absent in states saved before it
   *  was kept: read it with phonesJoined(). */
  phoneCount?: number;
  questions: Record<string, Question>;
  highlightedQuestionId?: string;
  queue: Hand[];
  firstTimeFirst: boolean;
  defaultSpeechSec: number;
  floor?: Floor;
  speeches: Speech[];
  /** participantIds that have had the floor. */
  spoke: string[];
  /** Staff see every response; an attendee only their own. */
  surveys: Record<string, SurveyResponse>;
  surveyCount: number;
  minutesApproved?: { hash: string; by: ActorRef; at: number };
  /** When the session first went live: the actual opening the minutes record (absent before it opened). */
  openedAt?: number;
  /** When it was closed, while it is (a reopened session has none until it closes again). */
  closedAt?: number;
  /** Paper forms handed out by the office (absent until it says how many). */
  paperIssued?: PaperIssued;
  /** The report's pages the office uploaded for the big screen (staff and screen only; absent until the first). */
  reportPages?: ReportPage[];
  /** The page the screen shows in its report mode; absent: the report's key figures. */
  reportPageId?: string;
}
