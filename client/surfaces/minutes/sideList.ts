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
  ParticipantKind,
  Question,
  SessionState,
  Speech,
} from '../../../shared/domain/types.ts';

export const MINUTES_TIME_ZONE = 'Asia/Ho_Chi_Minh';

export interface SpeechItem {
  kind: 'speech';
  key: string;
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
  count: number;
  answered: number;
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

// ---- formatting ------------------------------------------------------------------------------------------------

const timeFormat = new Intl.DateTimeFormat('en-GB', {
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: MINUTES_TIME_ZONE,
});

/** "09:15" in the ward's time zone. */
export const vnClock = (ms: number): string => timeFormat.format(ms);

/** "2025-06-30" → "30/06/2025" (administrative documents write dd/mm/yyyy). */
export function vnDateShort(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

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

/**
 * How the minutes name a person: "Ông/Bà Nguyễn Văn A", "Đại diện Công ty …", or as typed when it already starts
 * with an honorific ("Ông Đặng Văn Lợi"). `capital: false` for the middle of a sentence ("của ông/bà …").
 */
export function personName(name: string | undefined, capital = true): string | undefined {
  const n = clean(name);
  if (!n) return undefined;
  if (HONORIFIC.test(n))
    return capital ? n.charAt(0).toUpperCase() + n.slice(1) : n.charAt(0).toLowerCase() + n.slice(1);
  const prefix = ORGANISATION.test(n) ? 'Đại diện' : 'Ông/Bà';
  return `${capital ? prefix : prefix.toLowerCase()} ${n}`;
}

const groupPart = (group: number | undefined): string =>
  group !== undefined ? ` (Tổ dân phố ${group})` : '';

const fieldName = (state: SessionState, id: string | undefined): string | undefined =>
  id === undefined ? undefined : state.fields.find((f) => f.id === id)?.name;

/** The field a question is answered in: the one it was assigned to, else the one the asker chose. */
const fieldOfQuestion = (q: Question): string | undefined => q.assignedFieldId ?? q.fieldId;

const officialLabel = (o: Official): string => (o.title ? `${o.title} ${o.name}` : o.name);

const LEADER_TITLE: Partial<Record<string, string>> = {
  chair: 'Chủ tịch UBND phường',
  vice_chair: 'Phó Chủ tịch UBND phường',
};

/**
 * Who answered, as the minutes say it. The person who recorded the answer is the one who gave it when they are a
 * leader or an official; a secretary or the office records on someone's behalf, so the assigned official is named.
 */
export function answerer(state: SessionState, q: Question): string | undefined {
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

/** "Ông/Bà Nguyễn Văn A (Tổ dân phố 3) phát biểu về cấp giấy phép xây dựng, lúc 09:15–09:18." */
export function speechParagraph(state: SessionState, s: Speech): string {
  const who = personName(s.name) ?? 'Một người dân';
  const topic = clean(s.topic);
  const field = fieldName(state, s.fieldId);
  const about = topic ? ` phát biểu về ${midSentence(withoutStop(topic))}` : ' phát biểu ý kiến';
  const fieldPart = field ? ` (lĩnh vực ${field})` : '';
  return `${who}${groupPart(s.group)}${about}${fieldPart}, lúc ${vnClock(s.startedAt)}–${vnClock(s.endedAt)}.`;
}

/** "Câu hỏi của ông/bà Nguyễn Thị Lan (Tổ dân phố 3), lĩnh vực Địa chính – Xây dựng: …" */
function questionLead(state: SessionState, q: Question): string {
  const asker = q.anonymous ? undefined : (personName(q.authorName, false) ?? clean(q.authorOrganisation));
  const field = fieldName(state, fieldOfQuestion(q));
  const text = clean(q.text) ?? '';
  if (!asker) return `Câu hỏi${field ? ` (lĩnh vực ${field})` : ''}: ${text}`;
  return `Câu hỏi của ${asker}${q.anonymous ? '' : groupPart(q.authorGroup)}${field ? `, lĩnh vực ${field}` : ''}: ${text}`;
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
  if (written) {
    const day = new Intl.DateTimeFormat('en-GB', {
      timeZone: MINUTES_TIME_ZONE,
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
    }).format(written.at);
    return `${lead} — Đã trả lời bằng văn bản ngày ${day}: ${sentence(clean(written.text) ?? '')}`;
  }
  const due = q.answer?.dueDate ? ` trước ngày ${vnDateShort(q.answer.dueDate)}` : '';
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

const counted = (q: Question): boolean =>
  q.status === 'pending' || q.status === 'published' || q.status === 'answered';

function figures(state: SessionState): Figures {
  const questions = Object.values(state.questions).filter(counted);
  const kinds = new Map<ParticipantKind, number>();
  for (const p of Object.values(state.participants)) kinds.set(p.kind, (kinds.get(p.kind) ?? 0) + 1);
  const people = state.participantCount;
  const breakdown = KIND_ORDER.filter((k) => (kinds.get(k) ?? 0) > 0).map(
    (k) => `${KIND_VI[k]}: ${kinds.get(k)}`,
  );
  const before = questions.filter((q) => q.preMeeting).length;
  const paper = questions.filter((q) => q.source === 'paper').length;
  const qDetails = [
    before ? `${before} ý kiến gửi trước hội nghị` : '',
    paper ? `${paper} ý kiến từ phiếu giấy` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const attendanceParagraph =
    `Số người tham dự đăng ký trên hệ thống: ${people} người${breakdown.length ? ` (${breakdown.join('; ')})` : ''}. ` +
    `Hội nghị nhận được ${questions.length} câu hỏi, ý kiến${qDetails ? ` (trong đó ${qDetails})` : ''} ` +
    `và ${state.surveyCount} phiếu khảo sát mức độ hài lòng.`;

  const rows = new Map<string | undefined, FieldCount>();
  for (const f of state.fields) rows.set(f.id, { name: f.name, count: 0, answered: 0 });
  for (const q of questions) {
    const id = fieldOfQuestion(q);
    let row = rows.get(id);
    if (!row) {
      row = { name: fieldName(state, id), count: 0, answered: 0 };
      rows.set(id, row);
    }
    row.count++;
    if (q.status === 'answered') row.answered++;
  }
  const byField = [...rows.values()].filter((r) => r.count > 0);
  const byFieldParagraph = byField.length
    ? `Ý kiến theo lĩnh vực: ${byField
        .map(
          (r) =>
            `${r.name ?? 'chưa xác định lĩnh vực'}: ${r.count} ý kiến${r.answered ? ` (đã trả lời ${r.answered})` : ''}`,
        )
        .join('; ')}.`
    : undefined;

  const responses = Object.values(state.surveys);
  const satisfaction = state.criteria.map((c): CriterionAverage => {
    let sum = 0;
    let n = 0;
    for (const r of responses) {
      const score = r.answers[c.id];
      if (score === undefined || score < 1 || score > 5) continue;
      sum += score;
      n++;
    }
    return { label: c.label, average: n ? sum / n : undefined, responses: n };
  });
  const scored = satisfaction.filter((c) => c.average !== undefined);
  const satisfactionParagraph = scored.length
    ? `Kết quả khảo sát mức độ hài lòng (${responses.length} phiếu, thang điểm 5): ${scored
        .map((c) => `${c.label} ${vnDecimal(c.average ?? 0)} điểm`)
        .join('; ')}.`
    : undefined;

  return {
    people,
    questions: questions.length,
    forms: state.surveyCount,
    attendanceParagraph,
    byField,
    byFieldParagraph,
    satisfaction,
    satisfactionResponses: responses.length,
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
  const speeches = state.speeches
    .map((s, i): SpeechItem => ({
      kind: 'speech',
      key: `s:${s.handId}:${i}`,
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
