/** Who may issue which command: one table, role × command, tested exhaustively. */
import type { CommandType } from './commands.ts';
import type { Role } from './roles.ts';

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
  'question.answer': ANSWER,
  'question.answer_written': ['admin', ...ANSWER],
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
  'survey.submit': ['attendee'],
  'paper_form.enter': ['admin', 'secretary'],
  'minutes.approve': ['chair'],
};

export const may = (role: Role, type: CommandType): boolean => PERMISSIONS[type].includes(role);
