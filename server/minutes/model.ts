/**
 * A plain, typed view of the minutes document (the Tiptap/StarterKit tree inside the Y.Doc), read by the template
 * writer, the DOCX and HTML exports. Reading is defensive: the document is written by clients, so unknown nodes are
 * kept as their text, blocks nested deeper than MAX_DEPTH become their text, and nothing here recurses: the walks keep
 * their own stacks, so a document stored with 20,000 nested elements (before the server refused such updates) still
 * exports.
 */
import * as Y from 'yjs';
import {
  ALIGN_ATTR,
  BLOCK_ATTR,
  MINUTES_FRAGMENT,
  isAlignment,
  isBlockRole,
} from '../../shared/minutes/schema.ts';
import type { Alignment, BlockRole } from '../../shared/minutes/schema.ts';

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

/**
 * A line typed with its own dash ("- Lưu: VT, hồ sơ." under "Nơi nhận:"): the exports give it no second marker when
 * the editor has turned it into a bulleted list item.
 */
export function startsWithDash(block: Block | undefined): boolean {
  if (block?.kind !== 'paragraph' && block?.kind !== 'heading') return false;
  const first = block.inlines.find((inline) => inline.kind === 'text' && inline.text !== '');
  return first?.kind === 'text' && /^\s*[-–—+•]/u.test(first.text);
}

const MAX_DEPTH = 32;
const MARK_NAMES = ['bold', 'italic', 'underline', 'strike', 'code'] as const;

export function readMinutes(doc: Y.Doc): Block[] {
  const root: Block[] = [];
  const frames: Frame[] = [frameOf(root, doc.getXmlFragment(MINUTES_FRAGMENT).toArray(), 0)];
  for (let frame = frames.pop(); frame; frame = frames.pop()) readFrame(frame, frames);
  return root;
}

/** The plain text of a block; a list's or a quote's blocks one per line. */
export function textOf(block: Block): string {
  const lines: string[] = [];
  const stack: Block[] = [block];
  for (let next = stack.pop(); next; next = stack.pop()) {
    switch (next.kind) {
      case 'paragraph':
      case 'heading':
        lines.push(next.inlines.map((inline) => (inline.kind === 'text' ? inline.text : '\n')).join(''));
        break;
      case 'code':
        lines.push(next.text);
        break;
      case 'rule':
        lines.push('');
        break;
      case 'list':
      case 'blockquote': {
        // An empty list, item or quote still takes its line.
        const children =
          next.kind === 'blockquote'
            ? next.children
            : next.items.flatMap((item): Block[] => (item.length > 0 ? item : [EMPTY_LINE]));
        if (children.length === 0) lines.push('');
        pushReversed(stack, children);
      }
    }
  }
  return lines.join('\n');
}

const EMPTY_LINE: Block = { kind: 'rule' };

type XmlNode = Y.XmlElement | Y.XmlText | Y.XmlHook;
/** A node to read at a depth, or the end of an unknown container (its loose text ends there). */
type Task = { node: XmlNode; depth: number } | 'flush';
/** One sequence of children read into `out`. Lists and quotes fill arrays of their own, read as frames later. */
interface Frame {
  out: Block[];
  /** A stack: the next node last. */
  tasks: Task[];
}

function frameOf(out: Block[], children: XmlNode[], depth: number): Frame {
  const tasks: Task[] = [];
  pushReversed(
    tasks,
    children.map((node) => ({ node, depth })),
  );
  return { out, tasks };
}

/** Reads a frame's children in order; containers of their own become new frames (no recursion, at any depth). */
function readFrame(frame: Frame, frames: Frame[]): void {
  // Stray inline content at block level (a bare text) becomes a paragraph of its own.
  let loose: Inline[] = [];
  const flushLoose = (): void => {
    if (loose.length > 0) frame.out.push({ kind: 'paragraph', role: null, align: null, inlines: loose });
    loose = [];
  };
  for (let task = frame.tasks.pop(); task; task = frame.tasks.pop()) {
    if (task === 'flush') {
      flushLoose();
      continue;
    }
    const { node, depth } = task;
    if (node instanceof Y.XmlText) {
      for (const inline of readText(node)) loose.push(inline);
    } else if (node instanceof Y.XmlElement) {
      if (node.nodeName === 'hardBreak') {
        loose.push({ kind: 'break' });
        continue;
      }
      flushLoose();
      readElement(node, depth, frame, frames);
    }
  }
  flushLoose();
}

function readElement(el: Y.XmlElement, depth: number, frame: Frame, frames: Frame[]): void {
  const out = frame.out;
  if (depth >= MAX_DEPTH) {
    out.push(textBlock(el, [{ kind: 'text', text: inlineText(el), marks: {} }]));
    return;
  }
  switch (el.nodeName) {
    case 'paragraph':
      out.push(textBlock(el, readInlines(el)));
      return;
    case 'heading':
      out.push({ ...textBlock(el, readInlines(el)), kind: 'heading', level: headingLevel(el) });
      return;
    case 'bulletList':
    case 'orderedList': {
      const start = el.getAttribute('start');
      const list: Extract<Block, { kind: 'list' }> = {
        kind: 'list',
        ordered: el.nodeName === 'orderedList',
        start: typeof start === 'number' && Number.isSafeInteger(start) ? start : 1,
        items: [],
      };
      out.push(list);
      for (const item of el.toArray()) {
        if (!(item instanceof Y.XmlElement)) continue;
        const blocks: Block[] = [];
        list.items.push(blocks);
        frames.push(frameOf(blocks, item.toArray(), depth + 1));
      }
      return;
    }
    case 'blockquote': {
      const children: Block[] = [];
      out.push({ kind: 'blockquote', children });
      frames.push(frameOf(children, el.toArray(), depth + 1));
      return;
    }
    case 'codeBlock':
      out.push({ kind: 'code', text: inlineText(el) });
      return;
    case 'horizontalRule':
      out.push({ kind: 'rule' });
      return;
    default: {
      // An unknown container keeps its children, in its place; an unknown leaf keeps its text.
      const children = el.toArray();
      if (!children.some((c) => c instanceof Y.XmlElement)) {
        out.push(textBlock(el, readInlines(el)));
        return;
      }
      frame.tasks.push('flush');
      pushReversed(
        frame.tasks,
        children.map((node) => ({ node, depth: depth + 1 })),
      );
    }
  }
}

/** Pushes `items` so that popping `stack` yields them in their order. */
function pushReversed<T>(stack: T[], items: readonly T[]): void {
  for (let i = items.length - 1; i >= 0; i--) stack.push(items[i] as T);
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

/** All the text inside an element, at any depth (no recursion: a hostile document may nest 20,000 levels). */
function inlineText(el: Y.XmlElement): string {
  let text = '';
  const stack: XmlNode[] = [];
  pushReversed(stack, el.toArray());
  for (let child = stack.pop(); child; child = stack.pop()) {
    if (child instanceof Y.XmlText) text += plainText(child);
    else if (child instanceof Y.XmlElement) {
      if (child.nodeName === 'hardBreak') text += '\n';
      else pushReversed(stack, child.toArray());
    }
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
