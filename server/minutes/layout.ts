/**
 * Splits the minutes into the Decree 30 regions the exports lay out differently. A block's `block` attribute names its
 * region; blocks without one (the attribute is lost when an editor without the global attribute edits the paragraph,
 * see schema.ts) are placed by text and position:
 *   - header: everything before the "BIÊN BẢN" title; the right column starts at "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
 *   - subject: the heading right after the title;
 *   - signatures: from the last "THƯ KÝ" paragraph; the right column starts at "CHỦ TỌA" (or "CHỦ TRÌ");
 *   - recipients: from "Nơi nhận:" after the signatures.
 * Matching ignores case and diacritics, and only whole paragraphs match, so "Thư ký (người ghi biên bản): …" in
 * the body is never taken for a signature.
 */
import { textKey } from './format.ts';
import type * as Y from 'yjs';
import { readMinutes, textOf } from './model.ts';
import type { Block } from './model.ts';
import type { BlockRole } from '../../shared/minutes/schema.ts';
import { headerBlocks, signatureBlocks } from './template.ts';
import type { MinutesContext } from './types.ts';

export interface MinutesLayout {
  headerLeft: Block[];
  headerRight: Block[];
  /** "BIÊN BẢN" and the meeting's name. */
  title: Block[];
  body: Block[];
  signatureLeft: Block[];
  signatureRight: Block[];
  recipients: Block[];
}

function roleOf(block: Block): BlockRole | null {
  return block.kind === 'paragraph' || block.kind === 'heading' ? block.role : null;
}

function keyOf(block: Block): string {
  return block.kind === 'paragraph' || block.kind === 'heading' ? textKey(textOf(block)) : '';
}

function findIndex(blocks: Block[], from: number, test: (block: Block) => boolean): number {
  for (let i = from; i < blocks.length; i++) if (test(blocks[i] as Block)) return i;
  return -1;
}

function findLastIndex(blocks: Block[], from: number, test: (block: Block) => boolean): number {
  for (let i = blocks.length - 1; i >= from; i--) if (test(blocks[i] as Block)) return i;
  return -1;
}

/** The inferred role of every block, by the rules above; attributes win where present. */
function inferRoles(blocks: Block[]): Array<BlockRole | null> {
  const roles = blocks.map(roleOf);
  const title = findIndex(blocks, 0, (b) => roleOf(b) === 'title' || keyOf(b) === 'BIEN BAN');
  if (title >= 0) {
    const right = findIndex(
      blocks,
      0,
      (b) => roleOf(b) === 'header-right' || keyOf(b).startsWith('CONG HOA XA HOI CHU NGHIA VIET NAM'),
    );
    for (let i = 0; i < title; i++) roles[i] ??= right >= 0 && i >= right ? 'header-right' : 'header-left';
    roles[title] ??= 'title';
    const next = blocks[title + 1];
    if (next?.kind === 'heading') roles[title + 1] ??= 'subject';
  }
  const from = Math.max(title + 1, 0);
  const signature = findLastIndex(
    blocks,
    from,
    (b) => roleOf(b) === 'signature-left' || keyOf(b) === 'THU KY',
  );
  if (signature >= 0) {
    const recipients = findIndex(
      blocks,
      signature,
      (b) => roleOf(b) === 'recipients' || keyOf(b).startsWith('NOI NHAN'),
    );
    const end = recipients >= 0 ? recipients : blocks.length;
    const right = findIndex(
      blocks,
      signature,
      (b) => roleOf(b) === 'signature-right' || keyOf(b) === 'CHU TOA' || keyOf(b) === 'CHU TRI',
    );
    for (let i = signature; i < end; i++)
      roles[i] ??= right >= 0 && i >= right ? 'signature-right' : 'signature-left';
    for (let i = end; i < blocks.length; i++) roles[i] ??= 'recipients';
  }
  return roles;
}

export function layoutMinutes(blocks: Block[]): MinutesLayout {
  const layout: MinutesLayout = {
    headerLeft: [],
    headerRight: [],
    title: [],
    body: [],
    signatureLeft: [],
    signatureRight: [],
    recipients: [],
  };
  const roles = inferRoles(blocks);
  blocks.forEach((block, i) => {
    switch (roles[i] ?? null) {
      case 'header-left':
        layout.headerLeft.push(block);
        break;
      case 'header-right':
        layout.headerRight.push(block);
        break;
      case 'title':
      case 'subject':
        layout.title.push(block);
        break;
      case 'signature-left':
        layout.signatureLeft.push(block);
        break;
      case 'signature-right':
        layout.signatureRight.push(block);
        break;
      case 'recipients':
        layout.recipients.push(block);
        break;
      case null:
        layout.body.push(block);
        break;
    }
  });
  return layout;
}

/** The regions to print; a header or signature block deleted in the editor is restored from the session. */
export function exportLayout(doc: Y.Doc, ctx: MinutesContext): MinutesLayout {
  const layout = layoutMinutes(readMinutes(doc));
  if (layout.headerLeft.length === 0 && layout.headerRight.length === 0) {
    const header = layoutMinutes(headerBlocks(ctx));
    layout.headerLeft = header.headerLeft;
    layout.headerRight = header.headerRight;
  }
  if (layout.signatureLeft.length === 0 && layout.signatureRight.length === 0) {
    const signature = layoutMinutes(signatureBlocks(ctx));
    layout.signatureLeft = signature.signatureLeft;
    layout.signatureRight = signature.signatureRight;
  }
  return layout;
}
