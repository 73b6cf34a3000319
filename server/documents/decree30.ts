/**
 * What every document the ward issues shares, in the Decree 30/2020/NĐ-CP layout (Phụ lục I): A4, margins
 * 20/20/30/15 mm, Times New Roman in the 13 + 14 pt pair, the two-column header (issuing body and number on the left,
 * the national name and motto with the place and date on the right, a short rule under each), the signature block,
 * "Nơi nhận", page numbers centred at the top from page 2 on. The minutes (server/minutes/docx.ts), the reply
 * letters (replyLetter.ts) and the synthesis report (server/reports/reportDocx.ts) are built on it.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Header,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableBorders,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { longDate } from '../../shared/i18n/dates.ts';
import { upper, wardLine } from '../minutes/format.ts';

export const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** Twips (1/1440 inch; 1 mm ≈ 56.7). */
export const PAGE = { width: 11906, height: 16838, top: 1134, bottom: 1134, left: 1701, right: 851 } as const;
export const TEXT_WIDTH = PAGE.width - PAGE.left - PAGE.right;
export const HEADER_LEFT_WIDTH = Math.round(TEXT_WIDTH * 0.4);
export const HEADER_RIGHT_WIDTH = TEXT_WIDTH - HEADER_LEFT_WIDTH;
export const FIRST_LINE_INDENT = 720; // 1.27 cm
export const FONT = 'Times New Roman';
/** Half-points. */
export const SIZE = { small: 22, note: 24, header: 26, body: 28 } as const;
/** Widths of the rules under the issuing body and under the motto. */
export const RULE = { left: 1100, right: 3400 } as const;

/** A short centred rule: an empty, one-point-high paragraph whose top border is narrowed by indents. */
export function rule(cellWidth: number, ruleWidth: number): Paragraph {
  const side = Math.max(0, Math.round((cellWidth - ruleWidth) / 2));
  return new Paragraph({
    indent: { left: side, right: side },
    spacing: { before: 0, after: 0, line: 20, lineRule: LineRuleType.EXACT },
    border: { top: { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 1 } },
    children: [],
  });
}

/** Two borderless columns side by side (the header, the signature block). */
export function twoColumns(
  left: Paragraph[],
  right: Paragraph[],
  leftWidth: number,
  rightWidth: number,
): Table {
  const cell = (children: Paragraph[], width: number): TableCell =>
    new TableCell({
      width: { size: width, type: WidthType.DXA },
      borders: TableBorders.NONE,
      children: children.length > 0 ? children : [new Paragraph({ children: [] })],
    });
  return new Table({
    width: { size: leftWidth + rightWidth, type: WidthType.DXA },
    columnWidths: [leftWidth, rightWidth],
    layout: TableLayoutType.FIXED,
    borders: TableBorders.NONE,
    rows: [new TableRow({ children: [cell(left, leftWidth), cell(right, rightWidth)] })],
  });
}

/** Room to sign (and stamp) between a signature title and the name. */
export const signatureGap = (): Paragraph[] => [0, 1, 2, 3].map(() => new Paragraph({ children: [] }));

/** The whole document: default font and size, A4 with the decree's margins, page numbers from page 2 on. */
export function decree30Document(options: {
  title: string;
  creator?: string;
  children: Array<Paragraph | Table>;
}): Document {
  return new Document({
    title: options.title,
    ...(options.creator ? { creator: options.creator } : {}),
    styles: {
      default: {
        document: {
          run: { font: { ascii: FONT, hAnsi: FONT, cs: FONT, eastAsia: FONT }, size: SIZE.body },
        },
      },
    },
    sections: [
      {
        properties: {
          titlePage: true,
          page: {
            size: { width: PAGE.width, height: PAGE.height },
            margin: { top: PAGE.top, bottom: PAGE.bottom, left: PAGE.left, right: PAGE.right, header: 567 },
          },
        },
        headers: {
          // Decree 30: page numbers top centre, none on the first page.
          first: new Header({ children: [new Paragraph({ children: [] })] }),
          default: new Header({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [new TextRun({ children: [PageNumber.CURRENT], size: SIZE.body })],
              }),
            ],
          }),
        },
        children: options.children,
      },
    ],
  });
}

export const toBuffer = (document: Document): Promise<Buffer> => Packer.toBuffer(document);

// ---- documents built from data (letters, reports) ------------------------------------------------------------

/** One line of text in one style. */
export interface Line {
  text: string;
  size?: number;
  bold?: boolean;
  italics?: boolean;
}

export const line = (text: string, style: Omit<Line, 'text'> = {}): Line => ({ text, ...style });

export function centred(lines: Line[]): Paragraph[] {
  return lines.map(
    (l) =>
      new Paragraph({
        alignment: AlignmentType.CENTER,
        spacing: { before: 0, after: 0 },
        children: [
          new TextRun({
            text: l.text,
            size: l.size ?? SIZE.body,
            ...(l.bold ? { bold: true } : {}),
            ...(l.italics ? { italics: true } : {}),
          }),
        ],
      }),
  );
}

export interface IssuerInfo {
  /** Tên cơ quan chủ quản; a UBND phường normally has none. */
  parentBody?: string;
  /** The ward ("Kiến Hưng" or "Phường Kiến Hưng"). */
  wardName: string;
  /** Place name of the date line. */
  place: string;
  /** "Số: …", e.g. "125/UBND-VP"; blank to fill in by hand when unset. */
  number?: string;
  /** The suffix of a number given without one ("BC-UBND" for a report, "UBND" for a letter). */
  numberSuffix: string;
  /** YYYY-MM-DD; blanks when unset. */
  date?: string;
  /** Trích yếu of a công văn ("V/v …"), under the number. */
  subject?: string;
}

/** "Số: 125/UBND-VP"; a bare number gets the suffix. */
export function numberLine(number: string | undefined, suffix: string): string {
  const n = number?.trim();
  if (!n) return `Số: …/${suffix}`;
  return n.includes('/') ? `Số: ${n}` : `Số: ${n}/${suffix}`;
}

/** The two-column header of a document the ward's People's Committee issues. */
export function issuerHeader(info: IssuerInfo): Table {
  const parent = info.parentBody?.trim();
  const left = [
    ...centred([
      ...(parent ? [line(upper(parent), { size: SIZE.header })] : []),
      line('ỦY BAN NHÂN DÂN', { size: SIZE.header, bold: true }),
      line(wardLine(info.wardName), { size: SIZE.header, bold: true }),
    ]),
    rule(HEADER_LEFT_WIDTH, RULE.left),
    ...centred([line(numberLine(info.number, info.numberSuffix), { size: SIZE.header })]),
    ...(info.subject ? centred([line(info.subject, { size: SIZE.note })]) : []),
  ];
  const right = [
    ...centred([
      line('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { size: SIZE.header, bold: true }),
      line('Độc lập - Tự do - Hạnh phúc', { bold: true }),
    ]),
    rule(HEADER_RIGHT_WIDTH, RULE.right),
    ...centred([line(`${info.place.trim() || '…'}, ${longDate(info.date)}`, { italics: true })]),
  ];
  return twoColumns(left, right, HEADER_LEFT_WIDTH, HEADER_RIGHT_WIDTH);
}

/** A body paragraph: justified, first-line indent, 6 pt before. */
export function bodyParagraph(
  parts: Array<string | Line>,
  options: { indent?: boolean; align?: 'justify' | 'center' | 'left' } = {},
): Paragraph {
  const align = options.align ?? 'justify';
  return new Paragraph({
    alignment:
      align === 'center'
        ? AlignmentType.CENTER
        : align === 'left'
          ? AlignmentType.LEFT
          : AlignmentType.JUSTIFIED,
    indent: { firstLine: (options.indent ?? align === 'justify') ? FIRST_LINE_INDENT : 0 },
    spacing: { before: 120, after: 0, line: 276 },
    children: parts.map((p) => {
      const l = typeof p === 'string' ? line(p) : p;
      return new TextRun({
        text: l.text,
        size: l.size ?? SIZE.body,
        ...(l.bold ? { bold: true } : {}),
        ...(l.italics ? { italics: true } : {}),
      });
    }),
  });
}

/** The document type and subject, centred and bold ("BÁO CÁO" / "Kết quả tổ chức …"). */
export function titleParagraphs(lines: string[]): Paragraph[] {
  return lines.map(
    (text, i) =>
      new Paragraph({
        alignment: AlignmentType.CENTER,
        spacing: { before: i === 0 ? 360 : 0, after: i === lines.length - 1 ? 240 : 0 },
        children: [new TextRun({ text, size: SIZE.body, bold: true })],
      }),
  );
}

/** "Nơi nhận:" (12 pt bold italic) and its list (11 pt), in the left column beside the signature. */
export function recipientsColumn(recipients: string[]): Paragraph[] {
  return [
    new Paragraph({
      spacing: { before: 240, after: 0 },
      children: [new TextRun({ text: 'Nơi nhận:', size: SIZE.note, bold: true, italics: true })],
    }),
    ...recipients.map(
      (r) =>
        new Paragraph({
          spacing: { before: 0, after: 0 },
          children: [new TextRun({ text: r, size: SIZE.small })],
        }),
    ),
  ];
}

export interface Signer {
  /** "TM. ỦY BAN NHÂN DÂN" and the like; none when the signer signs in their own name. */
  on?: string;
  /** "CHỦ TỊCH"; "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH" …: capitals, bold, a line each. */
  titles: string[];
  name: string;
}

/** The signature column: on whose behalf, the title, room to sign, the name. */
export function signatureColumn(signer: Signer): Paragraph[] {
  return [
    ...centred([
      ...(signer.on ? [line(signer.on, { bold: true })] : []),
      ...signer.titles.map((t) => line(upper(t), { bold: true })),
    ]),
    ...signatureGap(),
    ...centred([line(signer.name, { bold: true })]),
  ];
}

/** "Nơi nhận" on the left, the signature on the right: the way a công văn or a report ends. */
export function closingBlock(recipients: string[], signer: Signer): Table {
  const half = Math.round(TEXT_WIDTH / 2);
  return twoColumns(recipientsColumn(recipients), signatureColumn(signer), half, TEXT_WIDTH - half);
}

/**
 * A table of data with thin borders (the figures and lists of a report): the first row is the header, bold and
 * repeated on each page; `widths` in twips share TEXT_WIDTH; numbers are right-aligned. A cell holding several
 * lines (the text of an opinion and its answer) is given as a list of lines.
 */
export function gridTable(rows: Array<Array<string | number | string[]>>, widths: number[]): Table {
  const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
  const borders = { top: border, bottom: border, left: border, right: border };
  return new Table({
    width: { size: widths.reduce((a, b) => a + b, 0), type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    rows: rows.map(
      (cells, r) =>
        new TableRow({
          tableHeader: r === 0,
          cantSplit: true,
          children: cells.map(
            (cell, c) =>
              new TableCell({
                width: { size: widths[c] ?? 0, type: WidthType.DXA },
                borders,
                children: (Array.isArray(cell) ? cell : [cell]).map(
                  (text) =>
                    new Paragraph({
                      alignment:
                        r === 0
                          ? AlignmentType.CENTER
                          : typeof text === 'number'
                            ? AlignmentType.RIGHT
                            : AlignmentType.LEFT,
                      spacing: { before: 20, after: 20 },
                      children: [new TextRun({ text: String(text), size: SIZE.note, bold: r === 0 })],
                    }),
                ),
              }),
          ),
        }),
    ),
  });
}
