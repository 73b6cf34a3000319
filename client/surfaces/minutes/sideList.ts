/**
 * The side list of what happened at the meeting, as pure functions of the staff view of the session: each item
 * carries what the list shows and the Vietnamese paragraph it inserts into the minutes. The paragraphs are
 * Vietnamese whatever the UI language: the minutes are a Vietnamese administrative document.
 *
 * Times are written in the ward's time zone (Asia/Ho_Chi_Minh), not the device's: a laptop set to another zone must
 * not put "lúc 02:15" in the minutes of a 09:15 speech.
 */
import type {
  Official,
  Participant,
  ParticipantKind,
  Question,
  SessionState,
  Speech,
} from '../../../shared/domain/types.ts';
import { isOpinion, outcomeOf, sessionFigures } from '../../../shared/report/figures.ts';
import { speechesWithoutOpinions } from '../../../shared/domain/state.ts';
import { clockAt, shortDate, shortDateAt, WARD_TIME_ZONE } from '../../../shared/i18n/dates.ts';

export const MINUTES_TIME_ZONE = WARD_TIME_ZONE;

export interface SpeechItem {
  kind: 'speech';
  key: string;
  handId: string;
  /** Not yet recorded as opinions of the register (the secretary may record them from the list). */
  withoutOpinions: boolean;
  name: string | undefined;
  group: number | undefined;
  topic: string | undefined;
  field: string | undefined;
  startedAt: number;
  endedAt: number;
  paragraph: string;
}

export interface QuestionItem {
  kind: 'answered' | 'writing';
  key: string;
  asker: string | undefined;
  group: number | undefined;
  text: string;
  field: string | undefined;
  /** Who answered (or is to answer in writing), as the minutes name them. */
  who: string | undefined;
  note: string;
  dueDate: string | undefined;
  writtenDone: boolean;
  at: number;
  paragraph: string;
}

export interface FieldCount {
  name: string | undefined;
  /** Opinions of the field (shared/report/figures.ts). */
  count: number;
  /** Answered at the meeting. */
  answered: number;
  /** To be answered in writing. */
  writing: number;
  /** Recommended to a higher authority. */
  upward: number;
  /** Outside the ward's remit. */
  outside: number;
}

export interface CriterionAverage {
  label: string;
  average: number | undefined;
  responses: number;
}

export interface Figures {
  people: number;
  questions: number;
  forms: number;
  attendanceParagraph: string;
  byField: FieldCount[];
  byFieldParagraph: string | undefined;
  satisfaction: CriterionAverage[];
  satisfactionResponses: number;
  satisfactionParagraph: string | undefined;
}

export interface SideList {
  speeches: SpeechItem[];
  answered: QuestionItem[];
  writing: QuestionItem[];
  figures: Figures;
}

// ---- formatting ----------------------------------------------------------------------------------------------

/** "lúc 08 giờ 34": a moment of the meeting in a sentence of the minutes, on the ward's clock (shared/i18n/dates.ts). */
export const atClock = (ms: number): string => `lúc ${clockAt(ms, 'vi', MINUTES_TIME_ZONE)}`;

/** "15/12/2026" for an instant: the ward's date of it. */
const dayOf = (ms: number): string => shortDateAt(ms, MINUTES_TIME_ZONE);

/** 3.2857 → "3,3": Vietnamese decimal comma, one decimal. */
export const vnDecimal = (n: number): string => n.toFixed(1).replace('.', ',');

const clean = (s: string | undefined): string | undefined => {
  const t = s?.replace(/\s+/g, ' ').trim();
  return t ? t : undefined;
};

/** Drops one trailing full stop (the sentence goes on after it); keeps "?" and "!". */
const withoutStop = (s: string): string => s.replace(/[.。]+$/u, '').trimEnd();

/** Ends the sentence with a full stop unless it already ends with punctuation. */
const sentence = (s: string): string => (/[.!?…]$/u.test(s) ? s : `${s}.`);

/**
 * A topic in the middle of a sentence: "Cấp giấy phép xây dựng" → "cấp giấy phép xây dựng". Only a plain
 * capitalised first word followed by a lower-case word is lowered, so names ("Hà Nội", "UBND") stay as typed.
 */
export function midSentence(text: string): string {
  const m = /^(\p{Lu})(\p{Ll}*)(\s+)(\S+)/u.exec(text);
  if (!m || !/^\p{Ll}/u.test(m[4] ?? '')) return text;
  return (m[1] ?? '').toLowerCase() + text.slice(1);
}

const HONORIFIC = /^(ông|bà|anh|chị|cô|chú|bác|đồng chí|đ\/c)\s/iu;
const ORGANISATION =
  /^(công ty|cty|doanh nghiệp|hợp tác xã|htx|cửa hàng|hộ kinh doanh|tổ chức|ngân hàng|trường|chi nhánh)\b/iu;

/** "Ông" / "Bà" from a participant's own salutation, when the data has one (an invitee's "ong" | "ba"). */
export function salutationOf(participant: Participant | undefined): 'Ông' | 'Bà' | undefined {
  const value = participant && 'salutation' in participant ? participant.salutation : undefined;
  return value === 'ong' ? 'Ông' : value === 'ba' ? 'Bà' : undefined;
}

/**
 * How the minutes name a person: "Bà Nguyễn Thị Hoa" (their salutation when known), "Ông/Bà Nguyễn Văn A",
 * "Đại diện Công ty …", or as typed when it already starts with an honorific ("Ông Đặng Văn Lợi"). `capital: false`
 * for the middle of a sentence ("của ông/bà …").
 */
export function personName(
  name: string | undefined,
  capital = true,
  salutation?: 'Ông' | 'Bà',
): string | undefined {
  const n = clean(name);
  if (!n) return undefined;
  if (HONORIFIC.test(n))
    return capital ? n.charAt(0).toUpperCase() + n.slice(1) : n.charAt(0).toLowerCase() + n.slice(1);
  const prefix = ORGANISATION.test(n) ? 'Đại diện' : (salutation ?? 'Ông/Bà');
  return `${capital ? prefix : prefix.toLowerCase()} ${n}`;
}

/** "Tổ dân phố số 9" — also from the "TDP 9" and "Tổ dân phố 9" people type. */
export const groupName = (group: number): string => `Tổ dân phố số ${group}`;
const GROUP_MENTION = /\b(?:TDP|tổ dân phố|tổ)\s*(?:số\s*)?(\d+)\b/giu;
const expandGroups = (text: string): string =>
  text.replace(GROUP_MENTION, (_all, n: string) => groupName(Number(n)));

/**
 * A person as the minutes introduce them: "Bà Nguyễn Thị Hoa, Bí thư chi bộ Tổ dân phố số 9" from the name
 * "Nguyễn Thị Hoa (Bí thư chi bộ TDP 9)" and group 9 — the role typed in brackets after the name becomes an
 * apposition, and the group is named once, in full. `capital: false` for the middle of a sentence.
 */
export function introduce(
  name: string | undefined,
  group: number | undefined,
  options: { capital?: boolean; salutation?: 'Ông' | 'Bà' | undefined } = {},
): string | undefined {
  const typed = clean(name);
  const bracket = typed ? /^(.+?)\s*\(([^()]+)\)$/u.exec(typed) : null;
  const role = bracket?.[2] ? expandGroups(bracket[2].trim()) : undefined;
  const who = personName(bracket?.[1] ?? typed, options.capital ?? true, options.salutation);
  const groupText = group !== undefined ? groupName(group) : undefined;
  const mentioned = groupText !== undefined && role?.includes(groupText);
  const details = [role, mentioned ? undefined : groupText].filter((d): d is string => Boolean(d));
  if (!who) return details.length ? details.join(', ') : undefined;
  return [who, ...details].join(', ');
}

/** The participant a speech was given by: the one of that name (and group) who joined, when there is exactly one. */
function speakerOf(state: SessionState, s: Speech): Participant | undefined {
  const name = clean(s.name);
  if (!name) return undefined;
  const found = Object.values(state.participants).filter(
    (p) => clean(p.name) === name && (s.group === undefined || p.group === s.group),
  );
  return found.length === 1 ? found[0] : undefined;
}

const fieldName = (state: SessionState, id: string | undefined): string | undefined =>
  id === undefined ? undefined : state.fields.find((f) => f.id === id)?.name;

/** The field a question is answered in: the one it was assigned to, else the one the asker chose. */
const fieldOfQuestion = (q: Question): string | undefined => q.assignedFieldId ?? q.fieldId;

const officialLabel = (o: Pick<Official, 'name' | 'title'>): string =>
  o.title ? `${o.title} ${o.name}` : o.name;

const LEADER_TITLE: Partial<Record<string, string>> = {
  chair: 'Chủ tịch UBND phường',
  vice_chair: 'Phó Chủ tịch UBND phường',
};

/**
 * Who answered, as the minutes say it: the official the answer names (chosen on the panel, the assignee by
 * default). Answers recorded before that was kept: the person who recorded it when a leader or an official; a
 * secretary or the office recorded on someone's behalf, so the assigned official is named.
 */
export function answerer(state: SessionState, q: Question): string | undefined {
  const named = q.answer?.answerer;
  if (named) return officialLabel({ name: named.name, title: named.title ?? '' });
  const by = q.answer?.by;
  const assigned = q.assignedOfficialId
    ? state.officials.find((o) => o.id === q.assignedOfficialId)
    : undefined;
  if (by?.role === 'official') {
    const own = state.officials.find(
      (o) => (o.userId !== undefined && o.userId === by.id) || (by.name && o.name === by.name),
    );
    if (own) return officialLabel(own);
    return clean(by.name) ?? (assigned ? officialLabel(assigned) : undefined);
  }
  if (by && LEADER_TITLE[by.role]) {
    const name = clean(by.name);
    return name ? `${LEADER_TITLE[by.role]} ${name}` : LEADER_TITLE[by.role];
  }
  if (assigned) return officialLabel(assigned);
  return clean(by?.name);
}

/** The one assigned to give a written answer (an official, else the field). */
function writtenAssignee(state: SessionState, q: Question): string | undefined {
  const assigned = q.assignedOfficialId
    ? state.officials.find((o) => o.id === q.assignedOfficialId)
    : undefined;
  if (assigned) return officialLabel(assigned);
  const field = fieldName(state, q.assignedFieldId);
  return field ? `lĩnh vực ${field}` : undefined;
}

// ---- paragraphs ------------------------------------------------------------------------------------------------

/**
 * What became of one opinion, with who answers for it: "kiến nghị UBND thành phố Hà Nội (Công chức Địa chính – Xây
 * dựng Phạm Văn Dũng)", "sẽ trả lời bằng văn bản trước ngày 16/12/2026, giao …", "chưa trả lời".
 */
function outcomePhrase(state: SessionState, q: Question): string {
  const named = q.answer?.answerer;
  const who = named
    ? officialLabel({ name: named.name, title: named.title ?? '' })
    : writtenAssignee(state, q);
  const by = who ? ` (${who})` : '';
  const note = clean(q.answer?.note);
  switch (outcomeOf(q)) {
    case 'live': {
      const answered = answerer(state, q);
      return `đã trả lời tại hội nghị${note ? `: ${withoutStop(note)}` : ''}${answered ? ` (${answered})` : ''}`;
    }
    case 'writing_done':
      return `đã trả lời bằng văn bản ngày ${dayOf(q.answer?.written?.at ?? 0)}${by}`;
    case 'writing_pending':
      return `sẽ trả lời bằng văn bản${q.answer?.dueDate ? ` trước ngày ${shortDate(q.answer.dueDate)}` : ''}${who ? `, giao ${who}` : ''}`;
    case 'upward':
      return `kiến nghị ${clean(q.answer?.authority) ?? 'cấp có thẩm quyền'}${by}`;
    case 'outside': {
      const reason = clean(q.answer?.reason);
      return `không thuộc thẩm quyền của phường${reason ? ` (${withoutStop(reason)})` : ''}${by}`;
    }
    default:
      return `chưa trả lời${who ? `, giao ${who}` : ''}`;
  }
}

/**
 * The opinions recorded from a speech, each with its field, what became of it and who answers for it (issue 13:
 * the minutes hold every spoken opinion with its answerer): " Ý kiến: (1) …; (2) …." — empty when none was recorded.
 */
function spokenOpinions(state: SessionState, s: Speech): string {
  const opinions = Object.values(state.questions)
    .filter((q) => q.speech?.handId === s.handId && q.speech.startedAt === s.startedAt && isOpinion(q))
    .sort((a, b) => a.createdAt - b.createdAt);
  if (opinions.length === 0) return '';
  const items = opinions.map((q, i) => {
    const field = fieldName(state, fieldOfQuestion(q));
    const text = withoutStop(clean(q.text) ?? '');
    return `${opinions.length > 1 ? `(${i + 1}) ` : ''}${text}${field ? ` (lĩnh vực ${field})` : ''} — ${outcomePhrase(state, q)}`;
  });
  return ` Ý kiến: ${items.join('; ')}.`;
}

/**
 * "Ông/Bà Nguyễn Văn A, Tổ dân phố số 3, phát biểu về cấp giấy phép xây dựng, lúc 09 giờ 15." and, once recorded,
 * the opinions of the speech with their outcome and answerer.
 */
export function speechParagraph(state: SessionState, s: Speech): string {
  const who =
    introduce(s.name, s.group, { salutation: salutationOf(speakerOf(state, s)) }) ?? 'Một người dân';
  const topic = clean(s.topic);
  const field = fieldName(state, s.fieldId);
  const about = topic ? ` phát biểu về ${midSentence(withoutStop(topic))}` : ' phát biểu ý kiến';
  const fieldPart = field ? ` (lĩnh vực ${field})` : '';
  // An apposition is closed by a comma before the verb: "Bà A, Tổ dân phố số 9, phát biểu …".
  const comma = who.includes(', ') ? ',' : '';
  return `${who}${comma}${about}${fieldPart}, ${atClock(s.startedAt)}.${spokenOpinions(state, s)}`;
}

/** "Câu hỏi của ông/bà Nguyễn Thị Lan, Tổ dân phố số 3, lĩnh vực Địa chính – Xây dựng: …" */
function questionLead(state: SessionState, q: Question): string {
  const author = q.authorId !== undefined ? state.participants[q.authorId] : undefined;
  const asker = q.anonymous
    ? undefined
    : (introduce(q.authorName, q.authorGroup, { capital: false, salutation: salutationOf(author) }) ??
      clean(q.authorOrganisation));
  const field = fieldName(state, fieldOfQuestion(q));
  const text = clean(q.text) ?? '';
  if (!asker) return `Câu hỏi${field ? ` (lĩnh vực ${field})` : ''}: ${text}`;
  return `Câu hỏi của ${asker}${field ? `, lĩnh vực ${field}` : ''}: ${text}`;
}

/** "Câu hỏi (lĩnh vực …): … — Trả lời: … (Phó Chủ tịch UBND phường …)." */
export function answeredParagraph(state: SessionState, q: Question): string {
  const who = answerer(state, q);
  const note = clean(q.answer?.note);
  const lead = questionLead(state, q);
  if (!note) return `${lead} — Đã trả lời tại hội nghị${who ? ` (${who})` : ''}.`;
  return `${lead} — Trả lời: ${who ? `${withoutStop(note)} (${who}).` : sentence(note)}`;
}

/** "Câu hỏi …: … — Sẽ trả lời bằng văn bản trước ngày 31/12/2025 (Công chức … ): ghi chú." */
export function writingParagraph(state: SessionState, q: Question): string {
  const lead = questionLead(state, q);
  const written = q.answer?.written;
  if (written)
    return `${lead} — Đã trả lời bằng văn bản ngày ${dayOf(written.at)}: ${sentence(clean(written.text) ?? '')}`;
  const due = q.answer?.dueDate ? ` trước ngày ${shortDate(q.answer.dueDate)}` : '';
  const who = writtenAssignee(state, q);
  const note = clean(q.answer?.note);
  return `${lead} — Sẽ trả lời bằng văn bản${due}${who ? `, giao ${who}` : ''}${note ? ` (${withoutStop(note)})` : ''}.`;
}

const KIND_VI: Record<ParticipantKind, string> = {
  resident: 'người dân',
  business: 'đại diện doanh nghiệp, tổ chức',
  delegate: 'đại biểu',
  staff: 'cán bộ, công chức',
};
const KIND_ORDER: readonly ParticipantKind[] = ['resident', 'business', 'delegate', 'staff'];

/** " (đã trả lời tại hội nghị 2, trả lời bằng văn bản 1)" — what was done with a field's opinions. */
function answeredPart(r: FieldCount): string {
  const parts = [
    r.answered ? `đã trả lời tại hội nghị ${r.answered}` : '',
    r.writing ? `trả lời bằng văn bản ${r.writing}` : '',
    r.upward ? `kiến nghị cấp có thẩm quyền ${r.upward}` : '',
    r.outside ? `ngoài thẩm quyền ${r.outside}` : '',
  ].filter(Boolean);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

function figures(state: SessionState): Figures {
  // The figures of shared/report/figures.ts: the panel's, the screen's and the report's.
  const all = sessionFigures(state);
  const questions = Object.values(state.questions).filter(isOpinion);
  const kinds = new Map<ParticipantKind, number>();
  for (const p of Object.values(state.participants)) kinds.set(p.kind, (kinds.get(p.kind) ?? 0) + 1);
  const people = state.participantCount;
  const breakdown = KIND_ORDER.filter((k) => (kinds.get(k) ?? 0) > 0).map(
    (k) => `${KIND_VI[k]}: ${kinds.get(k)}`,
  );
  const before = questions.filter((q) => q.preMeeting).length;
  const paper = questions.filter((q) => q.source === 'paper').length;
  const spoken = questions.filter((q) => q.source === 'speech').length;
  const qDetails = [
    before ? `${before} ý kiến gửi trước hội nghị` : '',
    paper ? `${paper} ý kiến từ phiếu giấy` : '',
    spoken ? `${spoken} ý kiến phát biểu tại hội nghị` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const attendanceParagraph =
    `Số người tham dự đăng ký trên hệ thống: ${people} người${breakdown.length ? ` (${breakdown.join('; ')})` : ''}. ` +
    `Hội nghị nhận được ${all.opinions} câu hỏi, ý kiến${qDetails ? ` (trong đó ${qDetails})` : ''} ` +
    `và ${all.surveys} phiếu lấy ý kiến.`;

  const rows = new Map<string | undefined, FieldCount>();
  const zero = { count: 0, answered: 0, writing: 0, upward: 0, outside: 0 };
  for (const f of state.fields) rows.set(f.id, { name: f.name, ...zero });
  for (const q of questions) {
    const id = fieldOfQuestion(q);
    let row = rows.get(id);
    if (!row) {
      row = { name: fieldName(state, id), ...zero };
      rows.set(id, row);
    }
    row.count++;
    const outcome = outcomeOf(q);
    if (outcome === 'live') row.answered++;
    else if (outcome === 'writing_done' || outcome === 'writing_pending') row.writing++;
    else if (outcome === 'upward') row.upward++;
    else if (outcome === 'outside') row.outside++;
  }
  const byField = [...rows.values()].filter((r) => r.count > 0);
  const byFieldParagraph = byField.length
    ? `Ý kiến theo lĩnh vực: ${byField
        .map((r) => `${r.name ?? 'chưa xác định lĩnh vực'}: ${r.count} ý kiến${answeredPart(r)}`)
        .join('; ')}.`
    : undefined;

  // SIPAS averages as the report computes them (shared/report/figures.ts), for the session's current criteria.
  const satisfaction = all.satisfaction.criteria
    .filter((c) => !c.retired)
    .map((c): CriterionAverage => ({
      label: c.label,
      average: c.average ?? undefined,
      responses: c.count,
    }));
  const scored = satisfaction.filter((c) => c.average !== undefined);
  const satisfactionParagraph = scored.length
    ? `Kết quả khảo sát mức độ hài lòng (${all.satisfaction.responses} phiếu, thang điểm 5): ${scored
        .map((c) => `${c.label} ${vnDecimal(c.average ?? 0)} điểm`)
        .join('; ')}.`
    : undefined;

  return {
    people,
    questions: all.opinions,
    forms: all.surveys,
    attendanceParagraph,
    byField,
    byFieldParagraph,
    satisfaction,
    satisfactionResponses: all.satisfaction.responses,
    satisfactionParagraph,
  };
}

function questionItem(state: SessionState, q: Question, kind: 'answered' | 'writing'): QuestionItem {
  return {
    kind,
    key: `q:${q.id}`,
    asker: q.anonymous ? undefined : (clean(q.authorName) ?? clean(q.authorOrganisation)),
    group: q.anonymous ? undefined : q.authorGroup,
    text: clean(q.text) ?? '',
    field: fieldName(state, fieldOfQuestion(q)),
    who: kind === 'answered' ? answerer(state, q) : writtenAssignee(state, q),
    note: clean(q.answer?.note) ?? '',
    dueDate: q.answer?.dueDate,
    writtenDone: q.answer?.written !== undefined,
    at: q.answer?.at ?? q.updatedAt,
    paragraph: kind === 'answered' ? answeredParagraph(state, q) : writingParagraph(state, q),
  };
}

/** Everything the side list shows, in the order it happened. */
export function sideList(state: SessionState): SideList {
  const unrecorded = new Set(speechesWithoutOpinions(state).map((s) => s.handId));
  const speeches = state.speeches
    .map((s, i): SpeechItem => ({
      kind: 'speech',
      key: `s:${s.handId}:${i}`,
      handId: s.handId,
      withoutOpinions: unrecorded.has(s.handId),
      name: clean(s.name),
      group: s.group,
      topic: clean(s.topic),
      field: fieldName(state, s.fieldId),
      startedAt: s.startedAt,
      endedAt: s.endedAt,
      paragraph: speechParagraph(state, s),
    }))
    .sort((a, b) => a.startedAt - b.startedAt);
  const answeredQs = Object.values(state.questions).filter((q) => q.status === 'answered' && q.answer);
  const byTime = (a: QuestionItem, b: QuestionItem) => a.at - b.at;
  return {
    speeches,
    answered: answeredQs
      .filter((q) => q.answer?.mode === 'live')
      .map((q) => questionItem(state, q, 'answered'))
      .sort(byTime),
    writing: answeredQs
      .filter((q) => q.answer?.mode === 'writing')
      .map((q) => questionItem(state, q, 'writing'))
      .sort(byTime),
    figures: figures(state),
  };
}
