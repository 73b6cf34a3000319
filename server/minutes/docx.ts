/**
 * DOCX export in the Decree 30/2020 layout (Phụ lục I): A4, margins 20/20/30/15 mm, Times New Roman, the two-column
 * header and signature block as borderless tables, body justified with a 1.27 cm first-line indent, page numbers
 * centred at the top from page 2 on. Sizes follow the 13 + 14 pt pair.
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
import type * as Y from 'yjs';
import { exportLayout } from './layout.ts';
import type { Block, Inline, TextBlock } from './model.ts';
import type { Alignment } from './schema.ts';
import type { MinutesContext } from './types.ts';

export const MINUTES_DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** Twips (1/1440 inch; 1 mm ≈ 56.7). */
export const PAGE = { width: 11906, height: 16838, top: 1134, bottom: 1134, left: 1701, right: 851 } as const;
const TEXT_WIDTH = PAGE.width - PAGE.left - PAGE.right;
const HEADER_LEFT_WIDTH = Math.round(TEXT_WIDTH * 0.4);
const HEADER_RIGHT_WIDTH = TEXT_WIDTH - HEADER_LEFT_WIDTH;
const FIRST_LINE_INDENT = 720; // 1.27 cm
const FONT = 'Times New Roman';
/** Half-points. */
const SIZE = { small: 22, note: 24, header: 26, body: 28 } as const;

interface RunStyle {
  size: number;
  bold?: boolean;
  italics?: boolean;
  font?: string;
}

function runs(inlines: Inline[], style: RunStyle): TextRun[] {
  return inlines.map((inline) => {
    if (inline.kind === 'break') return new TextRun({ break: 1, size: style.size });
    const { marks } = inline;
    // Only what is on is written: Word's defaults are off, and the XML stays readable.
    return new TextRun({
      text: inline.text,
      size: style.size,
      ...(style.bold || marks.bold ? { bold: true } : {}),
      ...(style.italics || marks.italic ? { italics: true } : {}),
      ...(marks.strike ? { strike: true } : {}),
      ...(marks.underline ? { underline: {} } : {}),
      ...(marks.code || style.font ? { font: style.font ?? 'Courier New' } : {}),
    });
  });
}

function alignmentOf(
  align: Alignment | null,
  fallback: Alignment,
): (typeof AlignmentType)[keyof typeof AlignmentType] {
  switch (align ?? fallback) {
    case 'left':
      return AlignmentType.LEFT;
    case 'center':
      return AlignmentType.CENTER;
    case 'right':
      return AlignmentType.RIGHT;
    case 'justify':
      return AlignmentType.JUSTIFIED;
  }
}

function isBold(block: Block): boolean {
  if (block.kind !== 'paragraph' && block.kind !== 'heading') return false;
  const texts = block.inlines.filter((inline) => inline.kind === 'text' && inline.text.trim() !== '');
  return texts.length > 0 && texts.every((inline) => inline.kind === 'text' && inline.marks.bold === true);
}

/** A short centred rule: an empty, one-point-high paragraph whose top border is narrowed by indents. */
function rule(cellWidth: number, ruleWidth: number): Paragraph {
  const side = Math.max(0, Math.round((cellWidth - ruleWidth) / 2));
  return new Paragraph({
    indent: { left: side, right: side },
    spacing: { before: 0, after: 0, line: 20, lineRule: LineRuleType.EXACT },
    border: { top: { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 1 } },
    children: [],
  });
}

/** Paragraphs of one column of the header or the signature block; `sizeOf` gives each line's size. */
function columnParagraphs(blocks: Block[], sizeOf: (index: number) => number): Paragraph[] {
  return blocks.flatMap((block, index) => {
    if (block.kind !== 'paragraph' && block.kind !== 'heading') return bodyParagraphs([block], 0);
    return [
      new Paragraph({
        alignment: alignmentOf(block.align, 'center'),
        spacing: { before: 0, after: 0 },
        children: runs(block.inlines, { size: sizeOf(index), bold: block.kind === 'heading' }),
      }),
    ];
  });
}

/** Header column: the rule goes under the last bold line (issuing body on the left, the motto on the right). */
function headerColumn(
  blocks: Block[],
  width: number,
  ruleWidth: number,
  sizeOf: (i: number) => number,
): Paragraph[] {
  const paragraphs = columnParagraphs(blocks, sizeOf);
  let lastBold = -1;
  blocks.forEach((block, i) => {
    if (isBold(block)) lastBold = i;
  });
  if (lastBold >= 0 && blocks.every((b) => b.kind === 'paragraph' || b.kind === 'heading')) {
    paragraphs.splice(lastBold + 1, 0, rule(width, ruleWidth));
  }
  return paragraphs.length > 0 ? paragraphs : [new Paragraph({ children: [] })];
}

/** Signature column: the title, room to sign, then the name. */
function signatureColumn(blocks: Block[]): Paragraph[] {
  const paragraphs = columnParagraphs(blocks, () => SIZE.body);
  const gap = [0, 1, 2, 3].map(() => new Paragraph({ children: [] }));
  paragraphs.splice(Math.min(1, paragraphs.length), 0, ...gap);
  return paragraphs;
}

function twoColumns(left: Paragraph[], right: Paragraph[], leftWidth: number, rightWidth: number): Table {
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

function textParagraph(block: TextBlock, depth: number, prefix: string): Paragraph {
  const align = block.align ?? 'justify';
  const indented = align === 'justify' || align === 'left';
  const prefixRun: Inline[] = prefix ? [{ kind: 'text', text: prefix, marks: {} }] : [];
  return new Paragraph({
    alignment: alignmentOf(align, 'justify'),
    indent: { firstLine: indented ? FIRST_LINE_INDENT : 0, left: depth * 360 },
    spacing: { before: 120, after: 0, line: 276 },
    keepNext: block.kind === 'heading',
    children: runs([...prefixRun, ...block.inlines], { size: SIZE.body, bold: block.kind === 'heading' }),
  });
}

function bodyParagraphs(blocks: Block[], depth: number): Paragraph[] {
  return blocks.flatMap((block): Paragraph[] => {
    switch (block.kind) {
      case 'paragraph':
      case 'heading':
        return [textParagraph(block, depth, '')];
      case 'list':
        return block.items.flatMap((item, i) => {
          const marker = block.ordered ? `${block.start + i}. ` : '- ';
          return item.flatMap((child, j) =>
            (child.kind === 'paragraph' || child.kind === 'heading') && j === 0
              ? [textParagraph(child, depth, marker)]
              : bodyParagraphs([child], depth + 1),
          );
        });
      case 'blockquote':
        return bodyParagraphs(block.children, depth + 1);
      case 'code':
        return block.text.split('\n').map(
          (line) =>
            new Paragraph({
              indent: { left: depth * 360 },
              spacing: { before: 0, after: 0 },
              children: [new TextRun({ text: line, size: SIZE.note, font: 'Courier New' })],
            }),
        );
      case 'rule':
        return [
          new Paragraph({
            border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 1 } },
            children: [],
          }),
        ];
    }
  });
}

function titleParagraphs(blocks: Block[]): Paragraph[] {
  return blocks.map(
    (block, i) =>
      new Paragraph({
        alignment: AlignmentType.CENTER,
        spacing: { before: i === 0 ? 360 : 0, after: i === blocks.length - 1 ? 240 : 0 },
        children:
          block.kind === 'paragraph' || block.kind === 'heading'
            ? runs(block.inlines, { size: SIZE.body, bold: true })
            : [],
      }),
  );
}

function recipientParagraphs(blocks: Block[]): Paragraph[] {
  return blocks.map(
    (block, i) =>
      new Paragraph({
        alignment: AlignmentType.LEFT,
        spacing: { before: i === 0 ? 240 : 0, after: 0 },
        children:
          block.kind === 'paragraph' || block.kind === 'heading'
            ? // "Nơi nhận:" 12 pt bold italic, the list 11 pt.
              runs(
                block.inlines,
                i === 0 ? { size: SIZE.note, bold: true, italics: true } : { size: SIZE.small },
              )
            : [],
      }),
  );
}

export async function buildMinutesDocx(doc: Y.Doc, ctx: MinutesContext): Promise<Buffer> {
  const layout = exportLayout(doc, ctx);
  const children = [
    twoColumns(
      headerColumn(layout.headerLeft, HEADER_LEFT_WIDTH, 1100, () => SIZE.header),
      headerColumn(layout.headerRight, HEADER_RIGHT_WIDTH, 3400, (i) => (i === 0 ? SIZE.header : SIZE.body)),
      HEADER_LEFT_WIDTH,
      HEADER_RIGHT_WIDTH,
    ),
    ...titleParagraphs(layout.title),
    ...bodyParagraphs(layout.body, 0),
    new Paragraph({ children: [] }),
    twoColumns(
      signatureColumn(layout.signatureLeft),
      signatureColumn(layout.signatureRight),
      TEXT_WIDTH / 2,
      TEXT_WIDTH / 2,
    ),
    ...recipientParagraphs(layout.recipients),
  ];
  const document = new Document({
    title: `Biên bản - ${ctx.sessionTitle}`,
    creator: ctx.secretaryName,
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
        children,
      },
    ],
  });
  return Packer.toBuffer(document);
}
