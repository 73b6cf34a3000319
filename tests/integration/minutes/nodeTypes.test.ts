/**
 * Every node the minutes editor can make (Tiptap StarterKit: paragraph, heading, bullet and ordered lists, nested
 * lists, blockquote, code block, horizontal rule, hard break; marks bold, italic, underline, strike, code) survives
 * the DOCX export and the print HTML, in every region of the Decree 30 layout — the body, the header and signature
 * columns and "Nơi nhận". Written by the stock y-websocket client into a real server, read back through the REST
 * exports.
 */
import JSZip from 'jszip';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Block, Inline } from '../../../server/minutes/model.ts';
import { writeBlocks } from '../../../server/minutes/template.ts';
import { minutesText, openMinutesClient, waitFor, type MinutesClient } from '../../helpers/minutesClient.ts';
import { startServer, type TestServer } from '../../helpers/server.ts';

let server: TestServer;
let secretary: string;
const clients: MinutesClient[] = [];

beforeAll(async () => {
  server = await startServer();
  secretary = await server.staffToken('secretary', { name: 'Trần Thị Bình' });
});

afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
});

afterAll(async () => {
  await server?.close();
});

const t = (text: string, marks: Extract<Inline, { kind: 'text' }>['marks'] = {}): Inline => ({
  kind: 'text',
  text,
  marks,
});
const p = (...inlines: Inline[]): Block => ({ kind: 'paragraph', role: null, align: null, inlines });
const bullets = (...items: Block[][]): Block => ({ kind: 'list', ordered: false, start: 1, items });

/** One sample of each node and mark, each with a text of its own to find in the exports. */
function samples(tag: string): Block[] {
  return [
    p(t(`${tag} đoạn văn`)),
    { kind: 'heading', level: 3, role: null, align: null, inlines: [t(`${tag} tiêu đề`)] },
    bullets([p(t(`${tag} gạch đầu dòng một`))], [p(t(`${tag} gạch đầu dòng hai`))]),
    {
      kind: 'list',
      ordered: true,
      start: 3,
      items: [[p(t(`${tag} mục số ba`))], [p(t(`${tag} mục số bốn`))]],
    },
    bullets([p(t(`${tag} cấp một`)), bullets([p(t(`${tag} cấp hai`)), bullets([p(t(`${tag} cấp ba`))])])]),
    { kind: 'blockquote', children: [p(t(`${tag} trích dẫn`))] },
    { kind: 'code', text: `${tag} mã dòng một\n${tag} mã dòng hai` },
    { kind: 'rule' },
    p(t(`${tag} trước ngắt dòng`), { kind: 'break' }, t(`${tag} sau ngắt dòng`)),
    p(
      t(`${tag} đậm`, { bold: true }),
      t(' '),
      t(`${tag} nghiêng`, { italic: true }),
      t(' '),
      t(`${tag} gạch chân`, { underline: true }),
      t(' '),
      t(`${tag} gạch ngang`, { strike: true }),
      t(' '),
      t(`${tag} mã`, { code: true }),
    ),
  ];
}

/** The texts every sample must show, in document order. */
function sampleTexts(tag: string): string[] {
  return [
    `${tag} đoạn văn`,
    `${tag} tiêu đề`,
    `${tag} gạch đầu dòng một`,
    `${tag} gạch đầu dòng hai`,
    `${tag} mục số ba`,
    `${tag} mục số bốn`,
    `${tag} cấp một`,
    `${tag} cấp hai`,
    `${tag} cấp ba`,
    `${tag} trích dẫn`,
    `${tag} mã dòng một`,
    `${tag} mã dòng hai`,
    `${tag} trước ngắt dòng`,
    `${tag} sau ngắt dòng`,
    `${tag} đậm`,
    `${tag} nghiêng`,
    `${tag} gạch chân`,
    `${tag} gạch ngang`,
    `${tag} mã`,
  ];
}

function topLevel(doc: Y.Doc): Y.XmlElement[] {
  return doc
    .getXmlFragment('default')
    .toArray()
    .filter((n): n is Y.XmlElement => n instanceof Y.XmlElement);
}

function indexOfText(doc: Y.Doc, test: (text: string) => boolean): number {
  const index = minutesText(doc).findIndex(test);
  if (index < 0) throw new Error('block not found in the minutes');
  return index;
}

/** Inserts `blocks` into the top level of the minutes before the block at `index`. */
function insertBefore(doc: Y.Doc, index: number, blocks: Block[]): void {
  const scratch = new Y.Doc();
  writeBlocks(scratch.getXmlFragment('default'), blocks);
  const fragment = doc.getXmlFragment('default');
  fragment.insert(
    index,
    scratch
      .getXmlFragment('default')
      .toArray()
      .map((n) => (n as Y.XmlElement).clone()),
  );
  scratch.destroy();
}

async function openSession(): Promise<{ id: string; client: MinutesClient }> {
  const { id } = await server.createSession({ title: 'Hội nghị đối thoại năm 2026' });
  const client = openMinutesClient(`ws://127.0.0.1:${server.port}/yjs`, id, secretary);
  clients.push(client);
  await client.synced();
  return { id, client };
}

/** Waits until the server holds what the client wrote (a reader's copy has the same text). */
async function onServer(id: string, client: MinutesClient): Promise<void> {
  const reader = openMinutesClient(`ws://127.0.0.1:${server.port}/yjs`, id, secretary);
  clients.push(reader);
  const want = minutesText(client.doc).join('\n');
  await waitFor(() => minutesText(reader.doc).join('\n') === want, 5_000, 'the edits on the server');
}

async function documentXml(id: string): Promise<string> {
  const res = await fetch(`${server.url}/api/sessions/${id}/export/minutes.docx`, {
    headers: { authorization: `Bearer ${secretary}` },
  });
  expect(res.status).toBe(200);
  const zip = await JSZip.loadAsync(Buffer.from(await res.arrayBuffer()));
  const xml = await zip.file('word/document.xml')?.async('string');
  if (!xml) throw new Error('document.xml missing');
  return xml;
}

async function printHtml(id: string): Promise<string> {
  const res = await fetch(`${server.url}/api/sessions/${id}/export/minutes.html`, {
    headers: { authorization: `Bearer ${secretary}` },
  });
  expect(res.status).toBe(200);
  return res.text();
}

/** The paragraphs (w:p) of an OOXML fragment, each as its xml and its visible text. */
function paragraphs(xml: string): Array<{ xml: string; text: string }> {
  return Array.from(xml.matchAll(/<w:p(?:\s[^>]*)?>[\s\S]*?<\/w:p>|<w:p\/>/g), (m) => ({
    xml: m[0],
    text: Array.from(m[0].matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g), (t) => t[1] ?? '').join(''),
  }));
}

function paragraphWith(xml: string, text: string): { xml: string; text: string } {
  const found = paragraphs(xml).find((para) => para.text.includes(text));
  if (!found) throw new Error(`no paragraph with "${text}"`);
  return found;
}

/** Everything after the signature table: the "Nơi nhận" block. */
const recipientsXml = (xml: string): string => xml.slice(xml.lastIndexOf('</w:tbl>'));
/** The body: between the header table and the signature table. */
const bodyXml = (xml: string): string => xml.slice(xml.indexOf('</w:tbl>'), xml.lastIndexOf('<w:tbl>'));
const htmlRegion = (html: string, cls: string): string => {
  const start = html.indexOf(`class="${cls}"`);
  return html.slice(start, html.indexOf('</div>\n', start));
};
const htmlText = (html: string): string => html.replace(/<[^>]*>/g, '');

/** Texts appear once each, in order, within `text`. */
function expectInOrder(text: string, expected: string[]): void {
  let from = 0;
  for (const want of expected) {
    const at = text.indexOf(want, from);
    expect(at, `"${want}" in order`).toBeGreaterThanOrEqual(0);
    from = at + want.length;
  }
}

/** The marks and list markers a region's DOCX must carry for the samples tagged `tag`. */
function expectSampleFormatting(xml: string, tag: string): void {
  expect(paragraphWith(xml, `${tag} gạch đầu dòng một`).text).toBe(`- ${tag} gạch đầu dòng một`);
  expect(paragraphWith(xml, `${tag} mục số ba`).text).toBe(`3. ${tag} mục số ba`);
  expect(paragraphWith(xml, `${tag} mục số bốn`).text).toBe(`4. ${tag} mục số bốn`);
  const indent = (text: string): number =>
    Number(/w:left="(\d+)"/.exec(paragraphWith(xml, text).xml)?.[1] ?? 0);
  expect(indent(`${tag} cấp hai`)).toBeGreaterThan(indent(`${tag} cấp một`));
  expect(indent(`${tag} cấp ba`)).toBeGreaterThan(indent(`${tag} cấp hai`));
  expect(paragraphWith(xml, `${tag} trước ngắt dòng`).xml).toMatch(
    new RegExp(`${tag} trước ngắt dòng</w:t>[\\s\\S]*<w:br/>[\\s\\S]*${tag} sau ngắt dòng`),
  );
  const marks = paragraphWith(xml, `${tag} đậm`).xml;
  const runOf = (text: string): string =>
    Array.from(marks.matchAll(/<w:r>[\s\S]*?<\/w:r>/g), (m) => m[0]).find((r) => r.includes(`>${text}<`)) ??
    '';
  expect(runOf(`${tag} đậm`)).toMatch(/<w:b\/>/);
  expect(runOf(`${tag} nghiêng`)).toMatch(/<w:i\/>/);
  expect(runOf(`${tag} gạch chân`)).toMatch(/<w:u w:val="single"\/>/);
  expect(runOf(`${tag} gạch ngang`)).toMatch(/<w:strike\/>/);
  expect(runOf(`${tag} mã`)).toMatch(/Courier New/);
}

describe('every node type the minutes editor makes survives the DOCX and the print', () => {
  it('keeps "Nơi nhận" lines the editor turned into a bulleted list (issue 13, finding 6)', async () => {
    const { id, client } = await openSession();
    // The cursor at the start of "- Lưu: VT, hồ sơ.", "- UBND phường (để b/c);" typed and Enter: the "- " input
    // rule wraps the paragraph in a bullet list, and Enter splits it into two items.
    client.doc.transact(() => {
      const at = indexOfText(client.doc, (text) => text === '- Lưu: VT, hồ sơ.');
      const old = topLevel(client.doc)[at];
      if (!old) throw new Error('no storage line');
      const fragment = client.doc.getXmlFragment('default');
      fragment.delete(at, 1);
      insertBefore(client.doc, at, [bullets([p(t('UBND phường (để b/c);'))], [p(t('- Lưu: VT, hồ sơ.'))])]);
    });
    await onServer(id, client);

    const recipients = paragraphs(recipientsXml(await documentXml(id))).map((para) => para.text);
    expect(recipients).toEqual(['Nơi nhận:', '- UBND phường (để b/c);', '- Lưu: VT, hồ sơ.']);
    const html = htmlText(htmlRegion(await printHtml(id), 'recipients'));
    expectInOrder(html, ['Nơi nhận:', 'UBND phường (để b/c);', '- Lưu: VT, hồ sơ.']);
  });

  it('keeps every node type and mark in the body and in "Nơi nhận"', async () => {
    const { id, client } = await openSession();
    client.doc.transact(() => {
      const closing = indexOfText(client.doc, (text) => text.startsWith('Hội nghị kết thúc'));
      insertBefore(client.doc, closing, samples('Thân'));
      // After the last line of the document: in the recipients region.
      insertBefore(client.doc, topLevel(client.doc).length, samples('Nơi nhận'));
    });
    await onServer(id, client);

    const xml = await documentXml(id);
    const body = bodyXml(xml);
    const recipients = recipientsXml(xml);
    expectInOrder(
      paragraphs(body)
        .map((para) => para.text)
        .join('\n'),
      sampleTexts('Thân'),
    );
    expectInOrder(
      paragraphs(recipients)
        .map((para) => para.text)
        .join('\n'),
      sampleTexts('Nơi nhận'),
    );
    expectSampleFormatting(body, 'Thân');
    expectSampleFormatting(recipients, 'Nơi nhận');
    // The rule of each region is a bordered empty paragraph.
    expect(body).toMatch(/<w:pBdr><w:bottom w:val="single"/);
    expect(recipients).toMatch(/<w:pBdr><w:bottom w:val="single"/);

    const html = await printHtml(id);
    expectInOrder(htmlText(htmlRegion(html, 'body')), sampleTexts('Thân'));
    expectInOrder(htmlText(htmlRegion(html, 'recipients')), sampleTexts('Nơi nhận'));
    for (const region of ['body', 'recipients']) {
      const part = htmlRegion(html, region);
      expect(part).toMatch(/<ol start="3">/);
      expect(part).toMatch(/<ul>(?:(?!<\/ul>)[\s\S])*<ul>/);
      expect(part).toMatch(/<blockquote>/);
      expect(part).toMatch(/<pre>/);
      expect(part).toMatch(/<hr>/);
      expect(part).toMatch(/<br>/);
      for (const tag of ['strong', 'em', 'u', 's', 'code']) expect(part).toContain(`<${tag}>`);
    }
  });

  it('keeps lists in the header and signature columns', async () => {
    const { id, client } = await openSession();
    client.doc.transact(() => {
      const motto = indexOfText(client.doc, (text) => text.startsWith('CỘNG HÒA'));
      insertBefore(client.doc, motto, [bullets([p(t('Đầu trang gạch đầu dòng'))])]);
      const chair = indexOfText(client.doc, (text) => text === 'CHỦ TỌA');
      insertBefore(client.doc, chair, [bullets([p(t('Chữ ký gạch đầu dòng'))])]);
    });
    await onServer(id, client);

    const xml = await documentXml(id);
    expect(paragraphWith(xml, 'Đầu trang gạch đầu dòng').text).toBe('- Đầu trang gạch đầu dòng');
    expect(paragraphWith(xml, 'Chữ ký gạch đầu dòng').text).toBe('- Chữ ký gạch đầu dòng');
    const html = htmlText(await printHtml(id));
    expect(html).toContain('Đầu trang gạch đầu dòng');
    expect(html).toContain('Chữ ký gạch đầu dòng');
  });
});
