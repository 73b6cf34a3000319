/**
 * The glossary: one word per concept and one name per status, in Vietnamese and English, so the phone, the panel,
 * the big screen, the office's pages and the exports speak with one voice. An older resident who reads "ủng hộ" on
 * the screen must find "Ủng hộ" on the phone, not "Bình chọn".
 *
 * The terms follow the ward's plan (seed/ke-hoach-doi-thoai-2020.txt) and administrative usage: "hội nghị" and
 * "khai mạc / bế mạc" as the plan and Nghị định 30 write them, "cán bộ, công chức" for staff, "phiếu lấy ý kiến" for
 * the form, "Ông/Bà" to address a person (and "quý vị" for the whole hall on the big screen). Words a ward office
 * does not use — IT words such as "phiên", "thao tác số …" — are refused.
 *
 * Dictionaries keep their words as literals (a translator reads a whole sentence, and the phone's first screen
 * must not carry this table — the attendee bundle budget); tests/unit/glossary.test.ts reads every dictionary in
 * both languages, the default fields, programme and criteria, and fails when a string uses a variant this table
 * refuses. Add a concept here before a surface starts using a new word for it.
 */
import type { Language } from './index.ts';

export interface GlossaryTerm {
  /** What the term names, for the reader of this file. */
  concept: string;
  /** The one word for it. */
  term: Record<Language, string>;
  /** Variants refused in surface strings (matched case-insensitively on whole words, NFC). */
  avoid: Partial<Record<Language, readonly string[]>>;
}

export const GLOSSARY: readonly GlossaryTerm[] = [
  {
    concept: 'supporting a question so that it rises in the list (one per person and question)',
    term: { vi: 'ủng hộ (lượt ủng hộ)', en: 'vote (votes)' },
    avoid: { vi: ['bình chọn', 'lượt thích'], en: ['upvote', 'upvotes', 'likes', 'support'] },
  },
  {
    concept: 'status of a question shown to the hall',
    term: { vi: 'Đã công khai', en: 'Published' },
    avoid: { vi: ['công bố', 'đăng công khai'], en: ['made public'] },
  },
  {
    concept: 'meeting status before it opens (the office prepares it)',
    term: { vi: 'Đang chuẩn bị', en: 'In preparation' },
    avoid: { vi: ['bản nháp'], en: ['draft'] },
  },
  {
    concept: 'meeting status while it runs',
    term: { vi: 'Đang diễn ra', en: 'Under way' },
    avoid: { vi: ['đang họp'], en: ['in session', 'in progress'] },
  },
  {
    concept: 'opening and closing the meeting, and the closed status',
    term: { vi: 'Khai mạc / Bế mạc (Đã bế mạc)', en: 'Open / Close the meeting (Closed)' },
    avoid: {
      vi: [
        'bắt đầu hội nghị',
        'kết thúc hội nghị',
        'hội nghị bắt đầu',
        'hội nghị sẽ bắt đầu',
        'hội nghị chưa bắt đầu',
        'hội nghị đã bắt đầu',
        'hội nghị đã kết thúc',
        'hội nghị chưa kết thúc',
        'đã kết thúc',
      ],
      en: [
        'start the meeting',
        'end the meeting',
        'meeting has ended',
        'meeting has started',
        'meeting has not started',
      ],
    },
  },
  {
    concept: "the chairman's tablet surface",
    term: { vi: 'Bàn chủ tọa', en: 'Chair’s panel' },
    avoid: {
      vi: ['bảng điều hành', 'bảng điều khiển'],
      en: ['leadership panel', 'dashboard', 'control panel'],
    },
  },
  {
    concept: 'the projector surface',
    term: { vi: 'Màn hình lớn', en: 'Big screen' },
    avoid: { vi: ['màn hình hội trường', 'màn hình chiếu'], en: ['hall screen', 'projector screen'] },
  },
  {
    concept: 'one dialogue conference (what the software calls a session)',
    term: { vi: 'hội nghị', en: 'meeting' },
    avoid: { vi: ['phiên', 'phiên họp', 'sự kiện'], en: ['session', 'sessions', 'event #'] },
  },
  {
    concept: 'people who work for the ward',
    term: { vi: 'cán bộ, công chức', en: 'staff, officials' },
    avoid: { vi: ['nhân viên'], en: ['employee', 'employees'] },
  },
  {
    concept: 'addressing a person',
    term: { vi: 'Ông/Bà', en: 'you' },
    avoid: { vi: ['bạn', 'anh/chị', 'quý khách'] },
  },
  {
    concept: 'the opinion form (satisfaction scores and comments), on paper or on the phone',
    term: { vi: 'phiếu lấy ý kiến', en: 'opinion form' },
    avoid: {
      vi: ['phiếu khảo sát', 'phiếu đánh giá', 'phiếu ý kiến', 'khảo sát'],
      en: ['survey', 'surveys', 'survey form', 'satisfaction form', 'satisfaction forms', 'questionnaire'],
    },
  },
  {
    concept: 'counting progress by internal sequence numbers (an IT notion)',
    term: { vi: 'cập nhật lúc … (giờ, ngày)', en: 'updated at … (time, date)' },
    avoid: { vi: ['thao tác số'], en: ['action no.', 'event no.'] },
  },
  {
    concept: 'the meeting itself (it is held in the hall, not online)',
    term: { vi: 'hội nghị đối thoại', en: 'dialogue meeting' },
    avoid: { vi: ['trực tuyến', 'online'], en: ['online meeting', 'online dialogue', 'webinar'] },
  },
  {
    concept: 'joining words in names (fields, headings)',
    term: { vi: 'và', en: 'and' },
    avoid: { vi: ['&'], en: ['&'] },
  },
];

/** Escapes a variant for a regular expression. */
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** A variant as a whole-word, case-insensitive pattern ("bạn" does not match inside "bạnh", "&" anywhere). */
export function variantPattern(variant: string): RegExp {
  const word = /^\p{L}/u.test(variant) ? '(?<![\\p{L}\\p{M}])' : '';
  const end = /\p{L}$/u.test(variant) ? '(?![\\p{L}\\p{M}])' : '';
  return new RegExp(`${word}${escape(variant.normalize('NFC'))}${end}`, 'iu');
}

/** The refused variants a text uses, with the term to use instead. */
export function glossaryViolations(text: string, lang: Language): { variant: string; use: string }[] {
  const normalized = text.normalize('NFC');
  const found: { variant: string; use: string }[] = [];
  for (const entry of GLOSSARY)
    for (const variant of entry.avoid[lang] ?? [])
      if (variantPattern(variant).test(normalized)) found.push({ variant, use: entry.term[lang] });
  return found;
}
