/**
 * A plain, typed view of the minutes document (the Tiptap/StarterKit tree inside the Y.Doc), read by the template
 * writer, the DOCX and HTML exports. Reading is defensive: the document is written by clients, so unknown nodes are
 * kept as their text and nesting is cut off at MAX_DEPTH instead of recursing without bound.
 */
import * as Y from 'yjs';
import { ALIGN_ATTR, BLOCK_ATTR, MINUTES_FRAGMENT, isAlignment, isBlockRole } from './schema.ts';
import type { Alignment, BlockRole } from './schema.ts';

export interface Marks {
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  strike?: boolean;
  code?: boolean;
}

export type Inline = { kind: 'text'; text: string; marks: Marks } | { kind: 'break' };

interface TextBlockBase {
  role: BlockRole | null;
  align: Alignment | null;
  inlines: Inline[];
}

export type Block =
  | ({ kind: 'paragraph' } & TextBlockBase)
  | ({ kind: 'heading'; level: number } & TextBlockBase)
  | { kind: 'list'; ordered: boolean; start: number; items: Block[][] }
  | { kind: 'blockquote'; children: Block[] }
  | { kind: 'code'; text: string }
  | { kind: 'rule' };

export type TextBlock = Extract<Block, { inlines: Inline[] }>;

const MAX_DEPTH = 32;
const MARK_NAMES = ['bold', 'italic', 'underline', 'strike', 'code'] as const;

export function readMinutes(doc: Y.Doc): Block[] {
  return readBlocks(doc.getXmlFragment(MINUTES_FRAGMENT).toArray(), 0);
}

export function textOf(block: Block): string {
  switch (block.kind) {
    case 'paragraph':
    case 'heading':
      return block.inlines.map((inline) => (inline.kind === 'text' ? inline.text : '\n')).join('');
    case 'code':
      return block.text;
    case 'list':
      return block.items.map((item) => item.map(textOf).join('\n')).join('\n');
    case 'blockquote':
      return block.children.map(textOf).join('\n');
    case 'rule':
      return '';
  }
}

function readBlocks(children: Array<Y.XmlElement | Y.XmlText | Y.XmlHook>, depth: number): Block[] {
  const blocks: Block[] = [];
  // Stray inline content at block level (a bare text) becomes a paragraph of its own.
  let loose: Inline[] = [];
  const flushLoose = (): void => {
    if (loose.length > 0) blocks.push({ kind: 'paragraph', role: null, align: null, inlines: loose });
    loose = [];
  };
  for (const child of children) {
    if (child instanceof Y.XmlText) {
      loose.push(...readText(child));
    } else if (child instanceof Y.XmlElement) {
      if (child.nodeName === 'hardBreak') {
        loose.push({ kind: 'break' });
        continue;
      }
      flushLoose();
      blocks.push(...readElement(child, depth));
    }
  }
  flushLoose();
  return blocks;
}

function readElement(el: Y.XmlElement, depth: number): Block[] {
  if (depth >= MAX_DEPTH) return [textBlock(el, [{ kind: 'text', text: inlineText(el), marks: {} }])];
  switch (el.nodeName) {
    case 'paragraph':
      return [textBlock(el, readInlines(el))];
    case 'heading':
      return [{ ...textBlock(el, readInlines(el)), kind: 'heading', level: headingLevel(el) }];
    case 'bulletList':
    case 'orderedList': {
      const items = el
        .toArray()
        .filter((item): item is Y.XmlElement => item instanceof Y.XmlElement)
        .map((item) => readBlocks(item.toArray(), depth + 1));
      const start = el.getAttribute('start');
      return [
        {
          kind: 'list',
          ordered: el.nodeName === 'orderedList',
          start: typeof start === 'number' && Number.isSafeInteger(start) ? start : 1,
          items,
        },
      ];
    }
    case 'blockquote':
      return [{ kind: 'blockquote', children: readBlocks(el.toArray(), depth + 1) }];
    case 'codeBlock':
      return [{ kind: 'code', text: inlineText(el) }];
    case 'horizontalRule':
      return [{ kind: 'rule' }];
    default: {
      // An unknown container keeps its children; an unknown leaf keeps its text.
      const hasElements = el.toArray().some((c) => c instanceof Y.XmlElement);
      return hasElements ? readBlocks(el.toArray(), depth + 1) : [textBlock(el, readInlines(el))];
    }
  }
}

function textBlock(el: Y.XmlElement, inlines: Inline[]): Extract<Block, { kind: 'paragraph' }> {
  const role = el.getAttribute(BLOCK_ATTR);
  const align = el.getAttribute(ALIGN_ATTR);
  return {
    kind: 'paragraph',
    role: isBlockRole(role) ? role : null,
    align: isAlignment(align) ? align : null,
    inlines,
  };
}

function headingLevel(el: Y.XmlElement): number {
  const level = Number(el.getAttribute('level'));
  return Number.isInteger(level) && level >= 1 && level <= 6 ? level : 1;
}

function readInlines(el: Y.XmlElement): Inline[] {
  const inlines: Inline[] = [];
  for (const child of el.toArray()) {
    if (child instanceof Y.XmlText) inlines.push(...readText(child));
    else if (child instanceof Y.XmlElement && child.nodeName === 'hardBreak') inlines.push({ kind: 'break' });
    else if (child instanceof Y.XmlElement)
      inlines.push({ kind: 'text', text: inlineText(child), marks: {} });
  }
  return inlines;
}

function inlineText(el: Y.XmlElement): string {
  let text = '';
  for (const child of el.toArray()) {
    if (child instanceof Y.XmlText) text += plainText(child);
    else if (child instanceof Y.XmlElement) text += child.nodeName === 'hardBreak' ? '\n' : inlineText(child);
  }
  return text;
}

interface DeltaOp {
  insert?: unknown;
  attributes?: Record<string, unknown>;
}

function readText(text: Y.XmlText): Inline[] {
  const inlines: Inline[] = [];
  for (const op of text.toDelta() as DeltaOp[]) {
    if (typeof op.insert !== 'string' || op.insert === '') continue;
    inlines.push({ kind: 'text', text: op.insert, marks: readMarks(op.attributes) });
  }
  return inlines;
}

function plainText(text: Y.XmlText): string {
  return readText(text)
    .map((inline) => (inline.kind === 'text' ? inline.text : ''))
    .join('');
}

function readMarks(attributes: Record<string, unknown> | undefined): Marks {
  const marks: Marks = {};
  if (!attributes) return marks;
  for (const key of Object.keys(attributes)) {
    if (attributes[key] === null || attributes[key] === undefined) continue;
    // y-prosemirror names overlapping marks "<mark>--<hash>".
    const name = key.split('--')[0];
    for (const mark of MARK_NAMES) if (name === mark) marks[mark] = true;
  }
  return marks;
}
