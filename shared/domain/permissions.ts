/**
 * Who may issue which command: one table, role × command, tested exhaustively; and, for the commands that act on
 * one question's answer, who is responsible for which question.
 */
import type { CommandType } from './commands.ts';
import type { Role } from './roles.ts';
import type { Actor, Official, Question } from './types.ts';

const LEADERS = ['chair', 'vice_chair'] as const;
const TRIAGE = ['admin', ...LEADERS, 'secretary'] as const;
const ANSWER = [...LEADERS, 'official'] as const;
const FLOOR = [...LEADERS, 'secretary'] as const;

export const PERMISSIONS: Readonly<Record<CommandType, readonly Role[]>> = {
  'session.update': ['admin'],
  'session.set_status': ['admin', 'chair'],
  'session.set_join_code': ['admin'],
  'agenda.set': ['admin', 'secretary'],
  'agenda.start': [...LEADERS, 'secretary'],
  'field.upsert': ['admin'],
  'official.upsert': ['admin'],
  'participant.join': ['attendee'],
  'participant.update': ['attendee'],
  'question.submit': ['attendee'],
  'question.edit': ['attendee'],
  'question.withdraw': ['attendee'],
  'question.vote': ['attendee'],
  'question.approve': TRIAGE,
  'question.hide': TRIAGE,
  'question.merge': TRIAGE,
  'question.assign': TRIAGE,
  // The secretary records an answer on behalf of the official who gave it (question.answer `answeredBy`).
  'question.answer': [...ANSWER, 'secretary'],
  // The office enters written replies that arrive from the fields (the police, the land office …).
  // Closing: the chairman (or a vice-chairman) decides the outcome of what was not answered; the office after.
  'question.answer_bulk': ['admin', ...LEADERS],
  'question.answer_written': ['admin', ...ANSWER],
  // The office issues reply letters and records their delivery: it alone holds the askers' contacts.
  'question.reply_issue': ['admin'],
  'question.delivery_record': ['admin'],
  'question.reopen': [...TRIAGE, 'official'],
  'question.highlight': [...LEADERS, 'secretary'],
  'question.note': ['admin', ...ANSWER, 'secretary'],
  'hand.raise': ['attendee'],
  'hand.lower': ['attendee'],
  'hand.add': FLOOR,
  'hand.remove': FLOOR,
  'hand.move': FLOOR,
  'queue.set_first_time_first': FLOOR,
  'speaker.give_floor': FLOOR,
  'speaker.end': FLOOR,
  'speaker.set_time': FLOOR,
  // Who runs the floor, and the office after the meeting, record what a speaker said.
  'speech.record_opinions': TRIAGE,
  'survey.submit': ['attendee'],
  'paper_form.enter': ['admin', 'secretary'],
  'paper_form.correct': ['admin', 'secretary'],
  'paper_form.remove': ['admin', 'secretary'],
  'paper_form.set_issued': ['admin'],
  'minutes.approve': ['chair'],
  // Who runs the programme turns the report's pages; the office uploads and removes them (server commands).
  'report.show_page': ['admin', ...LEADERS, 'secretary'],
  'report.add_pages': ['admin'],
  'report.remove_file': ['admin'],
};

export const may = (role: Role, type: CommandType): boolean => PERMISSIONS[type].includes(role);

/**
 * Commands on a question's answer that an official may give only for questions they are responsible for
 * (`isResponsible`); the other roles the table allows may give them for any question.
 */
export const ANSWERING: readonly CommandType[] = [
  'question.answer',
  'question.answer_bulk',
  'question.answer_written',
  'question.note',
  'question.reopen',
];

/**
 * Who answers for a question. The plan (part III.1) has the chairman and vice-chairmen answer for everything and
 * "the officials of the field they are assigned to" for theirs; the secretary and the office record answers given
 * by others. So:
 * - chair, vice_chair: any question;
 * - admin (the office) and secretary: any question, as recorders (the answer names who gave it);
 * - official: a question of one of their fields — the field it is assigned to, else the field it was asked in — or
 *   one assigned to them. Their fields are the account's (`actor.fieldIds`) and those of the session's official
 *   record linked to the account (`Official.userId`);
 * - anyone else: none.
 */
export function isResponsible(actor: Actor, q: Question, officials: readonly Official[]): boolean {
  switch (actor.role) {
    case 'chair':
    case 'vice_chair':
    case 'admin':
    case 'secretary':
      return true;
    case 'official': {
      const linked = officials.filter((o) => o.userId !== undefined && o.userId === actor.id);
      if (q.assignedOfficialId !== undefined && linked.some((o) => o.id === q.assignedOfficialId))
        return true;
      const field = q.assignedFieldId ?? q.fieldId;
      if (field === undefined) return false;
      return (actor.fieldIds ?? []).includes(field) || linked.some((o) => o.fieldIds.includes(field));
    }
    default:
      return false;
  }
}
