/**
 * Writes docs/protocol.md from the zod schemas in shared/ (DESIGN §4: "generated from … the zod schemas so the two
 * cannot drift"). Run: `npm run docs:protocol`. tests/unit/protocolDoc.test.ts renders it again in memory and fails
 * when the file differs, so a schema change without a regenerated doc does not pass.
 *
 * What cannot come from a schema (what a command is for, which REST route exists, what an error means) is written
 * here in records keyed by the domain's own unions, so that TypeScript refuses a new command, event or error code
 * without its line.
 */
import {
  CheckInSchema,
  InvitationLookupSchema,
  InvitationSettingsSchema,
  InviteeImportSchema,
  InviteeInputSchema,
} from '../shared/invitations/invitees.ts';
import { isPermanentClose, MINUTES_CLOSE_REASONS } from '../shared/minutes/closeCodes.ts';
import { MINUTES_LIMITS } from '../shared/minutes/limits.ts';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import {
  COMMAND_TYPES,
  Id,
  SessionCreateSchema,
  commandSchemas,
  type CommandType,
} from '../shared/domain/commands.ts';
import {
  ActorRefSchema,
  AgendaItemEntity,
  AnswerEntity,
  AnswererEntity,
  CriterionEntity,
  FieldEntity,
  FloorEntity,
  HandEntity,
  OfficialEntity,
  ParticipantEntity,
  QuestionEntity,
  SurveyResponseEntity,
  WrittenAnswerEntity,
} from '../shared/domain/entities.ts';
import { ERROR_CODES, type ErrorCode } from '../shared/domain/errors.ts';
import { EVENT_TYPES, SessionConfigEntity, eventSchemas, type EventType } from '../shared/domain/events.ts';
import { PERMISSIONS } from '../shared/domain/permissions.ts';
import { AFTER_MEETING } from '../shared/domain/decide.ts';
import { ROLES, type Role } from '../shared/domain/roles.ts';
import {
  JoinAddressSchema,
  MinutesApproveSchema,
  JoinSchema,
  LoginSchema,
  PROTOCOL_VERSION,
  ScreenPairClaimSchema,
  ScreenPairPollSchema,
  SyncRequestSchema,
  UserCreateSchema,
  UserUpdateSchema,
  WardProfileSchema,
  type Ack,
  type EventsMessage,
  type SyncReply,
} from '../shared/protocol.ts';
import { httpStatus } from '../server/http/errors.ts';

// ---- what the schemas do not say ---------------------------------------------------------------------------------

const ROLE_NOTES: Record<Role, string> = {
  admin: 'office staff: ward profile, accounts, sessions, paper forms, exports',
  chair: 'the chairman: runs the meeting, answers, approves the minutes',
  vice_chair: 'a vice-chairman: runs the meeting and answers',
  official: 'an official of one or more fields: answers questions',
  secretary: 'the appointed secretary: triage, speaker queue, minutes',
  attendee: 'a participant who joined by code or QR, without an account (token from `POST /api/join`)',
  screen: 'the big screen in the hall (display token); reads only',
};

const COMMAND_NOTES: Record<CommandType, string> = {
  'session.update': 'Changes the given settings of the session, nothing else. Criterion ids must be unique.',
  'session.set_status':
    'Moves the session draft → collecting → live → closed (draft → live directly is allowed); anything else is `invalid_transition`. Closing ends the speech in progress.',
  'session.set_join_code':
    'Sets the join code. `POST /api/sessions/:id/join-code` reserves a fresh unique code and sends this command.',
  'agenda.set':
    'Replaces the programme; item ids must be unique. A current item that is removed stops being current.',
  'agenda.start':
    'Makes an agenda item the current one; the meeting must be live. Starting the current item again changes nothing.',
  'field.upsert':
    'Adds or replaces a field (lĩnh vực). A retired field (`retired: true`) takes no new questions, hands or assignments.',
  'official.upsert': 'Adds or replaces an official; every field id must be known (`unknown_field`).',
  'participant.join':
    'Joins the session as oneself (`participantId` must be the token’s subject), once (`duplicate`, also after closing, so a retried join finds its identity), not while the session is a draft nor, for a new participant, once it is closed. `POST /api/join` sends it for a phone, with the handle it derives from the device secret (see [Join](#join)).',
  'participant.update':
    'Changes one’s own name, residential group (`null` clears it), organisation or kind; not after the session closed.',
  'question.submit':
    'Asks a question while the session is collecting or live. Published at once under open moderation, pending under review. The client makes `questionId`, so a resend can never create two questions.',
  'question.edit':
    'The author changes their question until it is answered (`already_answered`) and while it is pending or published; under review moderation it goes back to review.',
  'question.withdraw':
    'The author withdraws their question until it is answered; not after the session closed.',
  'question.vote':
    'Adds (`value: true`) or takes back (`false`) one’s vote on a published question (`not_votable` otherwise). One vote per participant; a repeat changes nothing.',
  'question.approve':
    'Publishes the pending questions among `questionIds`; the others are skipped. None pending is `invalid_state`; an unknown id is `not_found`.',
  'question.hide':
    'Hides a question with a reason (not one already hidden, merged or withdrawn; after closing, not one answered). Its author still sees it and the reason.',
  'question.merge':
    'Merges a pending or published duplicate into another pending, published or answered question, which gets the union of both questions’ voters.',
  'question.assign':
    'Assigns a field and/or an official. `null` clears, an omitted key keeps the current value.',
  'question.answer':
    'Gives a pending or published question its outcome: answered at the meeting (`live`, not after closing), to be answered in writing by a date (`writing` with `dueDate`, a calendar date: `due_date_required`), recommended to a competent higher authority (`upward` with `authority`, free text such as “UBND tỉnh …”: `authority_required`), or outside the ward’s remit (`outside` with `reason`: `reason_required`). `answeredBy` names the official who answered (default: the assignee, else the sender’s own official record; a secretary or the office must have one of these: `answerer_required`); the answer keeps who answered (`answerer`) apart from who recorded it (`by`). An official may answer only questions of their fields or assigned to them (`not_responsible`, see `isResponsible` in shared/domain/permissions.ts). A second answer gets `already_answered` with the first answerer’s name in `params.by`.',
  'question.answer_bulk':
    'One outcome (`writing`, `upward` or `outside`, with what each needs as for `question.answer`) for many open questions at once — the closing of the meeting. All or nothing: one question that is not open (`already_answered`, `invalid_state` with `params.questionId`), unknown (`not_found`) or not the sender’s (`not_responsible`) refuses the whole command. Without `answeredBy` each question’s answerer is its assignee, else the first serving official of its field, else the sender’s own official record (`answerer_required` with `params.questionId` for a secretary or the office when none). One `question.answered` event per question.',
  'question.answer_written':
    'Adds the text of the written answer to a question answered `writing`. Officials: their own questions only (`not_responsible`).',
  'question.reply_issue':
    'The office (admin) issues the letter (công văn) carrying the written replies of one or several questions: its `number` in the register, its `date` and the official who signs (`signedBy`). Each question needs its written answer first (`invalid_state`); a delivered reply keeps its letter (`invalid_state`). The DOCX is `GET /api/sessions/:id/export/reply-letter.docx?questions=…`.',
  'question.delivery_record':
    'The office (admin) records how (`app`, `group` through the residential group, `post`, `in_person`) and when (`date`) the written replies reached their askers; a second record corrects the first.',
  'question.reopen':
    'Reopens an answered or hidden question: published again, without its answer or hiding reason. Officials: their own questions only. After closing: a hidden question, or an outcome not yet carried out (not one answered at the meeting or whose written answer is in).',
  'question.highlight': 'Shows a published or answered question on the big screen; `null` takes it off.',
  'question.note':
    'Sets a staff note on a question (an empty note clears it). Only staff ever see notes. Officials: their own questions only.',
  'hand.raise':
    'Asks for the floor (live meeting only): one waiting hand per participant and none while one speaks (`hand_already_raised`). With first-time-first on, a first-time speaker goes after the last first-timer.',
  'hand.lower': 'Lowers one’s own waiting hand (`not_author` for another’s).',
  'hand.add':
    'Adds a hand for someone without a phone (a delegate, a guest); it counts as a first-time speaker.',
  'hand.remove': 'Removes a waiting hand.',
  'hand.move': 'Moves a waiting hand to a position in the queue (clamped to the end).',
  'queue.set_first_time_first':
    'Turns “first-time speakers first” on (the queue is reordered, keeping the order within each group) or off.',
  'speaker.give_floor':
    'Gives the floor to a waiting hand (live meeting only) and ends the speech in progress. `durationSec` defaults to the session’s `defaultSpeechSec`.',
  'speaker.end': 'Ends the speech in progress (`no_floor` when nobody speaks).',
  'speaker.set_time': 'Changes the speaking time of the speech in progress.',
  'speech.record_opinions':
    'Records what a speaker said as one or more opinions (1–10): each a `question.submitted` with source `speech`, the speaker’s name and residential group as author, `speech` {handId, startedAt}, published, received when the speech started, with its `fieldId` and optional assignee `officialId`. `handId` names an ended speech (`not_found`); live or after closing (the secretary writes up the notes).',
  'survey.submit':
    'Submits or replaces one’s satisfaction form while the session is open: scores 1–5 for criteria of the session, at least one.',
  'paper_form.enter':
    'Enters a paper opinion form in one step: a new participant (source `paper`), their questions and/or their scores. Not in a draft session; also after closing (forms collected later).',
  'paper_form.correct':
    'Corrects an entered paper form: the whole form as it should read (same `participantId`; questions kept by their ids, new ids added, missing ones taken off; scores replaced, or taken out when absent). An answered opinion, or one others were merged into, cannot be taken off (`already_answered`, `invalid_state`). Nothing changed: no event.',
  'paper_form.remove':
    'Removes an entered paper form with its opinions and scores (same limits as taking an opinion off). Also after closing.',
  'paper_form.set_issued':
    'Records how many forms the office handed out, per residential group and per organisation (the whole list; zero lines dropped).',
  'minutes.approve':
    'Approves the minutes as they are stored, identified by their SHA-256; once. Issued by the server only: the socket refuses it (`unknown_command`); the chair calls `POST /api/sessions/:id/minutes/approve`, which seals the stored minutes and computes the hash itself.',
  'report.show_page':
    'Shows a report page on the big screen in its report mode (`pageId` of `reportPages`), or the key figures again (`null`).',
  'report.add_pages':
    'Adds the pages of an uploaded report file. Issued by the server only: the office calls `POST /api/sessions/:id/report-files`, which stores the file and names its pages.',
  'report.remove_file':
    "Takes an uploaded report file's pages off (the page on the screen too). Issued by the server only: `DELETE /api/sessions/:id/report-files/:fileId`.",
};

const EVENT_NOTES: Record<EventType, string> = {
  'session.created':
    'The first event of every session: its configuration, copied from the ward profile and the default programme.',
  'session.updated': 'Settings changed; `changes` holds only those.',
  'session.status_changed': 'The session moved from `from` to `status`.',
  'session.join_code_changed': 'A new join code; the old one no longer works.',
  'agenda.updated': 'The programme was replaced.',
  'agenda.started': 'The current agenda item.',
  'field.upserted': 'A field was added or replaced.',
  'official.upserted': 'An official was added or replaced; `userId` reaches staff only.',
  'participant.joined':
    'Someone joined (by phone or paper form). Staff and the participant get it whole; the screen only `participantCount`; other attendees nothing.',
  'participant.updated': 'A participant changed their record. Staff and the participant only.',
  'question.submitted': 'A new question.',
  'question.edited': 'The author changed their question.',
  'question.withdrawn': 'The author withdrew their question.',
  'question.voted': '`participantId` and `value` reach only the voter; everyone gets the new count `votes`.',
  'question.approved': 'Questions published by a moderator.',
  'question.hidden': 'A question hidden by a moderator.',
  'question.merged':
    'The duplicate (`question`, now merged) and the question it went into (`into`), with the votes carried over.',
  'question.assigned': 'A field and/or official assigned.',
  'question.answered': 'Answered at the meeting or promised in writing.',
  'question.written_answer_added': 'The written answer arrived.',
  'question.reply_issued': 'The letter carrying the written answer was issued (`answer.written.letter`).',
  'question.delivered': 'The written answer reached the asker (`answer.written.delivery`).',
  'question.carried_over':
    'In the earlier session, for each open opinion a later session took over: the question with `carriedTo` (the later session, its date and the number the opinion has there).',
  'question.reopened': 'Open again, without answer or hiding reason.',
  'question.noted': 'A staff note changed. Staff only.',
  'question.highlighted': 'The question on the big screen (`null`: none).',
  'hand.raised':
    'A hand joined the queue at `index`, which the server decides (first-time speakers first, when on).',
  'hand.lowered': 'Its owner lowered a hand.',
  'hand.removed': 'Staff removed a hand.',
  'hand.moved': 'Staff moved a hand to `toIndex`.',
  'queue.reordered': 'First-time-first switched; `order` is the queue’s new order.',
  'speaker.floor_given': 'Someone has the floor; the hand left the queue.',
  'speaker.speech_ended':
    'A speech ended (when the floor was given to the next speaker, ended, or the session closed).',
  'speaker.time_set': 'The speaking time of the current speech changed.',
  'survey.submitted':
    'A satisfaction form was submitted or replaced. Staff and its participant get the response; the screen only `surveyCount`; other attendees nothing.',
  'minutes.approved': 'The chair approved the minutes with this hash.',
  'paper_form.corrected':
    'A paper form was corrected. Everyone gets its questions as they are now (projected as any question) and `removedQuestionIds`, and `surveyCount`; staff also get the participant, the scores (`survey`, null when taken out) and the form as it was (`before`).',
  'paper_form.removed':
    'A paper form was removed: its questions (`removedQuestionIds`) and scores leave the state and the counts. Staff also get `participantId` and the form as it was (`before`).',
  'paper_form.issued_set': 'The forms handed out per residential group and organisation. Staff only.',
  'report.pages_changed':
    'The report pages for the big screen, all of them, after an upload or a removal. Staff and the screen; attendees never.',
  'report.page_shown':
    'The report page the screen shows (`null`: the key figures). Staff and the screen; attendees never.',
};

const ERROR_NOTES: Record<ErrorCode, string> = {
  bad_request:
    'The message does not fit its schema (`params.field` names the first bad field, `params.max` a length limit) or breaks a rule of the command.',
  unknown_command: 'No command has this `type`.',
  unauthorized: 'No valid token, or a disabled staff account.',
  forbidden:
    'The role may not send this command (see “Who”), the token is for another session, or the attendee has not joined.',
  not_found: 'No such session, question, hand or agenda item (`params.questionId` for questions).',
  session_not_open: 'The session is still a draft.',
  session_not_live: 'Only during the meeting (status `live`).',
  session_closed:
    'The session is closed and the command is not one of the tasks after the meeting (see [Closed sessions](#closed-sessions)).',
  invalid_transition: 'The session cannot go from `params.from` to `params.to`.',
  invalid_state: 'The question is not in a state that allows this (`params.status`).',
  not_author: 'Only the author (of the question, of the hand) may do this.',
  already_answered: 'The question was answered already; `params.by` is the first answerer’s name.',
  not_votable: 'Only published questions take votes (`params.status`).',
  hand_already_raised: 'One waiting hand per participant, and none while one has the floor.',
  no_floor: 'Nobody has the floor.',
  minutes_approved: 'The minutes are approved already.',
  unknown_field: 'No such field, or a retired one (`params.fieldId`).',
  unknown_official: 'No such official (`params.officialId`).',
  unknown_criterion: 'No such satisfaction criterion (`params.criterionId`).',
  not_responsible:
    'An official acted on a question neither of their fields nor assigned to them (`params.questionId`).',
  answerer_required:
    'A secretary or the office recorded an answer without naming who gave it, and the question has no assignee (`params.field`).',
  due_date_required: 'An outcome “in writing” without `dueDate` (`params.field`).',
  authority_required:
    'A recommendation upward without the competent authority it goes to (`params.field` = `authority`).',
  reason_required: 'An outcome “outside the ward’s remit” without its reason (`params.field` = `reason`).',
  duplicate: 'This id is taken (question, hand, participant, paper form) or the participant joined already.',
  invalid_invitation:
    'The invitation token (`POST /api/join` `invitation`, `POST /api/invitation` `token`) was not made for the session of this join code; counted as a wrong guess in the join budgets.',
  already_carried_over:
    "POST /api/sessions with carryOverFrom: that session's open questions already continue in another session (params.title).",
  rate_limited:
    'Too many commands in a short time; wait a moment and resend (same `id`). REST answers 429 with a `Retry-After` header (seconds, also in `params.retryAfterSec`).',
  too_large:
    'The request body is too large; an uploaded report file larger than `params.maxBytes`, or more report pages than `params.max`.',
  unsupported_file:
    'An uploaded report file is not a PNG, JPEG or WebP image or a PDF whose pages can be read (its content is checked, not only its type).',
  conflict: 'Too much contention from other writers; resend (same `id`).',
  internal: 'A bug on the server; resend later (same `id`).',
};

/** Notes on entity fields the schema cannot carry. */
const FIELD_NOTES: Record<string, string> = {
  'Question.authorId':
    'absent from every view of an anonymous question but its author’s own (staff views included) and from every screen view',
  'Question.authorName': 'absent where `authorId` is',
  'Question.authorGroup': 'absent where `authorId` is',
  'Question.authorOrganisation': 'absent where `authorId` is',
  'Question.voters':
    'kept by the server; an attendee’s view holds just themself when they voted (`[]` otherwise); staff and screen views none',
  'Question.staffNote': 'staff views only',
  'Question.preMeeting': 'submitted while the session was collecting opinions, before the meeting',
  'Question.hiddenReason': 'staff and the author only',
  'Question.mergedInto': 'the question this one was merged into',
  'Question.carriedFrom': 'an open question carried over from an earlier session',
  'Answer.dueDate': 'for `writing`: the date promised, `YYYY-MM-DD`',
  'Answer.by': 'who recorded the answer',
  'Answer.answerer':
    'who answered: an official of the session as named then; absent in older logs and when `by` answered without an official record',
  'Hand.firstTime': 'has not had the floor before in this session',
  'Hand.participantId': 'absent on hands added by staff; staff and the hand’s owner only',
  'Floor.durationSec': 'the speaking time; the countdown runs from `startedAt`',
  'SurveyResponse.answers': 'criterion id → 1 (very dissatisfied) … 5 (very satisfied)',
  'Official.userId': 'the official’s staff account; staff views only',
};

/** Notes of an entity's field; a Floor is a Hand with a start and a duration. */
const fieldNote = (entity: string, field: string): string | undefined =>
  FIELD_NOTES[`${entity}.${field}`] ?? (entity === 'Floor' ? FIELD_NOTES[`Hand.${field}`] : undefined);

interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  who: string;
  /** A schema rendered below the table, or a short description of the body. */
  body?: { name: string; schema: z.ZodType } | string;
  reply: string;
  /** Prose under the body's table: what the schema cannot say. */
  note?: string[];
}

/** Every REST route (the doc test checks this list against the routers in server/http). */
export const ROUTES: Route[] = [
  { method: 'GET', path: '/healthz', who: 'anyone', reply: '`{ok: true}` when ready to serve' },
  {
    method: 'GET',
    path: '/metrics',
    who: 'this machine, or `METRICS_TOKEN`',
    reply: 'Prometheus text format (docs/operations.md)',
  },
  {
    method: 'POST',
    path: '/api/login',
    who: 'anyone',
    body: { name: 'Login', schema: LoginSchema },
    reply: '`{token, role, userId, name, expiresAt}`',
  },
  { method: 'GET', path: '/api/me', who: 'staff', reply: 'the token’s claims' },
  {
    method: 'GET',
    path: '/api/join/:code',
    who: 'anyone',
    reply: '`{sessionId, title, date, startTime, venue, wardName, groups, status, contactRetentionDays}`',
  },
  {
    method: 'GET',
    path: '/api/join/:code/qr.svg',
    who: 'anyone',
    reply: 'the join QR code (SVG), on the chosen address (see `/api/addresses`)',
  },
  {
    method: 'GET',
    path: '/api/join/:code/link',
    who: 'anyone',
    reply: '`{origin, link, loopback}`: the address in the QR, and whether only this computer can open it',
  },
  {
    method: 'GET',
    path: '/api/addresses',
    who: 'staff, screen',
    reply:
      '`{chosen, loopback, saved?, publicUrl?, lan[]}`: the address for QR codes and the ones to choose from',
  },
  {
    method: 'PUT',
    path: '/api/addresses/join',
    who: 'admin',
    body: { name: 'JoinAddress', schema: JoinAddressSchema },
    reply:
      '`{joinAddress}`: every QR code and printed link uses it (null: PUBLIC_URL or the request’s address)',
  },
  {
    method: 'POST',
    path: '/api/join',
    who: 'anyone',
    body: { name: 'Join', schema: JoinSchema },
    reply: '201 `{token, sessionId, participantId, secret?, checkedIn?}`',
    note: [
      'A participant is a **device secret** (`secret`: at least 128 random bits, base64url) that only their phone',
      'holds. The phone makes it on its first join to a session and keeps it; the server derives the participant’s',
      'public handle from it (`participantId` = the first 22 characters of base64url(SHA-256(`participant:<sessionId>:<secret>`))),',
      'one-way and per session. Joining again with the same secret (a retry after a lost reply, a reload, an expired',
      'token, another device) answers the same `participantId` with a fresh token and creates nothing; nobody who knows',
      'only the handle — staff see it — can get a token for it. The body takes no `participantId` (`bad_request`).',
      '',
      'Without a `secret` (`{joinCode, name?, group?}`) the server makes one and returns it as `secret`: keep it to join',
      'again as the same participant. Paper-form participants have no secret and never get a token.',
      '',
      'Budgets per source address (docs/security.md): new identities (600 per 10 minutes, 1,000 per day by default),',
      'joins as an existing identity, lookups of a right code, and wrong codes (50 per 10 minutes; after that every',
      'lookup from the address is refused until the window ends). `GET /api/join/:code`, its QR and its printed link count as lookups.',
      'A refusal is `rate_limited` (429) with `Retry-After`.',
      '',
      'With `invitation` (the token of a giấy mời, from its QR link `/j/<code>#moi=<token>`), the join also marks that',
      'invitee present — once, however often it is scanned — when the meeting is on (status `live`, or `collecting` on',
      'the meeting’s date); `checkedIn` says whether it did. The token only names an invitee of this session: another',
      'session’s or a made-up token is `invalid_invitation` (404) and counts as a wrong guess. It is not the device',
      'secret: the participant is still whoever holds the secret.',
    ],
  },
  {
    method: 'POST',
    path: '/api/invitation',
    who: 'anyone',
    body: { name: 'InvitationLookup', schema: InvitationLookupSchema },
    reply:
      '`{salutation, name, group?, organisation?, kind}`: what the join form fills in from a giấy mời; counted like a code lookup, a wrong token as a guess (`invalid_invitation`)',
  },
  {
    method: 'GET',
    path: '/api/sessions/:id/invitees',
    who: 'admin, secretary',
    reply:
      'the invitees `{id, salutation, name, category, group?, organisation?, title?, createdAt, checkedIn?}[]` (never their tokens)',
  },
  {
    method: 'POST',
    path: '/api/sessions/:id/invitees',
    who: 'admin',
    body: { name: 'InviteeInput', schema: InviteeInputSchema },
    reply: '201 the invitee',
  },
  {
    method: 'PUT',
    path: '/api/sessions/:id/invitees/:inviteeId',
    who: 'admin',
    body: { name: 'InviteeInput', schema: InviteeInputSchema },
    reply: 'the invitee (its token and printed QR unchanged)',
  },
  {
    method: 'DELETE',
    path: '/api/sessions/:id/invitees/:inviteeId',
    who: 'admin',
    reply: '204; the invitee, their check-in and their token are gone',
  },
  {
    method: 'POST',
    path: '/api/sessions/:id/invitees/import',
    who: 'admin',
    body: { name: 'InviteeImport', schema: InviteeImportSchema },
    reply:
      '`{added, rejected: [{row, field}]}`: a CSV (text) or XLSX (base64) with a header row (Danh xưng, Họ và tên, Thành phần, Tổ, Đơn vị, Chức vụ); other columns are ignored',
  },
  {
    method: 'DELETE',
    path: '/api/sessions/:id/invitees',
    who: 'admin',
    reply: '`{erased}`: the whole list, its tokens, check-ins and the giấy mời settings',
  },
  {
    method: 'PUT',
    path: '/api/sessions/:id/invitees/:inviteeId/check-in',
    who: 'admin, secretary',
    body: { name: 'CheckIn', schema: CheckInSchema },
    reply: '`{present}`: ticked (or unticked) on the sign-in list',
  },
  {
    method: 'GET',
    path: '/api/sessions/:id/invitations',
    who: 'admin',
    reply:
      '`{settings, address?, cards: [{invitee, link, qrSvg}]}`: one giấy mời per invitee with their personal QR',
  },
  {
    method: 'GET',
    path: '/api/sessions/:id/invitations/settings',
    who: 'admin',
    reply: 'the giấy mời settings `{number, signFor, signerTitle, signerName, issuedOn}` alone (no QR drawn)',
  },
  {
    method: 'GET',
    path: '/api/sessions/:id/export/invitations.docx',
    who: 'admin',
    reply:
      'the giấy mời as DOCX in the Decree 30 layout, one page per invitee with their personal QR; `?invitee=` one invitee',
  },
  {
    method: 'PUT',
    path: '/api/sessions/:id/invitations/settings',
    who: 'admin',
    body: { name: 'InvitationSettings', schema: InvitationSettingsSchema },
    reply: 'the settings (number, who signs, date)',
  },
  {
    method: 'GET',
    path: '/api/sessions/:id/attendance',
    who: 'staff',
    reply:
      '`{rows: [{section, invited, present}], invited, present}`: per body and per residential group, no names',
  },
  { method: 'GET', path: '/api/ward', who: 'staff', reply: 'the ward profile' },
  {
    method: 'PUT',
    path: '/api/ward',
    who: 'admin',
    body: { name: 'WardProfile', schema: WardProfileSchema },
    reply: 'the ward profile',
  },
  { method: 'GET', path: '/api/users', who: 'admin', reply: 'the staff accounts' },
  {
    method: 'POST',
    path: '/api/users',
    who: 'admin',
    body: { name: 'UserCreate', schema: UserCreateSchema },
    reply: '201 the account',
  },
  {
    method: 'PATCH',
    path: '/api/users/:username',
    who: 'admin',
    body: { name: 'UserUpdate', schema: UserUpdateSchema },
    reply: 'the account',
  },
  {
    method: 'GET',
    path: '/api/sessions',
    who: 'staff',
    reply: 'session summaries `{id, title, date, startTime, venue, status, joinCode, seq}[]`',
  },
  {
    method: 'POST',
    path: '/api/sessions',
    who: 'admin',
    body: { name: 'SessionCreate', schema: SessionCreateSchema },
    reply: '201 the session summary (with its `joinCode`)',
  },
  { method: 'GET', path: '/api/sessions/:id', who: 'staff', reply: 'the session summary' },
  { method: 'POST', path: '/api/sessions/:id/join-code', who: 'admin', reply: '`{joinCode}` (a new one)' },
  {
    method: 'POST',
    path: '/api/sessions/:id/display-token',
    who: 'admin, chair, secretary',
    reply: '`{token, path}` for the big screen',
  },
  {
    method: 'POST',
    path: '/api/screen-pairings',
    who: 'anyone (the projector at /screen)',
    reply:
      '201 `{code, secret, expiresAt}`: a short code to show, valid 5 minutes; 20 per address per 10 min',
  },
  {
    method: 'POST',
    path: '/api/screen-pairings/poll',
    who: 'anyone with the secret',
    body: { name: 'ScreenPairPoll', schema: ScreenPairPollSchema },
    reply:
      '`{status: "waiting", expiresAt}` or, once, `{status: "paired", sessionId, token, path}`; 404 when unknown or expired',
  },
  {
    method: 'POST',
    path: '/api/sessions/:id/screen-pairing',
    who: 'admin, chair, secretary',
    body: { name: 'ScreenPairClaim', schema: ScreenPairClaimSchema },
    reply:
      '`{sessionId}`: the projector showing `code` gets this session; 404 for a wrong or expired code, 429 after 5 wrong codes in 5 min',
  },
  {
    method: 'GET',
    path: '/api/sessions/:id/state',
    who: 'staff',
    reply: 'the session state as staff see it',
  },
  {
    method: 'GET',
    path: '/api/sessions/:id/report',
    who: 'staff',
    reply: 'the synthesis report (JSON); `?today=`',
  },
  {
    method: 'GET',
    path: '/api/sessions/:id/export/report.csv',
    who: 'staff',
    reply: 'the synthesis as CSV; `?lang=`',
  },
  {
    method: 'GET',
    path: '/api/sessions/:id/export/questions.csv',
    who: 'staff',
    reply: 'the list of opinions as CSV; `?lang=`',
  },
  {
    method: 'GET',
    path: '/api/sessions/:id/export/report.xlsx',
    who: 'staff',
    reply: 'the synthesis as a workbook; `?lang=`',
  },
  {
    method: 'GET',
    path: '/api/sessions/:id/export/report.docx',
    who: 'staff',
    reply:
      'the synthesis report to the level above (báo cáo tổng hợp ý kiến, kiến nghị), Decree 30 DOCX in Vietnamese: every figure, by field, every opinion with its outcome and accountable official, recommendations upward, satisfaction, forms handed out and collected',
  },
  {
    method: 'GET',
    path: '/api/sessions/:id/events',
    who: 'admin',
    reply: 'the audit log, a page `{events, rows, next, total}`; `?after=&limit=&type=&role=&lang=`',
  },
  {
    method: 'GET',
    path: '/api/sessions/:id/export/audit.csv',
    who: 'admin',
    reply: 'the audit log as CSV; `?type=&role=&lang=`',
  },
  {
    method: 'GET',
    path: '/api/followup',
    who: 'admin, chair, vice_chair, official',
    reply: 'written answers due, `{today, items, counts}`; `?show=&today=`',
  },
  {
    method: 'POST',
    path: '/api/sessions/:id/report-files',
    who: 'admin',
    reply:
      '201 `{fileId, pages, seq}`: the body is the file itself (PNG, JPEG, WebP or PDF, at most 8 MiB; `?name=` its name); records `report.add_pages`, one page per image or PDF page. `unsupported_file`, `too_large`',
  },
  {
    method: 'GET',
    path: '/api/sessions/:id/report-files/:fileId',
    who: 'staff, screen of the session',
    reply: 'the file as uploaded, for the page the screen shows; attendees never',
  },
  {
    method: 'DELETE',
    path: '/api/sessions/:id/report-files/:fileId',
    who: 'admin',
    reply:
      '`{seq}`: records `report.remove_file` (its pages leave, the screen goes back to the figures if it showed one)',
  },
  {
    method: 'POST',
    path: '/api/sessions/:id/minutes/approve',
    who: 'chair',
    body: { name: 'MinutesApprove', schema: MinutesApproveSchema },
    reply:
      '`{hash, seq}`: writes the register number given (if any) into the header, seals the stored minutes (no node accepts an edit from then on) and records `minutes.approve` with the hash the server computed from them',
  },
  {
    method: 'GET',
    path: '/api/sessions/:id/export/minutes.docx',
    who: 'staff',
    reply: 'the minutes as DOCX (Decree 30 layout)',
  },
  {
    method: 'GET',
    path: '/api/sessions/:id/export/minutes.html',
    who: 'staff',
    reply: 'the minutes as HTML (for printing)',
  },
  {
    method: 'POST',
    path: '/api/sessions/:id/questions/:questionId/written-answer',
    who: 'admin, chair, vice_chair, official',
    body: '`{id?, text}`: sends `question.answer_written`',
    reply: 'the command’s ack',
  },
  {
    method: 'PUT',
    path: '/api/sessions/:id/my-contact',
    who: 'attendee of the session',
    body: '`{phone?, address?}` (ContactSchema; both empty erases it)',
    reply: '204; the contact for the written reply is kept outside the event log (docs/security.md)',
  },
  {
    method: 'GET',
    path: '/api/sessions/:id/my-contact',
    who: 'attendee of the session',
    reply:
      '`{contact, retentionDays}`: the phone’s own contact (`null` when none) and the days it is kept after the reply',
  },
  {
    method: 'PUT',
    path: '/api/sessions/:id/participants/:pid/contact',
    who: 'admin, secretary',
    body: '`{phone?, address?}`: the contact written on a paper form',
    reply: '204',
  },
  {
    method: 'GET',
    path: '/api/sessions/:id/contacts',
    who: 'admin',
    reply: 'the askers’ contacts by participant id, `{[participantId]: {phone?, address?, savedAt}}`',
  },
  {
    method: 'POST',
    path: '/api/sessions/:id/replies/letter',
    who: 'admin',
    body: '`{id?, questionIds, number, date, signedBy}`: sends `question.reply_issue`',
    reply: 'the command’s ack',
  },
  {
    method: 'POST',
    path: '/api/sessions/:id/replies/delivery',
    who: 'admin',
    body: '`{id?, questionIds, method, date}`: sends `question.delivery_record`',
    reply: 'the command’s ack',
  },
  {
    method: 'GET',
    path: '/api/sessions/:id/export/reply-letter.docx',
    who: 'admin',
    reply:
      'the letter (công văn, Decree 30) carrying the written replies of the questions named, all of one letter',
  },
];

// ---- JSON Schema → markdown --------------------------------------------------------------------------------------

interface Js {
  $ref?: string;
  type?: string;
  const?: unknown;
  enum?: unknown[];
  anyOf?: Js[];
  items?: Js;
  properties?: Record<string, Js>;
  required?: string[];
  additionalProperties?: Js | boolean;
  propertyNames?: Js;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  description?: string;
  $defs?: Record<string, Js>;
}

/** Entities documented once and linked from every event that carries them. */
const ENTITIES: Array<[string, z.ZodType]> = [
  ['Question', QuestionEntity],
  ['Answer', AnswerEntity],
  ['Answerer', AnswererEntity],
  ['WrittenAnswer', WrittenAnswerEntity],
  ['Hand', HandEntity],
  ['Floor', FloorEntity],
  ['Participant', ParticipantEntity],
  ['SurveyResponse', SurveyResponseEntity],
  ['SessionConfig', SessionConfigEntity],
  ['Field', FieldEntity],
  ['Official', OfficialEntity],
  ['AgendaItem', AgendaItemEntity],
  ['Criterion', CriterionEntity],
  ['ActorRef', ActorRefSchema],
];
const registry = z.registry<{ id: string }>();
for (const [id, schema] of ENTITIES) registry.add(schema, { id });

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output'): Js =>
  z.toJSONSchema(schema, { io, metadata: registry, unrepresentable: 'any' }) as Js;

const ID_PATTERN = (z.toJSONSchema(Id) as Js).pattern;
const NAMED_PATTERNS: Record<string, string> = {
  ...(ID_PATTERN ? { [ID_PATTERN]: '[Id](#conventions)' } : {}),
  '^\\d{4}-\\d{2}-\\d{2}$': 'date `YYYY-MM-DD`',
  '^([01]\\d|2[0-3]):[0-5]\\d$': 'time `HH:mm`',
  '^[0-9a-f]{64}$': 'SHA-256, 64 hex digits',
};

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (v: unknown) => `\`${JSON.stringify(v)}\``;
const anchor = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, '')
    .replace(/ /g, '-');
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

function range(min: number | undefined, max: number | undefined, unit = ''): string {
  const hi = max !== undefined && max < MAX_SAFE ? max : undefined;
  if (min !== undefined && hi !== undefined) return min === hi ? `${min}${unit}` : `${min}–${hi}${unit}`;
  if (min !== undefined && (min > 0 || unit === '')) return `≥ ${min}${unit}`;
  if (hi !== undefined) return `≤ ${hi}${unit}`;
  return '';
}

function typeOf(js: Js): string {
  if (js.$ref) {
    const name = js.$ref.replace('#/$defs/', '');
    return `[${name}](#${anchor(name)})`;
  }
  if (js.const !== undefined) return code(js.const);
  if (js.enum) return js.enum.map(code).join(' | ');
  if (js.anyOf) {
    const notNull = js.anyOf.filter((j) => j.type !== 'null');
    const text = notNull.map(typeOf).join(' or ');
    return notNull.length < js.anyOf.length ? `${text} or \`null\`` : text;
  }
  switch (js.type) {
    case 'string': {
      if (js.pattern) return NAMED_PATTERNS[js.pattern] ?? `string matching \`${js.pattern}\``;
      const length = range(js.minLength, js.maxLength, ' chars');
      return length ? `string (${length})` : 'string';
    }
    case 'integer':
    case 'number': {
      const min = js.minimum ?? (js.exclusiveMinimum !== undefined ? js.exclusiveMinimum + 1 : undefined);
      const r = range(js.type === 'integer' ? min : js.minimum, js.maximum);
      return r ? `${js.type} ${r}` : js.type;
    }
    case 'boolean':
      return 'boolean';
    case 'array': {
      const items = js.items ? (js.items.properties ? 'objects' : typeOf(js.items)) : 'values';
      const count = range(js.minItems, js.maxItems, ' items');
      return `array of ${items}${count ? ` (${count})` : ''}`;
    }
    case 'object': {
      if (js.properties) return 'object';
      const values = typeof js.additionalProperties === 'object' ? typeOf(js.additionalProperties) : 'any';
      return `map: ${js.propertyNames ? typeOf(js.propertyNames) : 'string'} → ${values}`;
    }
    default:
      return 'any';
  }
}

interface Row {
  name: string;
  type: string;
  required: boolean;
  notes: string;
}

/** The fields of an object schema as rows; inline objects and arrays of objects get a row per nested field. */
function rows(
  js: Js,
  prefix = '',
  skip: readonly string[] = [],
  notesOf: (name: string) => string | undefined = () => undefined,
): Row[] {
  const out: Row[] = [];
  const required = new Set(js.required ?? []);
  for (const [key, field] of Object.entries(js.properties ?? {})) {
    if (skip.includes(key)) continue;
    const name = `${prefix}${key}`;
    const notes = [
      field.default !== undefined ? `default ${code(field.default)}` : '',
      field.description ?? '',
      notesOf(name) ?? '',
    ].filter(Boolean);
    out.push({ name, type: typeOf(field), required: required.has(key), notes: notes.join('; ') });
    if (field.properties) out.push(...rows(field, `${name}.`, [], notesOf));
    const items = field.items;
    if (field.type === 'array' && items?.properties) out.push(...rows(items, `${name}[].`, [], notesOf));
    const inner = field.anyOf?.find((j) => j.properties);
    if (inner) out.push(...rows(inner, `${name}.`, [], notesOf));
  }
  return out;
}

function table(rs: Row[]): string[] {
  if (rs.length === 0) return ['No fields.'];
  return [
    '| field | type | required | notes |',
    '|---|---|---|---|',
    ...rs.map((r) => `| \`${r.name}\` | ${cell(r.type)} | ${r.required ? 'yes' : 'no'} | ${cell(r.notes)} |`),
  ];
}

// ---- the document ------------------------------------------------------------------------------------------------

const ACK_EXAMPLES = [
  { ok: true, seq: 42 },
  { ok: true, seq: 42, duplicate: true },
  {
    ok: false,
    code: 'already_answered',
    message: 'already answered by Nguyễn Văn A',
    params: { by: 'Nguyễn Văn A' },
  },
] satisfies Ack[];

const SYNC_EXAMPLES = [
  { ok: true, mode: 'events', seq: 57, serverNow: 1_780_000_000_000, events: [] },
] satisfies SyncReply[];

const EVENTS_EXAMPLE = {
  sessionId: 'a1b2c3',
  events: [
    {
      type: 'question.voted',
      seq: 58,
      at: 1_780_000_000_000,
      questionId: 'q-1',
      votes: 12,
      actor: { role: 'attendee', id: '' },
    },
  ],
} satisfies EventsMessage;

const BASE_FIELDS = ['type', 'id', 'sessionId'] as const;
const META_FIELDS = ['type', 'seq', 'at', 'actor'] as const;

export function renderProtocolDoc(): string {
  const out: string[] = [];
  const line = (...ls: string[]) => out.push(...ls);

  line(
    '# Dialogue Board protocol',
    '',
    '<!-- Generated by `npm run docs:protocol` (scripts/protocol-doc.ts) from the zod schemas in shared/. Do not edit:',
    '     tests/unit/protocolDoc.test.ts fails when this file and the schemas differ. -->',
    '',
    `Protocol version ${PROTOCOL_VERSION}. Clients send **commands** and receive **events** over socket.io; a few`,
    'things (sign-in, joining, set-up, exports) are REST calls. Every command and event below is a zod schema in',
    '`shared/domain/commands.ts` and `shared/domain/events.ts`; the tables are generated from them.',
    '',
    '- [Conventions](#conventions)',
    '- [Roles](#roles)',
    '- [socket.io](#socketio)',
    '- [What each audience sees](#what-each-audience-sees)',
    `- [Commands](#commands) (${COMMAND_TYPES.length})`,
    `- [Events](#events) (${EVENT_TYPES.length})`,
    '- [Entities](#entities)',
    `- [Error codes](#error-codes) (${ERROR_CODES.length})`,
    '- [REST](#rest)',
    '- [Minutes](#minutes)',
    '',
    '## Conventions',
    '',
    '- **Id**: a string of 1–64 letters, digits, `-` or `_`, and not the name of a member of `Object.prototype` (`constructor`, `__proto__`, `toString`, `valueOf`, `hasOwnProperty` …, and `prototype`). Clients make the ids of what they create (a UUID is fine).',
    '- **Dates** (`date`, `dueDate`) are days of the calendar written `YYYY-MM-DD`: `2024-02-30` is `bad_request`.',
    '- Text fields are trimmed before their length is checked; a required text must not be blank.',
    '- Times (`at`, `createdAt`, `startedAt` …) are milliseconds since 1970 on the server’s clock; `durationSec` is seconds.',
    '- Objects are strict: an unknown key in a command or REST body is `bad_request`.',
    '',
    '## Roles',
    '',
    '| role | who |',
    '|---|---|',
    ...ROLES.map((r) => `| \`${r}\` | ${cell(ROLE_NOTES[r])} |`),
    '',
    'Staff roles (`admin`, `chair`, `vice_chair`, `official`, `secretary`) sign in with `POST /api/login`; attendees get a',
    'token from `POST /api/join`; the screen from `POST /api/sessions/:id/display-token`. Attendee and screen tokens are',
    'bound to one session.',
    '',
    '## socket.io',
    '',
    'Default namespace; handshake `auth: {token}` (a bad token fails the connection with `unauthorized`).',
    '',
    '| message | direction | payload | reply (ack) |',
    '|---|---|---|---|',
    '| `command` | client → server | a [command](#commands) | `Ack` |',
    '| `sync` | client → server | `{sessionId, since}` | `SyncReply` |',
    '| `events` | server → client | `{sessionId, events}` | — |',
    '| `time` | client → server | — | the server’s clock, ms |',
    '',
    '### command → Ack',
    '',
    'Every command carries a client-made `id`. The server persists the events of a command *before* it acknowledges',
    'it, and a command id it has seen before returns the original result (`duplicate: true`, the same `seq`) without',
    'acting again: keep unacknowledged commands in an outbox and resend them with the same id until an ack comes.',
    '`seq` is the seq of the command’s last event (the current head when the command changed nothing). A refusal',
    'changes nothing and names an [error code](#error-codes).',
    '',
    '```json',
    ...ACK_EXAMPLES.map((a) => JSON.stringify(a)),
    '```',
    '',
    '### sync → SyncReply',
    '',
    ...table(rows(jsonSchema(SyncRequestSchema, 'input'))),
    '',
    'The reply carries the events after `since` that this socket’s audience may see (`mode: "events"`), or, when `since`',
    'is 0 or the client is too far behind, the whole state as the audience may see it (`mode: "snapshot"`, with',
    '`state`). `seq` is the session’s head; `serverNow` the server’s clock. From the reply on, the socket receives the',
    'session’s `events`. Fold events in seq order with `apply()` from `shared/domain/apply.ts`; ignore seqs you have.',
    '',
    'Syncs are budgeted per socket and per identity (by default 10 per socket and 20 per attendee or screen, 60 per',
    'staff account, in 10 s): beyond, the reply is `rate_limited`; wait a few seconds and sync again. A socket with',
    'more than 32 requests waiting for their answers, or one that stops reading its messages, is disconnected',
    '(docs/security.md, "Hostile clients").',
    '',
    '```json',
    ...SYNC_EXAMPLES.map((s) => JSON.stringify(s)),
    '```',
    '',
    '### events',
    '',
    'Pushed in batches. Seqs ascend; a gap is an event this audience does not see. Public vote counts may be coalesced',
    'within a batch (only the last count of a question is sent).',
    '',
    '```json',
    JSON.stringify(EVENTS_EXAMPLE),
    '```',
    '',
    '## What each audience sees',
    '',
    'The server never sends a client what it may not see. The same pure functions (`shared/domain/projection.ts`)',
    'redact the sync snapshot and every pushed event:',
    '',
    '- **staff** (every staff role): everything but who asked an anonymous question and who voted. Attendees acting',
    '  appear as `actor: {role: "attendee", id: ""}`.',
    '- **attendee**: published and answered questions (without the author of an anonymous one); of pending, hidden,',
    '  merged and withdrawn questions of others only a stub (id, status, times; no text, no author, no votes). Their',
    '  own questions, hands, vote (`voters: [self]` or `[]`), record and form in full. No staff notes; no other',
    '  participant’s id, record or form; other people’s hands without `participantId`.',
    '- **screen**: like an attendee who is nobody: no question authors at all; names only on hands, the floor and',
    '  speeches; joins and forms as counts only.',
    '',
    '## Commands',
    '',
    `Every command has \`type\`, \`id\` (${NAMED_PATTERNS[ID_PATTERN ?? ''] ?? 'Id'}, the idempotency key) and \`sessionId\`; the tables list the other fields.`,
    '',
    '| command | who may send it | |',
    '|---|---|---|',
    ...COMMAND_TYPES.map(
      (t) =>
        `| [\`${t}\`](#${anchor(t)}) | ${PERMISSIONS[t].join(', ')} | ${cell(firstSentence(COMMAND_NOTES[t]))} |`,
    ),
    '',
  );
  for (const schema of commandSchemas) {
    const type = schema.shape.type.value;
    line(
      `### ${type}`,
      '',
      `**Who:** ${PERMISSIONS[type].map((r) => `\`${r}\``).join(', ')}`,
      '',
      COMMAND_NOTES[type],
      '',
    );
    line(...table(rows(jsonSchema(schema, 'input'), '', BASE_FIELDS)), '');
  }

  line(
    '### Closed sessions',
    '',
    'Once a session is closed, the record of the meeting no longer changes; only the tasks after the meeting are',
    `accepted (\`AFTER_MEETING\` in shared/domain/decide.ts): ${[...AFTER_MEETING].map((t) => `\`${t}\``).join(', ')}, each within`,
    'the limits its section gives. Every other command is `session_closed`.',
    '',
  );

  line(
    '## Events',
    '',
    'Every event has `type`, `seq` (its place in the session’s log: 1, 2, 3 … without gaps), `at` and, when a person',
    'caused it, `actor` ([ActorRef](#actorref)). Question events carry the whole question as it is after the event, so',
    'folding one is an upsert.',
    '',
    '| event | |',
    '|---|---|',
    ...EVENT_TYPES.map((t) => `| [\`${t}\`](#${anchor(t)}) | ${cell(firstSentence(EVENT_NOTES[t]))} |`),
    '',
  );
  for (const schema of eventSchemas) {
    const type = schema.shape.type.value;
    line(
      `### ${type}`,
      '',
      EVENT_NOTES[type],
      '',
      ...table(rows(jsonSchema(schema, 'output'), '', META_FIELDS)),
      '',
    );
  }

  line('## Entities', '', 'What events and snapshots carry.', '');
  for (const [name, schema] of ENTITIES) {
    const js = jsonSchema(schema, 'output');
    const def = js.$defs?.[name] ?? js;
    line(`### ${name}`, '', ...table(rows(def, '', [], (field) => fieldNote(name, field))), '');
  }

  line(
    '## Error codes',
    '',
    'A refusal is `{ok: false, code, message, params?}`: translate by `code` (and `params`); `message` is English for',
    'logs. REST calls answer with the same body and the HTTP status below.',
    '',
    '| code | HTTP | meaning |',
    '|---|---|---|',
    ...ERROR_CODES.map((c) => `| \`${c}\` | ${httpStatus(c)} | ${cell(ERROR_NOTES[c])} |`),
    '',
    '## REST',
    '',
    'JSON bodies; `Authorization: Bearer <token>` where a role is named.',
    '',
    '| method | path | who | body | reply |',
    '|---|---|---|---|---|',
    ...ROUTES.map((r) => {
      const body =
        r.body === undefined
          ? '—'
          : typeof r.body === 'string'
            ? r.body
            : `[${r.body.name}](#${anchor(r.body.name)})`;
      return `| ${r.method} | \`${r.path}\` | ${cell(r.who)} | ${cell(body)} | ${cell(r.reply)} |`;
    }),
    '',
  );
  for (const r of ROUTES) {
    if (r.body === undefined || typeof r.body === 'string') continue;
    line(
      `### ${r.body.name}`,
      '',
      `Body of \`${r.method} ${r.path}\`.`,
      '',
      ...table(rows(jsonSchema(r.body.schema, 'input'))),
      '',
      ...(r.note ? [...r.note, ''] : []),
    );
  }

  line(
    '## Minutes',
    '',
    'The minutes are a Yjs document per session, spoken to in the y-websocket protocol at `/yjs/<sessionId>?token=…`',
    '(the stock `y-websocket` client works). Staff may connect; `secretary` and `chair` may write, the other staff',
    'roles only read; once the chair has approved the minutes nobody writes.',
    '',
    `- An update that would nest the document deeper than ${MINUTES_LIMITS.nesting} levels (an item inside another's type; JSON`,
    '  values inside an item count too) is refused whole: nothing of it is applied, the socket is closed with 4422.',
    `- A presence (awareness) entry belongs to the connection that introduced its client id: ${MINUTES_LIMITS.presencePerConnection} per connection,`,
    `  at most ${MINUTES_LIMITS.presenceBytes} bytes of JSON and a \`user.name\` of at most ${MINUTES_LIMITS.presenceName} characters. Other entries are`,
    '  dropped: neither applied nor relayed.',
    '- Refusals accept the upgrade and then close with a code; 44xx are permanent (the stock client stops), the others',
    '  transient (it reconnects).',
    '',
    '| close code | meaning | |',
    '|---|---|---|',
    ...Object.entries(MINUTES_CLOSE_REASONS).map(
      ([code, reason]) =>
        `| ${code} | ${reason} | ${isPermanentClose(Number(code)) ? 'permanent' : 'transient'} |`,
    ),
    '',
  );
  return out.join('\n');
}

/** Up to the first full stop that ends a sentence (not the one in “e.g. a”). */
function firstSentence(s: string): string {
  const m = /^(.*?\.)(?=\s+[A-Z`(]|$)/.exec(s);
  return m?.[1] ?? s;
}

export const PROTOCOL_DOC_PATH = fileURLToPath(new URL('../docs/protocol.md', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(PROTOCOL_DOC_PATH, renderProtocolDoc());
  console.log(`wrote ${PROTOCOL_DOC_PATH}`);
}
