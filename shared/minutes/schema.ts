/**
 * How the minutes live inside the Y.Doc. Shared by the server (template, export, hash) and the client editor, so no
 * Node imports here.
 *
 * The editor is Tiptap (StarterKit) bound by @tiptap/extension-collaboration to `doc.getXmlFragment(MINUTES_FRAGMENT)`:
 * each block is a Y.XmlElement named after the ProseMirror node, node attributes are element attributes, and marks are
 * formatting attributes on Y.XmlText (`{ bold: {} }`).
 *
 * Layout roles. The Decree 30 header and signature are two-column blocks, which StarterKit cannot express, so the
 * editor shows them as centred paragraphs and the export lays them out as borderless two-column tables. Each such
 * paragraph carries the attribute `block` (BLOCK_ATTR) naming its role. ProseMirror drops attributes its schema does
 * not declare, and y-prosemirror then deletes them from the Y element when that paragraph is edited; to keep them the
 * client should declare it as a global attribute, e.g.
 *   Extension.create({ name: 'minutesBlock', addGlobalAttributes: () => [{ types: ['paragraph', 'heading'],
 *     attributes: { block: { default: null, parseHTML: (el) => el.getAttribute('data-block'),
 *       renderHTML: (a) => (a.block ? { 'data-block': a.block } : {}) } } }] })
 * Without it the export still works: `layout.ts` falls back to recognising the blocks by their text and position
 * ("BIÊN BẢN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "THƯ KÝ", "CHỦ TỌA", "Nơi nhận:").
 */

export const MINUTES_FRAGMENT = 'default';
/** Y.Map with document metadata; `templated: true` once the skeleton was inserted. */
export const MINUTES_META = 'meta';
export const META_TEMPLATED = 'templated';

export const BLOCK_ATTR = 'block';
/** Alignment attribute as written by @tiptap/extension-text-align. */
export const ALIGN_ATTR = 'textAlign';

export const BLOCK_ROLES = [
  'header-left',
  'header-right',
  'title',
  'subject',
  'signature-left',
  'signature-right',
  'recipients',
] as const;
export type BlockRole = (typeof BLOCK_ROLES)[number];

export const ALIGNMENTS = ['left', 'center', 'right', 'justify'] as const;
export type Alignment = (typeof ALIGNMENTS)[number];

export function isBlockRole(value: unknown): value is BlockRole {
  return typeof value === 'string' && (BLOCK_ROLES as readonly string[]).includes(value);
}

export function isAlignment(value: unknown): value is Alignment {
  return typeof value === 'string' && (ALIGNMENTS as readonly string[]).includes(value);
}
