/**
 * DOCX export in the Decree 30/2020 layout (Phụ lục I): A4, margins 20/20/30/15 mm, Times New Roman, the two-column
 * header and signature block as borderless tables, body justified with a 1.27 cm first-line indent, page numbers
 * centred at the top from page 2 on. Sizes follow the 13 + 14 pt pair. What every Decree 30 document shares (page,
 * fonts, rules, the two columns, the document shell) lives in server/documents/decree30.ts; this file lays out the
 * minutes' own regions from the editor's blocks.
 */
import { AlignmentType, BorderStyle, Paragraph, TextRun } from 'docx';
import type * as Y from 'yjs';
import { exportLayout } from './layout.ts';
import { startsWithDash } from './model.ts';
import type { Block, Inline, TextBlock } from './model.ts';
import type { Alignment } from '../../shared/minutes/schema.ts';
import type { MinutesContext } from './types.ts';
import {
  DOCX_MIME,
  FIRST_LINE_INDENT,
  HEADER_LEFT_WIDTH,
  HEADER_RIGHT_WIDTH,
  RULE,
  SIZE,
  TEXT_WIDTH,
  decree30Document,
  rule,
  signatureGap,
  toBuffer,
  twoColumns,
} from '../documents/decree30.ts';

export const MINUTES_DOCX_MIME = DOCX_MIME;

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
  paragraphs.splice(Math.min(1, paragraphs.length), 0, ...signatureGap());
  return paragraphs;
}

/**
 * One printed line of the document: a text block with its depth and list marker, a line of code, or a rule. Every
 * region (body, header and signature columns, title, "Nơi nhận") is laid out from these, so whatever the editor can
 * make — lists at any depth, quotes, code, rules — reaches the file in every region.
 */
export type Line =
  | { kind: 'text'; block: TextBlock; depth: number; prefix: string }
  | { kind: 'code'; text: string; depth: number }
  | { kind: 'rule'; depth: number };

/** The blocks as lines, lists and quotes indented by depth (an explicit stack: no recursion at any depth). */
export function linesOf(blocks: Block[], depth = 0): Line[] {
  const lines: Line[] = [];
  interface Task {
    block: Block;
    depth: number;
    /** A list marker ("1. ", "- ") in front of the first paragraph of an item. */
    prefix: string;
  }
  const stack: Task[] = [];
  const pushAll = (tasks: Task[]): void => {
    for (let i = tasks.length - 1; i >= 0; i--) stack.push(tasks[i] as Task);
  };
  pushAll(blocks.map((block) => ({ block, depth, prefix: '' })));
  for (let task = stack.pop(); task; task = stack.pop()) {
    const { block, depth: level, prefix } = task;
    switch (block.kind) {
      case 'paragraph':
      case 'heading':
        lines.push({ kind: 'text', block, depth: level, prefix });
        break;
      case 'list':
        pushAll(
          block.items.flatMap((item, i) =>
            item.map((child, j) => {
              if ((child.kind !== 'paragraph' && child.kind !== 'heading') || j !== 0)
                return { block: child, depth: level + 1, prefix: '' };
              const dashed = !block.ordered && startsWithDash(child);
              const marker = block.ordered ? `${block.start + i}. ` : dashed ? '' : '- ';
              return { block: child, depth: level, prefix: marker };
            }),
          ),
        );
        break;
      case 'blockquote':
        pushAll(block.children.map((child) => ({ block: child, depth: level + 1, prefix: '' })));
        break;
      case 'code':
        for (const text of block.text.split('\n')) lines.push({ kind: 'code', text, depth: level });
        break;
      case 'rule':
        lines.push({ kind: 'rule', depth: level });
    }
  }
  return lines;
}

interface LineStyle {
  run: RunStyle;
  align: Alignment;
  /** First-line indent of justified and left-aligned text. */
  firstLine: number;
  before: number;
  after: number;
  line?: number;
}

function lineParagraph(line: Line, style: LineStyle): Paragraph {
  const left = line.depth * 360;
  switch (line.kind) {
    case 'code':
      return new Paragraph({
        indent: { left },
        spacing: { before: 0, after: 0 },
        children: [
          new TextRun({ text: line.text, size: Math.min(style.run.size, SIZE.note), font: 'Courier New' }),
        ],
      });
    case 'rule':
      return new Paragraph({
        indent: { left },
        spacing: { before: style.before, after: style.after },
        border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 1 } },
        children: [],
      });
    case 'text': {
      const { block, prefix } = line;
      const align = block.align ?? style.align;
      const indented = align === 'justify' || align === 'left';
      const prefixRun: Inline[] = prefix ? [{ kind: 'text', text: prefix, marks: {} }] : [];
      return new Paragraph({
        alignment: alignmentOf(align, style.align),
        indent: { firstLine: indented ? style.firstLine : 0, left },
        spacing: { before: style.before, after: style.after, ...(style.line ? { line: style.line } : {}) },
        keepNext: block.kind === 'heading',
        children: runs([...prefixRun, ...block.inlines], {
          ...style.run,
          bold: style.run.bold || block.kind === 'heading',
        }),
      });
    }
  }
}

const BODY_STYLE: LineStyle = {
  run: { size: SIZE.body },
  align: 'justify',
  firstLine: FIRST_LINE_INDENT,
  before: 120,
  after: 0,
  line: 276,
};

function bodyParagraphs(blocks: Block[], depth: number): Paragraph[] {
  return linesOf(blocks, depth).map((line) => lineParagraph(line, BODY_STYLE));
}

function titleParagraphs(blocks: Block[]): Paragraph[] {
  const lines = linesOf(blocks);
  return lines.map((line, i) =>
    lineParagraph(line, {
      run: { size: SIZE.body, bold: true },
      align: 'center',
      firstLine: 0,
      before: i === 0 ? 360 : 0,
      after: i === lines.length - 1 ? 240 : 0,
    }),
  );
}

/** "Nơi nhận:" 12 pt bold italic, the list under it 11 pt, lines left-aligned. */
function recipientParagraphs(blocks: Block[]): Paragraph[] {
  return linesOf(blocks).map((line, i) =>
    lineParagraph(line, {
      run: i === 0 ? { size: SIZE.note, bold: true, italics: true } : { size: SIZE.small },
      align: 'left',
      firstLine: 0,
      before: i === 0 ? 240 : 0,
      after: 0,
    }),
  );
}

export async function buildMinutesDocx(doc: Y.Doc, ctx: MinutesContext): Promise<Buffer> {
  const layout = exportLayout(doc, ctx);
  const children = [
    twoColumns(
      headerColumn(layout.headerLeft, HEADER_LEFT_WIDTH, RULE.left, () => SIZE.header),
      headerColumn(layout.headerRight, HEADER_RIGHT_WIDTH, RULE.right, (i) =>
        i === 0 ? SIZE.header : SIZE.body,
      ),
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
  return toBuffer(
    decree30Document({ title: `Biên bản - ${ctx.sessionTitle}`, creator: ctx.secretaryName, children }),
  );
}
