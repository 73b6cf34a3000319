/**
 * The minutes write themselves where the session knows the facts: the actual opening ("Thời gian bắt đầu"), the
 * closing time ("Hội nghị kết thúc vào … giờ …") and the register number ("Số: …/BB-UBND").
 *
 * Only lines still in the shape the template wrote are changed (a time and a date in the template's words, or the
 * blanks): what the secretary wrote there in her own words is hers and stays. Each line is one Y.XmlText, changed in
 * place, so a writer's edits elsewhere merge untouched. The caller runs this on an unlocked document only: an
 * approved record does not change.
 */
import * as Y from 'yjs';
import { dateAndTime, hhmmAt, isoDateAt } from '../../shared/i18n/dates.ts';
import { docNumberLine, textKey } from './format.ts';
import { BLOCK_ATTR, MINUTES_FRAGMENT } from '../../shared/minutes/schema.ts';
import type { MinutesContext } from './types.ts';

export const OPENING_LABEL = 'Thời gian bắt đầu';
const CLOSING_LEAD = 'Hội nghị kết thúc vào';

/** "08 giờ 34, ngày 05 tháng 6 năm 2020": the actual opening when the session has opened, else the planned time. */
export function openingValue(ctx: MinutesContext): string {
  if (ctx.openedAt !== undefined) return dateAndTime(isoDateAt(ctx.openedAt), hhmmAt(ctx.openedAt));
  return dateAndTime(ctx.date, ctx.startTime);
}

/** "Hội nghị kết thúc vào 11 giờ 05, ngày 05 tháng 6 năm 2020./.", with blanks for the time until it closes. */
export function closingLine(ctx: MinutesContext): string {
  const value =
    ctx.closedAt !== undefined
      ? dateAndTime(isoDateAt(ctx.closedAt), hhmmAt(ctx.closedAt))
      : dateAndTime(ctx.date, undefined);
  return `${CLOSING_LEAD} ${value}./.`;
}

/** A time and a date as the template writes them, blank or filled ("8 giờ 00 phút, …" from earlier versions too). */
const TEMPLATE_MOMENT =
  /^(?:\d{1,2}|…) giờ (?:\d{2}|…)(?: phút)?, ngày (?:\d{1,2}|…) tháng (?:\d{1,2}|…) năm (?:\d{4}|…)$/u;
const TEMPLATE_CLOSING = new RegExp(`^${CLOSING_LEAD} (.*)\\./\\.$`, 'u');
/** "Số: …/BB-UBND" or "Số: 12/BB-UBND". */
const NUMBER_LINE = /^Số:/u;

/** Fills what the context knows; returns whether anything changed. `docNumber` is written only when given. */
export function fillRecorded(doc: Y.Doc, ctx: MinutesContext): boolean {
  let changed = false;
  doc.transact(() => {
    for (const node of doc.getXmlFragment(MINUTES_FRAGMENT).toArray()) {
      if (!(node instanceof Y.XmlElement) || node.nodeName !== 'paragraph') continue;
      const text = soleText(node);
      if (!text) continue;
      const value = text.toString() === '' ? '' : plain(text);
      if (textKey(value).startsWith(textKey(OPENING_LABEL))) {
        const colon = value.indexOf(':');
        const current = value.slice(colon + 1).trim();
        if (colon >= 0 && TEMPLATE_MOMENT.test(current) && current !== openingValue(ctx)) {
          replaceFrom(text, value, colon + 1, ` ${openingValue(ctx)}`);
          changed = true;
        }
      } else if (TEMPLATE_MOMENT.test(TEMPLATE_CLOSING.exec(value)?.[1] ?? '')) {
        if (value !== closingLine(ctx) && ctx.closedAt !== undefined) {
          replaceFrom(text, value, 0, closingLine(ctx));
          changed = true;
        }
      } else if (
        ctx.docNumber !== undefined &&
        node.getAttribute(BLOCK_ATTR) === 'header-left' &&
        NUMBER_LINE.test(value) &&
        value !== docNumberLine(ctx.docNumber)
      ) {
        replaceFrom(text, value, 0, docNumberLine(ctx.docNumber));
        changed = true;
      }
    }
  });
  return changed;
}

/** The paragraph's text when it is one Y.XmlText (as the template and a plain typed line are); null otherwise. */
function soleText(el: Y.XmlElement): Y.XmlText | null {
  const children = el.toArray();
  return children.length === 1 && children[0] instanceof Y.XmlText ? children[0] : null;
}

function plain(text: Y.XmlText): string {
  return (text.toDelta() as Array<{ insert?: unknown }>)
    .map((op) => (typeof op.insert === 'string' ? op.insert : ''))
    .join('');
}

const NO_MARKS = { bold: null, italic: null, underline: null, strike: null, code: null };

/** Replaces the text from `offset` (in `value`, the current plain text) to the end with `replacement`, unformatted. */
function replaceFrom(text: Y.XmlText, value: string, offset: number, replacement: string): void {
  text.delete(offset, value.length - offset);
  text.insert(offset, replacement, NO_MARKS);
}
