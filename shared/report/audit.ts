/**
 * The audit trail of a session, read off its event log: who did what, and when, in words an office clerk can read.
 * Pure. Events must already be projected for staff (projectEvent(e, {audience: 'staff'})): anonymous authors and
 * attendees' ids are gone before anything here sees them.
 */
import type { DomainEvent, EventOf, EventType } from '../domain/events.ts';
import type { Role } from '../domain/roles.ts';
import type {
  AnswerMode,
  DeliveryMethod,
  PaperFormRecord,
  ParticipantKind,
  Participant,
  QuestionSource,
  SessionStatus,
  SurveyResponse,
} from '../domain/types.ts';

export interface AuditLabels {
  type: Record<EventType, string>;
  role: Record<Role, string>;
  status: Record<SessionStatus, string>;
  kind: Record<ParticipantKind, string>;
  source: Record<QuestionSource, string>;
  mode: Record<AnswerMode, string>;
  delivery: Record<DeliveryMethod, string>;
  words: {
    anonymous: string;
    retired: string;
    due: string;
    cleared: string;
    on: string;
    off: string;
    scores: string;
    items: string;
    votes: string;
    seconds: string;
    system: string;
    group: string;
    into: string;
    field: string;
    official: string;
    reason: string;
    letter: string;
    /** "số" before an opinion's number in another session's list. */
    number: string;
    added: string;
    removed: string;
    comment: string;
  };
}

export interface AuditRow {
  seq: number;
  at: number;
  type: EventType;
  typeLabel: string;
  role: Role | null;
  roleLabel: string;
  /** Name of the staff member (or their username); empty for attendees and the system. */
  actorName: string;
  detail: string;
}

export interface AuditFilter {
  /** Event types: exact (`question.answered`) or a prefix ending in `.*` (`question.*`). Empty: all. */
  types?: readonly string[];
  roles?: readonly string[];
}

export function matchesFilter(e: DomainEvent, filter: AuditFilter): boolean {
  const types = filter.types?.filter(Boolean) ?? [];
  if (
    types.length > 0 &&
    !types.some((t) => (t.endsWith('.*') ? e.type.startsWith(t.slice(0, -1)) : e.type === t))
  )
    return false;
  const roles = filter.roles?.filter(Boolean) ?? [];
  if (roles.length > 0 && !roles.includes(e.actor?.role ?? '')) return false;
  return true;
}

/** `unknown`: logs written before ids were checked hold question payloads without a text (repair.ts). */
const excerpt = (text: unknown, max = 120): string => {
  const t = (typeof text === 'string' ? text : '').replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
};
const quote = (text: unknown) => `“${excerpt(text)}”`;
/** Scores in the order of the criteria as given (criterion ids stay out of an office clerk's way). */
const scoreLine = (r: SurveyResponse): string => Object.values(r.answers).join(' ');
const join = (...parts: Array<string | undefined | false>) =>
  parts.filter((p): p is string => !!p).join(' · ');

/**
 * Describes events in log order. Keeps what earlier events said (question texts, hands' names, agenda titles,
 * field names) to name what later events refer to by id: feed it the log from the start, then filter.
 */
export class AuditDescriber {
  readonly #labels: AuditLabels;
  readonly #questions = new Map<string, string>();
  readonly #hands = new Map<string, string>();
  readonly #agenda = new Map<string, string>();
  readonly #fields = new Map<string, string>();
  readonly #officials = new Map<string, string>();
  readonly #participants = new Map<string, string>();

  constructor(labels: AuditLabels) {
    this.#labels = labels;
  }

  row(e: DomainEvent): AuditRow {
    const L = this.#labels;
    const detail = this.#detail(e);
    const role = e.actor?.role ?? null;
    const systemActor = e.actor?.id === 'carry-over';
    return {
      seq: e.seq,
      at: e.at,
      type: e.type,
      typeLabel: L.type[e.type] ?? e.type,
      role,
      roleLabel: systemActor ? L.words.system : role ? L.role[role] : L.words.system,
      actorName: role === 'attendee' || systemActor ? '' : (e.actor?.name ?? e.actor?.id ?? ''),
      detail,
    };
  }

  #who(p: Participant): string {
    const L = this.#labels;
    return join(
      p.name,
      p.group !== undefined ? `${L.words.group} ${p.group}` : undefined,
      p.organisation,
      L.kind[p.kind],
      L.source[p.source],
    );
  }

  /** What a correction changed, each part as "before → after". */
  #correction(before: PaperFormRecord, e: EventOf<'paper_form.corrected'>): string {
    const L = this.#labels;
    const after = e.participant;
    if (!after) return '';
    const parts: string[] = [];
    const who = [this.#who(before.participant), this.#who(after)];
    if (who[0] !== who[1]) parts.push(`${who[0]} → ${who[1]}`);
    const removed = new Set(e.removedQuestionIds);
    for (const q of before.questions)
      if (removed.has(q.id)) parts.push(`${L.words.removed}: ${quote(q.text)}`);
    for (const q of e.questions) {
      this.#questions.set(q.id, q.text);
      const was = before.questions.find((x) => x.id === q.id);
      if (!was) {
        parts.push(join(`${L.words.added}: ${quote(q.text)}`, this.#field(q.fieldId)));
        continue;
      }
      if (was.text !== q.text) parts.push(`${quote(was.text)} → ${quote(q.text)}`);
      if (was.fieldId !== q.fieldId)
        parts.push(`${L.words.field}: ${this.#fieldName(was.fieldId)} → ${this.#fieldName(q.fieldId)}`);
      if (was.anonymous !== q.anonymous)
        parts.push(
          `${quote(q.text)}: ${q.anonymous ? L.words.anonymous : `${L.words.anonymous} ${L.words.off}`}`,
        );
    }
    const scores = [before.survey, e.survey ?? undefined].map((r) => (r ? scoreLine(r) : '—'));
    if (scores[0] !== scores[1]) parts.push(`${L.words.scores}: ${scores[0]} → ${scores[1]}`);
    const comments = [before.survey?.comment ?? '', e.survey?.comment ?? ''];
    if (comments[0] !== comments[1])
      parts.push(`${L.words.comment}: ${quote(comments[0] || '—')} → ${quote(comments[1] || '—')}`);
    return parts.join(' · ');
  }

  #fieldName(id: string | undefined): string {
    return id === undefined ? '—' : (this.#fields.get(id) ?? id);
  }

  #field(id: string | undefined | null): string | undefined {
    if (id == null) return undefined;
    return `${this.#labels.words.field}: ${this.#fields.get(id) ?? id}`;
  }

  #detail(e: DomainEvent): string {
    const L = this.#labels;
    switch (e.type) {
      case 'session.created': {
        const s = e.session;
        for (const f of s.fields) this.#fields.set(f.id, f.name);
        for (const o of s.officials) this.#officials.set(o.id, o.name);
        for (const a of s.agenda) this.#agenda.set(a.id, a.title);
        return join(s.title, `${s.date} ${s.startTime}`, s.venue, s.joinCode);
      }
      case 'session.updated':
        return Object.entries(e.changes)
          .map(([k, v]) => {
            if (k === 'criteria' && Array.isArray(v))
              return `${k}: ${v.map((c: { label: string }) => c.label).join(', ')}`;
            return `${k}: ${String(v)}`;
          })
          .join(' · ');
      case 'session.status_changed':
        return `${L.status[e.from]} → ${L.status[e.status]}`;
      case 'session.join_code_changed':
        return e.joinCode;
      case 'agenda.updated':
        for (const a of e.items) this.#agenda.set(a.id, a.title);
        return `${e.items.length} ${L.words.items}: ${e.items.map((i) => excerpt(i.title, 60)).join(' | ')}`;
      case 'agenda.started':
        return excerpt(this.#agenda.get(e.itemId) ?? e.itemId);
      case 'field.upserted':
        this.#fields.set(e.field.id, e.field.name);
        return join(e.field.name, e.field.retired && L.words.retired);
      case 'official.upserted':
        this.#officials.set(e.official.id, e.official.name);
        return join(
          e.official.name,
          e.official.title,
          e.official.fieldIds.map((f) => this.#fields.get(f) ?? f).join(', '),
          e.official.retired && L.words.retired,
        );
      case 'participant.joined':
        if (!e.participant) return String(e.participantCount);
        this.#participants.set(e.participant.id, e.participant.name ?? '');
        return this.#who(e.participant);
      case 'participant.updated':
        this.#participants.set(e.participant.id, e.participant.name ?? '');
        return this.#who(e.participant);
      case 'question.submitted':
      case 'question.edited':
      case 'question.withdrawn':
      case 'question.reopened': {
        const q = e.question;
        if (q.text) this.#questions.set(q.id, q.text);
        return join(
          quote(q.text),
          q.anonymous ? L.words.anonymous : q.authorName,
          !q.anonymous && q.authorGroup !== undefined ? `${L.words.group} ${q.authorGroup}` : undefined,
          this.#field(q.fieldId),
          e.type === 'question.submitted' ? L.source[q.source] : undefined,
        );
      }
      case 'question.approved':
        return e.questions.map((q) => quote(q.text)).join(' | ');
      case 'question.hidden':
        return join(
          quote(e.question.text),
          e.question.hiddenReason && `${L.words.reason}: ${e.question.hiddenReason}`,
        );
      case 'question.merged':
        return `${quote(e.question.text)} ${L.words.into} ${quote(e.into.text)}`;
      case 'question.assigned': {
        const q = e.question;
        return join(
          quote(q.text),
          this.#field(q.assignedFieldId),
          q.assignedOfficialId !== undefined &&
            `${L.words.official}: ${this.#officials.get(q.assignedOfficialId) ?? q.assignedOfficialId}`,
        );
      }
      case 'question.answered': {
        const a = e.question.answer;
        return join(
          quote(e.question.text),
          a && L.mode[a.mode],
          a?.dueDate && `${L.words.due} ${a.dueDate}`,
          a?.authority,
          a?.reason && `${L.words.reason}: ${a.reason}`,
          a?.answerer && `${L.words.official}: ${a.answerer.name}`,
          a?.note && excerpt(a.note),
        );
      }
      case 'question.written_answer_added':
        return join(
          quote(e.question.text),
          e.question.answer?.written && quote(e.question.answer.written.text),
        );
      case 'question.reply_issued': {
        const letter = e.question.answer?.written?.letter;
        return join(quote(e.question.text), letter && `${L.words.letter} ${letter.number} (${letter.date})`);
      }
      case 'question.delivered': {
        const delivery = e.question.answer?.written?.delivery;
        return join(quote(e.question.text), delivery && `${L.delivery[delivery.method]} ${delivery.date}`);
      }
      case 'question.noted':
        return join(quote(e.question.text), e.question.staffNote && excerpt(e.question.staffNote));
      case 'question.carried_over': {
        const to = e.question.carriedTo;
        return join(
          quote(e.question.text),
          to && `→ ${quote(to.sessionTitle)}`,
          to?.number !== undefined && `${L.words.number} ${to.number}`,
        );
      }
      case 'question.voted':
        return join(quote(this.#questions.get(e.questionId) ?? e.questionId), `${e.votes} ${L.words.votes}`);
      case 'question.highlighted':
        return e.questionId === null
          ? L.words.cleared
          : quote(this.#questions.get(e.questionId) ?? e.questionId);
      case 'hand.raised':
        this.#hands.set(e.hand.id, e.hand.name ?? '');
        return join(
          e.hand.name,
          e.hand.group !== undefined ? `${L.words.group} ${e.hand.group}` : undefined,
          e.hand.topic && quote(e.hand.topic),
          this.#field(e.hand.fieldId),
        );
      case 'hand.lowered':
      case 'hand.removed':
        return this.#hands.get(e.handId) || e.handId.slice(0, 8);
      case 'hand.moved':
        return `${this.#hands.get(e.handId) || e.handId.slice(0, 8)} → ${e.toIndex + 1}`;
      case 'queue.reordered':
        return e.firstTimeFirst ? L.words.on : L.words.off;
      case 'speaker.floor_given':
        return join(
          e.floor.name,
          e.floor.topic && quote(e.floor.topic),
          `${e.floor.durationSec} ${L.words.seconds}`,
        );
      case 'speaker.speech_ended':
        return join(
          e.speech.name,
          `${Math.round((e.speech.endedAt - e.speech.startedAt) / 1000)} ${L.words.seconds}`,
        );
      case 'speaker.time_set':
        return `${e.durationSec} ${L.words.seconds}`;
      case 'survey.submitted': {
        const r = e.response;
        if (!r) return String(e.surveyCount);
        return join(
          this.#participants.get(r.participantId) || undefined,
          L.source[r.source],
          `${L.words.scores}: ${scoreLine(r)}`,
          r.comment && quote(r.comment),
        );
      }
      case 'minutes.approved':
        return e.hash.slice(0, 12);
      case 'paper_form.corrected':
        return e.before && e.participant ? this.#correction(e.before, e) : '';
      case 'paper_form.removed': {
        const b = e.before;
        if (!b) return '';
        return join(
          this.#who(b.participant),
          ...b.questions.map((q) => quote(q.text)),
          b.survey && `${L.words.scores}: ${scoreLine(b.survey)}`,
        );
      }
      case 'paper_form.issued_set':
        return [
          ...e.issued.groups.map((g) => `${L.words.group} ${g.group}: ${g.count}`),
          ...e.issued.organisations.map((o) => `${o.organisation}: ${o.count}`),
        ].join(' · ');
      case 'report.pages_changed':
        return [...new Set(e.pages.map((p) => p.name))].join(' · ');
      case 'report.page_shown':
        return e.pageId ?? '';
      default: {
        const never: never = e;
        return String((never as { type: string }).type);
      }
    }
  }
}
