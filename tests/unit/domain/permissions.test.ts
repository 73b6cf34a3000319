/**
 * The permission table, exhaustively: for every command type and every role, `decide` on a state where the command
 * is valid returns `forbidden` exactly when the table says no, and is accepted otherwise. The expected grid is
 * written out below so that a change of the table is a deliberate change of this test too.
 */
import { describe, expect, it } from 'vitest';
import { COMMAND_TYPES, type CommandType } from '../../../shared/domain/commands.ts';
import { decide } from '../../../shared/domain/decide.ts';
import { ANSWERING, PERMISSIONS, isResponsible, may } from '../../../shared/domain/permissions.ts';
import { ROLES, type Role } from '../../../shared/domain/roles.ts';
import type { Actor } from '../../../shared/domain/types.ts';
import {
  ADMIN,
  CHAIR,
  OFFICIAL,
  SCREEN,
  SECRETARY,
  TestSession,
  VICE_CHAIR,
  attendee,
  type Draft,
} from './fixtures.ts';

/** A state where every sample below is valid for a role the table allows. */
function richSession(): TestSession {
  const s = new TestSession({ moderation: 'review', status: 'live' });
  const p1 = s.join('p1', { name: 'An' });
  const p2 = s.join('p2', { name: 'Bình' });
  s.join('p3', { name: 'Cúc' });
  s.ok(p1, { type: 'question.submit', questionId: 'q-mine', text: 'Của tôi' });
  s.ok(p2, { type: 'question.submit', questionId: 'q-pending', text: 'Đang chờ' });
  // In the official's field (dia-chinh), so that the sample of each answering command is theirs to give.
  s.ok(p2, { type: 'question.submit', questionId: 'q-pub', text: 'Đã duyệt', fieldId: 'dia-chinh' });
  s.ok(p2, {
    type: 'question.submit',
    questionId: 'q-written',
    text: 'Trả lời bằng văn bản',
    fieldId: 'dia-chinh',
  });
  s.ok(p2, { type: 'question.submit', questionId: 'q-hidden', text: 'Sẽ ẩn', fieldId: 'dia-chinh' });
  s.ok(CHAIR, { type: 'question.approve', questionIds: ['q-pub', 'q-written', 'q-hidden'] });
  s.ok(CHAIR, { type: 'question.answer', questionId: 'q-written', mode: 'writing', dueDate: '2030-07-01' });
  s.ok(CHAIR, { type: 'question.answer_written', questionId: 'q-written', text: 'Văn bản' });
  s.ok(CHAIR, { type: 'question.hide', questionId: 'q-hidden', reason: 'Không phù hợp' });
  s.ok(SECRETARY, { type: 'hand.add', handId: 'h-spoke', name: 'Ông Đã Nói', group: 3 });
  s.ok(CHAIR, { type: 'speaker.give_floor', handId: 'h-spoke' });
  s.ok(CHAIR, { type: 'speaker.end' });
  s.ok(SECRETARY, { type: 'hand.add', handId: 'h-floor', name: 'Đại biểu' });
  s.ok(CHAIR, { type: 'speaker.give_floor', handId: 'h-floor' });
  s.ok(p1, { type: 'hand.raise', handId: 'h-p1' });
  s.ok(p2, { type: 'hand.raise', handId: 'h-p2' });
  s.ok(ADMIN, { type: 'paper_form.enter', participantId: 'paper-on-file', answers: { result: 4 } });
  s.ok(ADMIN, {
    type: 'report.add_pages',
    pages: [{ id: 'rp-1', fileId: 'rf-1', name: 'bao-cao.png', mime: 'image/png', page: 1 }],
  });
  return s;
}

interface Sample {
  draft: Draft;
  /** The attendee who sends it (default p1, who has joined, wrote q-mine and raised h-p1). */
  attendeeId?: string;
}

/** One valid command per type. Typed as a complete record, and checked at run time against COMMAND_TYPES. */
const SAMPLES: Record<CommandType, Sample> = {
  'session.update': { draft: { type: 'session.update', venue: 'Nhà văn hóa' } },
  'session.set_status': { draft: { type: 'session.set_status', status: 'closed' } },
  'session.set_join_code': { draft: { type: 'session.set_join_code', joinCode: 'XYZ789' } },
  'agenda.set': { draft: { type: 'agenda.set', items: [{ id: 'b1', title: 'Khai mạc' }] } },
  'agenda.start': { draft: { type: 'agenda.start', itemId: 'a2' } },
  'field.upsert': { draft: { type: 'field.upsert', field: { id: 'moi', name: 'Mới' } } },
  'official.upsert': {
    draft: { type: 'official.upsert', official: { id: 'o-x', name: 'X', title: 'Y', fieldIds: ['tu-phap'] } },
  },
  'participant.join': { draft: { type: 'participant.join', participantId: 'p-new' }, attendeeId: 'p-new' },
  'participant.update': { draft: { type: 'participant.update', name: 'An mới' } },
  'question.submit': { draft: { type: 'question.submit', questionId: 'q-new', text: 'Mới' } },
  'question.edit': { draft: { type: 'question.edit', questionId: 'q-mine', text: 'Sửa' } },
  'question.withdraw': { draft: { type: 'question.withdraw', questionId: 'q-mine' } },
  'question.vote': { draft: { type: 'question.vote', questionId: 'q-pub', value: true } },
  'question.approve': { draft: { type: 'question.approve', questionIds: ['q-pending'] } },
  'question.hide': { draft: { type: 'question.hide', questionId: 'q-pub', reason: 'Lý do' } },
  'question.merge': { draft: { type: 'question.merge', questionId: 'q-pending', intoId: 'q-pub' } },
  'question.assign': { draft: { type: 'question.assign', questionId: 'q-pub', fieldId: 'dia-chinh' } },
  'question.answer': {
    draft: { type: 'question.answer', questionId: 'q-pub', mode: 'live', answeredBy: 'o-dc' },
  },
  'question.answer_bulk': {
    draft: {
      type: 'question.answer_bulk',
      questionIds: ['q-pub'],
      mode: 'writing',
      dueDate: '2030-07-01',
      answeredBy: 'o-dc',
    },
  },
  'question.answer_written': {
    draft: { type: 'question.answer_written', questionId: 'q-written', text: 'Văn bản' },
  },
  'question.reply_issue': {
    draft: {
      type: 'question.reply_issue',
      questionIds: ['q-written'],
      number: '12/UBND-VP',
      date: '2030-07-02',
      signedBy: 'o-dc',
    },
  },
  'question.delivery_record': {
    draft: {
      type: 'question.delivery_record',
      questionIds: ['q-written'],
      method: 'post',
      date: '2030-07-03',
    },
  },
  'question.reopen': { draft: { type: 'question.reopen', questionId: 'q-hidden' } },
  'question.highlight': { draft: { type: 'question.highlight', questionId: 'q-pub' } },
  'question.note': { draft: { type: 'question.note', questionId: 'q-pub', note: 'Ghi chú' } },
  'hand.raise': { draft: { type: 'hand.raise', handId: 'h-p3' }, attendeeId: 'p3' },
  'hand.lower': { draft: { type: 'hand.lower', handId: 'h-p1' } },
  'hand.add': { draft: { type: 'hand.add', handId: 'h-new', name: 'Ông Mới' } },
  'hand.remove': { draft: { type: 'hand.remove', handId: 'h-p2' } },
  'hand.move': { draft: { type: 'hand.move', handId: 'h-p2', toIndex: 0 } },
  'queue.set_first_time_first': { draft: { type: 'queue.set_first_time_first', enabled: true } },
  'speaker.give_floor': { draft: { type: 'speaker.give_floor', handId: 'h-p2' } },
  'speaker.end': { draft: { type: 'speaker.end' } },
  'speaker.set_time': { draft: { type: 'speaker.set_time', durationSec: 240 } },
  'speech.record_opinions': {
    draft: {
      type: 'speech.record_opinions',
      handId: 'h-spoke',
      opinions: [{ questionId: 'q-spoken', text: 'Thủ tục đất đai chậm', fieldId: 'dia-chinh' }],
    },
  },
  'survey.submit': { draft: { type: 'survey.submit', answers: { procedures: 4 } } },
  'paper_form.enter': {
    draft: { type: 'paper_form.enter', participantId: 'paper-1', answers: { result: 5 } },
  },
  'paper_form.correct': {
    draft: { type: 'paper_form.correct', participantId: 'paper-on-file', answers: { result: 5 } },
  },
  'paper_form.remove': { draft: { type: 'paper_form.remove', participantId: 'paper-on-file' } },
  'paper_form.set_issued': {
    draft: { type: 'paper_form.set_issued', groups: [{ group: 1, count: 10 }], organisations: [] },
  },
  'minutes.approve': { draft: { type: 'minutes.approve', hash: 'f'.repeat(64) } },
  'report.show_page': { draft: { type: 'report.show_page', pageId: 'rp-1' } },
  'report.add_pages': {
    draft: {
      type: 'report.add_pages',
      pages: [{ id: 'rp-2', fileId: 'rf-2', name: 'so-lieu.pdf', mime: 'application/pdf', page: 1 }],
    },
  },
  'report.remove_file': { draft: { type: 'report.remove_file', fileId: 'rf-1' } },
};

/** The expected grid. Columns: admin, chair, vice_chair, official, secretary, attendee, screen. */
// prettier-ignore
const GRID: Record<CommandType, string> = {
  'session.update':             'A . . . . . .',
  'session.set_status':         'A C . . . . .',
  'session.set_join_code':      'A . . . . . .',
  'agenda.set':                 'A . . . S . .',
  'agenda.start':               '. C V . S . .',
  'field.upsert':               'A . . . . . .',
  'official.upsert':            'A . . . . . .',
  'participant.join':           '. . . . . P .',
  'participant.update':         '. . . . . P .',
  'question.submit':            '. . . . . P .',
  'question.edit':              '. . . . . P .',
  'question.withdraw':          '. . . . . P .',
  'question.vote':              '. . . . . P .',
  'question.approve':           'A C V . S . .',
  'question.hide':              'A C V . S . .',
  'question.merge':             'A C V . S . .',
  'question.assign':            'A C V . S . .',
  'question.answer':            '. C V O S . .',
  'question.answer_bulk':       'A C V . . . .',
  'question.answer_written':    'A C V O . . .',
  'question.reply_issue':       'A . . . . . .',
  'question.delivery_record':   'A . . . . . .',
  'question.reopen':            'A C V O S . .',
  'question.highlight':         '. C V . S . .',
  'question.note':              'A C V O S . .',
  'hand.raise':                 '. . . . . P .',
  'hand.lower':                 '. . . . . P .',
  'hand.add':                   '. C V . S . .',
  'hand.remove':                '. C V . S . .',
  'hand.move':                  '. C V . S . .',
  'queue.set_first_time_first': '. C V . S . .',
  'speaker.give_floor':         '. C V . S . .',
  'speaker.end':                '. C V . S . .',
  'speaker.set_time':           '. C V . S . .',
  'speech.record_opinions':     'A C V . S . .',
  'survey.submit':              '. . . . . P .',
  'paper_form.enter':           'A . . . S . .',
  'paper_form.correct':         'A . . . S . .',
  'paper_form.remove':          'A . . . S . .',
  'paper_form.set_issued':      'A . . . . . .',
  'minutes.approve':            '. C . . . . .',
  'report.show_page':           'A C V . S . .',
  'report.add_pages':           'A . . . . . .',
  'report.remove_file':         'A . . . . . .',
};

const actorFor = (role: Role, sample: Sample): Actor => {
  switch (role) {
    case 'admin':
      return ADMIN;
    case 'chair':
      return CHAIR;
    case 'vice_chair':
      return VICE_CHAIR;
    case 'official':
      return OFFICIAL;
    case 'secretary':
      return SECRETARY;
    case 'attendee':
      return attendee(sample.attendeeId ?? 'p1');
    case 'screen':
      return SCREEN;
  }
};

const base = richSession();

describe('permission table', () => {
  it('has a row for every command type, a sample for every row, and nothing else', () => {
    expect(Object.keys(PERMISSIONS).sort()).toEqual([...COMMAND_TYPES].sort());
    expect(Object.keys(SAMPLES).sort()).toEqual([...COMMAND_TYPES].sort());
    expect(Object.keys(GRID).sort()).toEqual([...COMMAND_TYPES].sort());
  });

  it('is the grid written down here', () => {
    for (const type of COMMAND_TYPES) {
      const marks = (GRID[type] ?? '').split(' ');
      const expected = ROLES.filter((_, i) => marks[i] !== '.');
      expect([...PERMISSIONS[type]].sort(), type).toEqual([...expected].sort());
    }
  });

  it('lets the screen do nothing, attendees only their own kind of commands, and staff none of those', () => {
    for (const type of COMMAND_TYPES) {
      expect(may('screen', type)).toBe(false);
      if (may('attendee', type)) expect(PERMISSIONS[type]).toEqual(['attendee']);
    }
  });

  describe.each(COMMAND_TYPES)('%s', (type) => {
    it.each(ROLES)('as %s: forbidden exactly when the table says no', (role) => {
      const sample = SAMPLES[type];
      expect(sample, `no sample for ${type}`).toBeDefined();
      const command = base.command(sample.draft);
      expect(command.type).toBe(type);
      const decision = decide(base.state, command, actorFor(role, sample), base.now + 1000);
      if (may(role, type)) {
        expect(decision.ok ? 'accepted' : decision.error.code, `${role} ${type}`).toBe('accepted');
        expect(decision.ok && decision.events.length, `${role} ${type} made events`).toBeGreaterThan(0);
      } else {
        expect(decision.ok ? 'accepted' : decision.error.code, `${role} ${type}`).toBe('forbidden');
      }
    });
  });
});

/**
 * Who answers for which question (isResponsible): officials their fields' questions and what is assigned to them,
 * the other roles the table allows any. Every role × every kind of question, for every answering command, through
 * decide — written out as a grid like the table above.
 */
describe('who may answer which question', () => {
  /** How a question stands towards the official (account u-official, fields [dia-chinh], record o-dc). */
  const SITUATIONS = {
    'asked in my field': { fieldId: 'dia-chinh' },
    'assigned to my field': { fieldId: 'tu-phap', assign: { fieldId: 'dia-chinh' } },
    'moved from my field to another': { fieldId: 'dia-chinh', assign: { fieldId: 'tu-phap' } },
    'assigned to me': { fieldId: 'tu-phap', assign: { officialId: 'o-dc' } },
    'of another field': { fieldId: 'tu-phap' },
    'of another field, assigned to another': { fieldId: 'tu-phap', assign: { officialId: 'o-tp' } },
    'of no field': {},
  } as const;
  type Situation = keyof typeof SITUATIONS;

  /** The actors: each staff role, and officials whose fields come only from the record or only from the account. */
  const ACTORS: Record<string, Actor> = {
    admin: ADMIN,
    chair: CHAIR,
    vice_chair: VICE_CHAIR,
    secretary: SECRETARY,
    official: OFFICIAL,
    'official, fields from the record only': { ...OFFICIAL, fieldIds: [] },
    'official, account fields only (tu-phap)': { role: 'official', id: 'u-other', fieldIds: ['tu-phap'] },
  };

  // Columns in the order of SITUATIONS. Y: may; '.': not_responsible.
  // prettier-ignore
  const GRID: Record<string, string> = {
    admin:                                       'Y Y Y Y Y Y Y',
    chair:                                       'Y Y Y Y Y Y Y',
    vice_chair:                                  'Y Y Y Y Y Y Y',
    secretary:                                   'Y Y Y Y Y Y Y',
    official:                                    'Y Y . Y . . .',
    'official, fields from the record only':     'Y Y . Y . . .',
    'official, account fields only (tu-phap)':   '. . Y Y Y Y .',
  };

  function stateWith(): TestSession {
    const s = new TestSession({ moderation: 'open', status: 'live' });
    const p = s.join('p1');
    for (const [name, sit] of Object.entries(SITUATIONS) as Array<
      [Situation, (typeof SITUATIONS)[Situation]]
    >) {
      const slug = Object.keys(SITUATIONS).indexOf(name);
      for (const kind of ['open', 'writing'] as const) {
        const questionId = `q-${slug}-${kind}`;
        s.ok(p, {
          type: 'question.submit',
          questionId,
          text: name,
          ...('fieldId' in sit ? { fieldId: sit.fieldId } : {}),
        });
        if ('assign' in sit) s.ok(CHAIR, { type: 'question.assign', questionId, ...sit.assign });
        if (kind === 'writing')
          s.ok(CHAIR, {
            type: 'question.answer',
            questionId,
            mode: 'writing',
            dueDate: '2030-07-01',
            answeredBy: 'o-tp',
          });
      }
    }
    return s;
  }
  const s = stateWith();
  const drafts = (questionId: (kind: 'open' | 'writing') => string): Record<string, Draft> => ({
    'question.answer': {
      type: 'question.answer',
      questionId: questionId('open'),
      mode: 'live',
      answeredBy: 'o-dc',
    },
    'question.answer_bulk': {
      type: 'question.answer_bulk',
      questionIds: [questionId('open')],
      mode: 'writing',
      dueDate: '2030-07-01',
      answeredBy: 'o-dc',
    },
    'question.answer_written': {
      type: 'question.answer_written',
      questionId: questionId('writing'),
      text: 'Văn bản',
    },
    'question.note': { type: 'question.note', questionId: questionId('open'), note: 'Ghi chú' },
    'question.reopen': { type: 'question.reopen', questionId: questionId('writing') },
  });

  it('covers every answering command', () => {
    expect(Object.keys(drafts(() => 'x')).sort()).toEqual([...ANSWERING].sort());
  });

  describe.each(Object.keys(ACTORS))('%s', (name) => {
    const actor = ACTORS[name] as Actor;
    it.each(Object.keys(SITUATIONS))(
      'a question %s: isResponsible and decide agree with the grid',
      (situation) => {
        const slug = Object.keys(SITUATIONS).indexOf(situation);
        const expected = (GRID[name] ?? '').split(' ')[slug] === 'Y';
        const q = s.question(`q-${slug}-open`);
        expect(isResponsible(actor, q, s.state.officials)).toBe(expected);
        for (const [type, draft] of Object.entries(drafts((kind) => `q-${slug}-${kind}`))) {
          if (!may(actor.role, type as CommandType)) continue;
          const decision = decide(s.state, s.command(draft), actor, s.now + 1000);
          const outcome = decision.ok ? 'accepted' : decision.error.code;
          expect(outcome, `${name} ${type} on a question ${situation}`).toBe(
            expected ? 'accepted' : 'not_responsible',
          );
        }
      },
    );
  });

  it('attendees and the screen answer for nothing', () => {
    for (const q of Object.values(s.state.questions)) {
      expect(isResponsible(attendee('p1'), q, s.state.officials)).toBe(false);
      expect(isResponsible(SCREEN, q, s.state.officials)).toBe(false);
    }
  });
});
