/**
 * Follow-up of the questions to be answered in writing (trả lời bằng văn bản): what was promised, by when, and
 * whether it was done. Pure; `today` is passed in.
 */
import { answererName } from '../domain/state.ts';
import type { Delivery, Question, QuestionSource, ReplyLetter, SessionState } from '../domain/types.ts';
import { isOverdue, reportFieldId } from './report.ts';

export interface FollowUpItem {
  sessionId: string;
  sessionTitle: string;
  sessionDate: string;
  sessionStatus: SessionState['status'];
  questionId: string;
  text: string;
  fieldId: string | null;
  fieldName: string;
  assignedOfficial?: string;
  anonymous: boolean;
  /** Phone askers see the reply in the app; paper askers only once it is delivered to them. */
  source: QuestionSource;
  /** The asker's participant id (never for an anonymous question): the office looks up their contact with it. */
  authorId?: string;
  authorName?: string;
  authorGroup?: number;
  /** What was said at the meeting when it was deferred. */
  answerNote?: string;
  answeredBy?: string;
  dueDate?: string;
  done: boolean;
  overdue: boolean;
  /** Whole days past the due date (0 when not overdue). */
  daysOverdue: number;
  writtenText?: string;
  writtenBy?: string;
  writtenAt?: number;
  /** The official answering for it: the assignee, else who answered at the meeting. */
  officialId?: string;
  officialName?: string;
  letter?: ReplyLetter;
  delivery?: Delivery;
}

/** Days from `from` to `to` (both YYYY-MM-DD), negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  const ms = (d: string) => {
    const [y, m, day] = d.split('-').map(Number);
    return Date.UTC(y ?? 1970, (m ?? 1) - 1, day ?? 1);
  };
  return Math.round((ms(to) - ms(from)) / 86_400_000);
}

/** Adds months to a YYYY-MM-DD date, clamping the day to the target month (31 Aug + 6 → 28/29 Feb). */
export function addMonths(date: string, months: number): string {
  const [y = 1970, m = 1, d = 1] = date.split('-').map(Number);
  const index = m - 1 + months;
  const month = ((index % 12) + 12) % 12;
  const year = y + Math.floor(index / 12);
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(d, last);
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const isWriting = (q: Question) => q.status === 'answered' && q.answer?.mode === 'writing';

/** Every question of the session to be answered in writing, overdue first, then by due date. */
export function followUpItems(state: SessionState, today: string): FollowUpItem[] {
  const fields = new Map(state.fields.map((f) => [f.id, f.name]));
  const officials = new Map(state.officials.map((o) => [o.id, o.name]));
  return Object.values(state.questions)
    .filter(isWriting)
    .map((q): FollowUpItem => {
      const a = q.answer;
      const fieldId = reportFieldId(q);
      const overdue = isOverdue(q, today);
      const official = q.assignedOfficialId !== undefined ? officials.get(q.assignedOfficialId) : undefined;
      const officialId = q.assignedOfficialId ?? a?.answerer?.officialId;
      const officialName =
        (officialId !== undefined ? officials.get(officialId) : undefined) ?? a?.answerer?.name;
      return {
        sessionId: state.id,
        sessionTitle: state.title,
        sessionDate: state.date,
        sessionStatus: state.status,
        questionId: q.id,
        text: q.text,
        fieldId,
        fieldName: fieldId === null ? '' : (fields.get(fieldId) ?? fieldId),
        ...(official !== undefined ? { assignedOfficial: official } : {}),
        anonymous: q.anonymous,
        source: q.source,
        ...(!q.anonymous && q.authorId !== undefined ? { authorId: q.authorId } : {}),
        ...(officialId !== undefined ? { officialId } : {}),
        ...(officialName !== undefined ? { officialName } : {}),
        ...(a?.written?.letter ? { letter: a.written.letter } : {}),
        ...(a?.written?.delivery ? { delivery: a.written.delivery } : {}),
        ...(!q.anonymous && q.authorName !== undefined ? { authorName: q.authorName } : {}),
        ...(!q.anonymous && q.authorGroup !== undefined ? { authorGroup: q.authorGroup } : {}),
        ...(a?.note ? { answerNote: a.note } : {}),
        ...(a ? { answeredBy: answererName(a) } : {}),
        ...(a?.dueDate !== undefined ? { dueDate: a.dueDate } : {}),
        done: a?.written !== undefined,
        overdue,
        daysOverdue: overdue && a?.dueDate ? daysBetween(a.dueDate, today) : 0,
        ...(a?.written
          ? {
              writtenText: a.written.text,
              writtenBy: a.written.by.name ?? a.written.by.role,
              writtenAt: a.written.at,
            }
          : {}),
      };
    })
    .sort(compareFollowUp);
}

/** Overdue first (most overdue first), then pending by due date, then done. */
export function compareFollowUp(a: FollowUpItem, b: FollowUpItem): number {
  const rank = (x: FollowUpItem) => (x.overdue ? 0 : x.done ? 2 : 1);
  return (
    rank(a) - rank(b) ||
    b.daysOverdue - a.daysOverdue ||
    (a.dueDate ?? '9999').localeCompare(b.dueDate ?? '9999') ||
    a.sessionDate.localeCompare(b.sessionDate)
  );
}

/** One line of the overdue list: an official or a field, how many replies are late and by how much. */
export interface OverdueGroup {
  /** Official id or field id; '' for none. */
  key: string;
  name: string;
  count: number;
  /** The most days any of them is overdue. */
  maxDays: number;
  items: FollowUpItem[];
}

/**
 * Overdue written replies grouped by who answers for them (`by: 'official'`) or by field, the most overdue group
 * first: the list the standing committee goes through with each official.
 */
export function overdueBy(items: readonly FollowUpItem[], by: 'official' | 'field'): OverdueGroup[] {
  const groups = new Map<string, OverdueGroup>();
  for (const item of items) {
    if (!item.overdue) continue;
    const key = (by === 'official' ? item.officialId : item.fieldId) ?? '';
    const name = (by === 'official' ? item.officialName : item.fieldName) ?? '';
    const group = groups.get(key) ?? { key, name, count: 0, maxDays: 0, items: [] };
    group.count++;
    group.maxDays = Math.max(group.maxDays, item.daysOverdue);
    group.items.push(item);
    groups.set(key, group);
  }
  return [...groups.values()].sort(
    (a, b) => b.maxDays - a.maxDays || b.count - a.count || a.name.localeCompare(b.name),
  );
}
