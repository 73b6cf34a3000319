/**
 * The synthesis report (báo cáo tổng hợp ý kiến, kiến nghị) the ward sends to the level above, as a Decree 30 DOCX:
 * the header, "BÁO CÁO" and its subject, how the meeting went, every figure of shared/report/figures.ts under the
 * export's own label, the figures by field, every opinion with its field, outcome and accountable official, the
 * recommendations upward, satisfaction by criterion, the forms handed out and collected, "Nơi nhận" and the
 * chairman's signature. Built from the same Report as the XLSX and CSV, so the three files say the same numbers.
 * In Vietnamese: it is the ward's official document (the labels come from the Vietnamese export words).
 */
import { Paragraph } from 'docx';
import type { SessionState } from '../../shared/domain/types.ts';
import { longDate, shortDate } from '../../shared/i18n/dates.ts';
import type { Counts, Report } from '../../shared/report/report.ts';
import {
  bodyParagraph,
  closingBlock,
  decree30Document,
  gridTable,
  issuerHeader,
  line,
  TEXT_WIDTH,
  titleParagraphs,
  toBuffer,
  type Signer,
} from '../documents/decree30.ts';
import { signerOf } from '../documents/replyLetter.ts';
import type { ExportLabels } from './labels.ts';
import { fieldLabel, paperFormsTables } from './tables.ts';

/** The figures listed one per row, in the order a reader takes them: what came in, then what became of it. */
const FIGURE_ROWS = [
  'received',
  'phone',
  'paper',
  'speech',
  'preMeeting',
  'carried',
  'opinions',
  'answeredLive',
  'inWriting',
  'writtenDone',
  'delivered',
  'writtenPending',
  'overdue',
  'upward',
  'outside',
  'open',
  'merged',
  'hidden',
] as const satisfies ReadonlyArray<keyof Counts>;

const FIELD_COLUMNS = ['received', 'answeredLive', 'inWriting', 'upward', 'outside', 'open'] as const;

/** Column widths (twips) as shares of the text width. */
const widths = (...shares: number[]): number[] => {
  const total = shares.reduce((a, b) => a + b, 0);
  const w = shares.map((s) => Math.floor((TEXT_WIDTH * s) / total));
  w[w.length - 1] = TEXT_WIDTH - w.slice(0, -1).reduce((a, b) => a + b, 0);
  return w;
};

const heading = (text: string): Paragraph => bodyParagraph([line(text, { bold: true })], { indent: true });
const decimal = (x: number | null): string => (x === null ? '' : x.toFixed(2).replace('.', ','));

/** The chairman signs for the committee; without one on record, the block is left to sign by hand. */
function chairSigner(state: SessionState): Signer {
  const chair = state.officials.find((o) => !o.retired && /^chủ tịch/iu.test(o.title.trim()));
  return chair ? signerOf(chair) : { on: 'TM. ỦY BAN NHÂN DÂN', titles: ['CHỦ TỊCH'], name: '' };
}

export async function reportDocx(report: Report, state: SessionState, L: ExportLabels): Promise<Buffer> {
  const E = L.export;
  const m = report.meta;
  const f = report.figures;
  const p = report.participation;
  const ward = m.wardName.replace(/^phường\s+/iu, '');
  const meeting = m.title;

  const figures = gridTable(
    [
      [E.text, E.count],
      ...FIGURE_ROWS.map((k) => [E[k], f[k]]),
      [E.speeches, f.speeches],
      [E.formsCollected, f.formsCollected],
      [E.responses, f.surveys],
    ],
    widths(7, 2),
  );

  const byField = gridTable(
    [
      [E.field, ...FIELD_COLUMNS.map((k) => E[k])],
      ...report.byField.map((r) => [fieldLabel(r, L), ...FIELD_COLUMNS.map((k) => r[k])]),
      [E.total, ...FIELD_COLUMNS.map((k) => report.totals[k])],
    ],
    widths(4, 1.4, 1.4, 1.4, 1.4, 1.4, 1.4),
  );

  const opinions = gridTable(
    [
      [E.number, E.field, E.text, E.author, E.outcome, E.answeredBy],
      ...report.questions.map((q) => [
        q.number,
        fieldLabel({ fieldId: q.fieldId, name: q.fieldName, retired: false }, L),
        [
          q.text,
          ...(q.answerNote ? [`${E.answerNote}: ${q.answerNote}`] : []),
          ...(q.writtenText ? [`${E.writtenText}: ${q.writtenText}`] : []),
        ],
        q.anonymous
          ? E.anonymous
          : [
              q.authorName ?? '',
              ...(q.authorGroup !== undefined ? [`${E.group} ${q.authorGroup}`] : []),
              ...(q.authorOrganisation ? [q.authorOrganisation] : []),
            ].filter(Boolean),
        [
          L.outcome[q.outcome],
          ...(q.dueDate ? [`${E.dueDate}: ${shortDate(q.dueDate)}`] : []),
          ...(q.authority ? [`${E.authority}: ${q.authority}`] : []),
          ...(q.outsideReason ? [`${E.outsideReason}: ${q.outsideReason}`] : []),
          ...(q.mergedInto !== undefined ? [`${E.mergedInto} ${q.mergedInto}`] : []),
          ...(q.hiddenReason ? [`${E.hiddenReason}: ${q.hiddenReason}`] : []),
          ...(q.carriedFrom ? [`${E.carriedFrom}: ${q.carriedFrom}`] : []),
        ],
        q.answeredBy ?? q.assignedOfficial ?? '',
      ]),
    ],
    widths(0.8, 2, 5, 2.2, 2.6, 2.2),
  );

  const upward = report.questions.filter((q) => q.outcome === 'upward');
  const s = report.satisfaction;
  const children = [
    issuerHeader({
      ...(m.parentBody ? { parentBody: m.parentBody } : {}),
      wardName: m.wardName,
      place: m.place ?? ward,
      numberSuffix: 'BC-UBND',
      date: m.today,
    }),
    ...titleParagraphs(['BÁO CÁO', 'Tổng hợp ý kiến, kiến nghị', `tại ${meeting}`]),
    bodyParagraph([
      `${longDate(m.date)}, Ủy ban nhân dân phường ${ward} tổ chức ${meeting} tại ${m.venue}. ` +
        `${E.participants}: ${p.participants} (${L.source.phone}: ${p.bySource.phone}, ${L.source.paper}: ` +
        `${p.bySource.paper}); ${E.groupsRepresented}: ${p.groupsRepresented}/${m.groups}; ` +
        `${E.speeches}: ${f.speeches}.`,
    ]),
    bodyParagraph([
      `Ủy ban nhân dân phường ${ward} báo cáo kết quả tổng hợp ý kiến, kiến nghị của tổ chức, công dân như sau:`,
    ]),
    heading('I. SỐ LIỆU TỔNG HỢP'),
    figures,
    heading('II. TỔNG HỢP THEO LĨNH VỰC'),
    byField,
    heading('III. DANH SÁCH Ý KIẾN, KIẾN NGHỊ VÀ KẾT QUẢ TRẢ LỜI'),
    opinions,
    heading('IV. KIẾN NGHỊ CẤP CÓ THẨM QUYỀN'),
    ...(upward.length > 0
      ? upward.map((q, i) =>
          bodyParagraph([`${i + 1}. ${q.text} (${E.authority}: ${q.authority ?? ''}).`], { indent: true }),
        )
      : [bodyParagraph(['Không có.'])]),
    heading('V. MỨC ĐỘ HÀI LÒNG (SIPAS)'),
    bodyParagraph([
      `${E.responses}: ${s.responses} (${L.source.phone}: ${s.bySource.phone}, ${L.source.paper}: ` +
        `${s.bySource.paper}); ${E.overall}: ${decimal(s.overallAverage)}.`,
    ]),
    ...(s.criteria.length > 0
      ? [
          gridTable(
            [
              [E.criterion, E.answers, E.average],
              ...s.criteria.map((c) => [
                c.retired ? `${c.label} (${E.retired})` : c.label,
                c.count,
                decimal(c.average),
              ]),
            ],
            widths(6, 2, 2),
          ),
        ]
      : []),
    ...paperFormsTables(report, L).flatMap((t, i) => [
      ...(i === 0 ? [heading('VI. PHIẾU LẤY Ý KIẾN PHÁT RA VÀ THU VỀ')] : []),
      bodyParagraph([t.title], { indent: true }),
      gridTable(
        t.rows.map((r) => r.map((c) => (typeof c === 'number' ? c : String(c ?? '')))),
        widths(6, 2, 2),
      ),
    ]),
    new Paragraph({ children: [] }),
    closingBlock(
      [L.report.print.recipientAbove, L.report.print.recipientLocal, L.report.print.recipientFile],
      chairSigner(state),
    ),
  ];
  return toBuffer(decree30Document({ title: `Báo cáo tổng hợp ý kiến, kiến nghị - ${meeting}`, children }));
}
