/**
 * Print-ready HTML of the minutes: a standalone page in the same Decree 30 layout as the DOCX (A4 @page margins,
 * Times New Roman, two-column header and signatures). Every text is escaped; no markup from the document is trusted,
 * and the page has no scripts.
 */
import type * as Y from 'yjs';
import { exportLayout } from './layout.ts';
import { startsWithDash } from './model.ts';
import type { Block, Inline } from './model.ts';
import type { MinutesContext } from './types.ts';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function inlineHtml(inline: Inline): string {
  if (inline.kind === 'break') return '<br>';
  let html = escapeHtml(inline.text);
  if (inline.marks.code) html = `<code>${html}</code>`;
  if (inline.marks.strike) html = `<s>${html}</s>`;
  if (inline.marks.underline) html = `<u>${html}</u>`;
  if (inline.marks.italic) html = `<em>${html}</em>`;
  if (inline.marks.bold) html = `<strong>${html}</strong>`;
  return html;
}

/** The HTML of a block, lists and quotes with everything inside (an explicit stack: no recursion at any depth). */
function blockHtml(block: Block): string {
  const out: string[] = [];
  // Blocks still to write and closing tags, the next one last.
  const stack: Array<Block | string> = [block];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    if (typeof next === 'string') {
      out.push(next);
      continue;
    }
    switch (next.kind) {
      case 'paragraph':
      case 'heading': {
        const classes = [next.kind === 'heading' ? 'h' : '', next.align ? `a-${next.align}` : '']
          .filter(Boolean)
          .join(' ');
        const content = next.inlines.map(inlineHtml).join('');
        out.push(`<p${classes ? ` class="${classes}"` : ''}>${content || '<br>'}</p>`);
        break;
      }
      case 'list': {
        const tag = next.ordered ? 'ol' : 'ul';
        const start = next.ordered && next.start !== 1 ? ` start="${next.start}"` : '';
        out.push(`<${tag}${start}>`);
        stack.push(`</${tag}>`);
        for (let i = next.items.length - 1; i >= 0; i--) {
          const item = next.items[i] ?? [];
          stack.push('</li>');
          pushReversed(stack, item);
          // A line typed with its own dash ("- Lưu: VT, hồ sơ.") gets no second one from the list (as in the DOCX).
          stack.push(!next.ordered && startsWithDash(item[0]) ? '<li class="own-dash">' : '<li>');
        }
        break;
      }
      case 'blockquote':
        out.push('<blockquote>');
        stack.push('</blockquote>');
        pushReversed(stack, next.children);
        break;
      case 'code':
        out.push(`<pre>${escapeHtml(next.text)}</pre>`);
        break;
      case 'rule':
        out.push('<hr>');
    }
  }
  return out.join('');
}

function pushReversed<T>(stack: T[], items: readonly T[]): void {
  for (let i = items.length - 1; i >= 0; i--) stack.push(items[i] as T);
}

function isBoldLine(block: Block): boolean {
  if (block.kind !== 'paragraph' && block.kind !== 'heading') return false;
  const texts = block.inlines.filter((i) => i.kind === 'text' && i.text.trim() !== '');
  return texts.length > 0 && texts.every((i) => i.kind === 'text' && i.marks.bold === true);
}

/** Header column; the short rule sits under the last bold line, as in the DOCX. */
function headerColumn(blocks: Block[], ruleClass: string): string {
  let lastBold = -1;
  blocks.forEach((block, i) => {
    if (isBoldLine(block)) lastBold = i;
  });
  return blocks
    .map((block, i) => blockHtml(block) + (i === lastBold ? `<div class="rule ${ruleClass}"></div>` : ''))
    .join('');
}

function signatureColumn(blocks: Block[]): string {
  return blocks
    .map((block, i) => blockHtml(block) + (i === 0 ? '<div class="sign-space"></div>' : ''))
    .join('');
}

const CSS = `
@page { size: A4; margin: 20mm 15mm 20mm 30mm; }
* { box-sizing: border-box; }
html { background: #eee; }
body { margin: 0; font-family: 'Times New Roman', Times, serif; font-size: 14pt; line-height: 1.15; color: #000; }
.sheet { width: 210mm; min-height: 297mm; margin: 8mm auto; padding: 20mm 15mm 20mm 30mm; background: #fff; }
p { margin: 0; }
table.cols { width: 100%; border-collapse: collapse; table-layout: fixed; }
table.cols td { vertical-align: top; padding: 0; text-align: center; }
table.cols p { text-align: center; }
.header td:first-child { width: 40%; font-size: 13pt; }
.header td:last-child { width: 60%; }
.header td:last-child p:first-child { font-size: 13pt; }
.rule { border-top: 1px solid #000; margin: 2pt auto 3pt; }
.rule-left { width: 2cm; }
.rule-right { width: 6cm; }
.title { margin: 18pt 0 12pt; text-align: center; font-weight: bold; }
.title p { text-align: center; }
.body p, .body li { text-align: justify; margin-top: 6pt; }
.body > p { text-indent: 1.27cm; }
.body p.h { font-weight: bold; break-after: avoid; }
.body .a-center { text-align: center; text-indent: 0; }
.body .a-right { text-align: right; text-indent: 0; }
.body .a-left { text-align: left; }
ul, ol { margin: 0; padding-left: 1.27cm; text-align: left; }
ul { list-style: '- '; }
li.own-dash { list-style: none; }
.signatures { margin-top: 12pt; }
.sign-space { height: 3.5em; }
.recipients { margin-top: 12pt; }
.recipients { font-size: 11pt; text-align: left; }
.recipients p { text-align: left; }
.recipients > p:first-child { font-size: 12pt; font-weight: bold; font-style: italic; }
.recipients ul, .recipients ol { padding-left: 0.6cm; }
@media print {
  html { background: none; }
  .sheet { width: auto; min-height: 0; margin: 0; padding: 0; }
}
`;

export function renderMinutesHtml(doc: Y.Doc, ctx: MinutesContext): string {
  const layout = exportLayout(doc, ctx);
  return [
    '<!doctype html>',
    '<html lang="vi">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(`Biên bản - ${ctx.sessionTitle}`)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<main class="sheet">',
    '<table class="cols header"><tr>',
    `<td>${headerColumn(layout.headerLeft, 'rule-left')}</td>`,
    `<td>${headerColumn(layout.headerRight, 'rule-right')}</td>`,
    '</tr></table>',
    `<div class="title">${layout.title.map((b) => blockHtml(b)).join('')}</div>`,
    `<div class="body">${layout.body.map((b) => blockHtml(b)).join('')}</div>`,
    '<table class="cols signatures"><tr>',
    `<td>${signatureColumn(layout.signatureLeft)}</td>`,
    `<td>${signatureColumn(layout.signatureRight)}</td>`,
    '</tr></table>',
    `<div class="recipients">${layout.recipients.map((b) => blockHtml(b)).join('')}</div>`,
    '</main>',
    '</body>',
    '</html>',
  ].join('\n');
}
