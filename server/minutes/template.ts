/**
 * The Decree 30/2020 template 1.9 "Biên bản" skeleton, filled from the session, as StarterKit nodes (see schema.ts for
 * the `block` roles that let the export lay the header and signatures out in two columns).
 */
import * as Y from 'yjs';
import { closingLine, OPENING_LABEL, openingValue } from './fill.ts';
import { placeAndDate } from '../../shared/i18n/dates.ts';
import { docNumberLine, upper, wardLine } from './format.ts';
import type { Block, Inline, Marks } from './model.ts';
import {
  ALIGN_ATTR,
  BLOCK_ATTR,
  META_TEMPLATED,
  MINUTES_FRAGMENT,
  MINUTES_META,
} from '../../shared/minutes/schema.ts';
import type { BlockRole } from '../../shared/minutes/schema.ts';
import type { MinutesContext } from './types.ts';

const B: Marks = { bold: true };
const I: Marks = { italic: true };
const BI: Marks = { bold: true, italic: true };

function run(text: string, marks: Marks = {}): Inline {
  return { kind: 'text', text, marks };
}

function centred(role: BlockRole, ...inlines: Inline[]): Block {
  return { kind: 'paragraph', role, align: 'center', inlines };
}

function body(...inlines: Inline[]): Block {
  return { kind: 'paragraph', role: null, align: null, inlines };
}

function labelled(label: string, value: string): Block {
  return body(run(`${label}: `, B), run(value.trim() || '…'));
}

export function headerBlocks(ctx: MinutesContext): Block[] {
  const parent = ctx.parentBody?.trim();
  return [
    ...(parent ? [centred('header-left', run(upper(parent)))] : []),
    centred('header-left', run('ỦY BAN NHÂN DÂN', B)),
    centred('header-left', run(wardLine(ctx.wardName), B)),
    centred('header-left', run(docNumberLine(ctx.docNumber))),
    centred('header-right', run('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', B)),
    centred('header-right', run('Độc lập - Tự do - Hạnh phúc', B)),
    centred('header-right', run(placeAndDate(ctx.place, ctx.date), I)),
  ];
}

export function signatureBlocks(ctx: MinutesContext): Block[] {
  return [
    centred('signature-left', run('THƯ KÝ', B)),
    centred('signature-left', run(ctx.secretaryName.trim(), B)),
    centred('signature-right', run('CHỦ TỌA', B)),
    centred('signature-right', run(ctx.chairName.trim(), B)),
  ];
}

export function templateBlocks(ctx: MinutesContext): Block[] {
  const agenda = ctx.agenda.map((item) => item.trim()).filter((item) => item !== '');
  return [
    ...headerBlocks(ctx),
    { kind: 'heading', level: 1, role: 'title', align: 'center', inlines: [run('BIÊN BẢN')] },
    { kind: 'heading', level: 2, role: 'subject', align: 'center', inlines: [run(ctx.sessionTitle.trim())] },
    labelled(OPENING_LABEL, openingValue(ctx)),
    labelled('Địa điểm', ctx.venue),
    labelled('Thành phần tham dự', ctx.attendees),
    labelled('Chủ trì (chủ tọa)', ctx.chairName),
    labelled('Thư ký (người ghi biên bản)', ctx.secretaryName),
    body(run('Nội dung (theo diễn biến cuộc họp/hội nghị):', B)),
    // A heading per programme item with an empty paragraph under it for the secretary to write in.
    ...agenda.flatMap((item, i): Block[] => [
      { kind: 'heading', level: 3, role: null, align: null, inlines: [run(`${i + 1}. ${item}`)] },
      body(),
    ]),
    ...(agenda.length === 0 ? [body()] : []),
    body(run(closingLine(ctx))),
    ...signatureBlocks(ctx),
    { kind: 'paragraph', role: 'recipients', align: 'left', inlines: [run('Nơi nhận:', BI)] },
    { kind: 'paragraph', role: 'recipients', align: 'left', inlines: [run('- Lưu: VT, hồ sơ.')] },
  ];
}

/**
 * The skeleton as one Yjs update, built in a scratch doc. Applying an update (rather than editing the room's doc in
 * place) lets the caller store it before any client can see it.
 */
export function buildTemplateUpdate(ctx: MinutesContext): Uint8Array {
  const doc = new Y.Doc();
  try {
    doc.transact(() => {
      writeBlocks(doc.getXmlFragment(MINUTES_FRAGMENT), templateBlocks(ctx));
      doc.getMap(MINUTES_META).set(META_TEMPLATED, true);
    });
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}

/** Appends blocks as StarterKit nodes. The parent must be part of a doc, so each element is integrated on insert. */
export function writeBlocks(parent: Y.XmlFragment | Y.XmlElement, blocks: Block[]): void {
  for (const block of blocks) {
    const el = createElement(block);
    // Yjs types children as string-attributed elements; numbers are valid attribute values (Yjs' ValueTypes).
    parent.insert(parent.length, [el as Y.XmlElement]);
    fillElement(el, block);
  }
}

/** Node attributes are strings except numeric ones like a heading's `level`, which ProseMirror compares strictly. */
type Attrs = { [key: string]: string | number };

function createElement(block: Block): Y.XmlElement<Attrs> {
  switch (block.kind) {
    case 'paragraph':
      return new Y.XmlElement<Attrs>('paragraph');
    case 'heading':
      return new Y.XmlElement<Attrs>('heading');
    case 'list':
      return new Y.XmlElement<Attrs>(block.ordered ? 'orderedList' : 'bulletList');
    case 'blockquote':
      return new Y.XmlElement<Attrs>('blockquote');
    case 'code':
      return new Y.XmlElement<Attrs>('codeBlock');
    case 'rule':
      return new Y.XmlElement<Attrs>('horizontalRule');
  }
}

/** Fills an element once it is integrated: Y.XmlText formatting is simplest and exact on integrated types. */
function fillElement(el: Y.XmlElement<Attrs>, block: Block): void {
  switch (block.kind) {
    case 'heading':
      el.setAttribute('level', block.level);
      fillText(el, block);
      return;
    case 'paragraph':
      fillText(el, block);
      return;
    case 'list':
      if (block.ordered && block.start !== 1) el.setAttribute('start', block.start);
      for (const item of block.items) {
        const li = new Y.XmlElement('listItem');
        el.insert(el.length, [li]);
        writeBlocks(li, item);
      }
      return;
    case 'blockquote':
      writeBlocks(el, block.children);
      return;
    case 'code': {
      const text = new Y.XmlText();
      el.insert(0, [text]);
      text.insert(0, block.text, {});
      return;
    }
    case 'rule':
      return;
  }
}

const MARK_KEYS = ['bold', 'italic', 'underline', 'strike', 'code'] as const;

function fillText(el: Y.XmlElement<Attrs>, block: Extract<Block, { inlines: Inline[] }>): void {
  if (block.align) el.setAttribute(ALIGN_ATTR, block.align);
  if (block.role) el.setAttribute(BLOCK_ATTR, block.role);
  let text: Y.XmlText | null = null;
  for (const inline of block.inlines) {
    if (inline.kind === 'break') {
      el.insert(el.length, [new Y.XmlElement('hardBreak')]);
      text = null;
      continue;
    }
    if (text === null) {
      text = new Y.XmlText();
      el.insert(el.length, [text]);
    }
    // Every mark key is given (null = off): an insert without attributes would inherit the previous run's marks.
    const attributes: Record<string, object | null> = {};
    for (const key of MARK_KEYS) attributes[key] = inline.marks[key] ? {} : null;
    text.insert(text.length, inline.text, attributes);
  }
}
