import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { buildMinutesDocx } from '../../../server/minutes/docx.ts';
import { canonicalContent, contentHash } from '../../../server/minutes/hash.ts';
import { renderMinutesHtml } from '../../../server/minutes/html.ts';
import { buildTemplateUpdate, writeBlocks } from '../../../server/minutes/template.ts';
import { appendParagraph } from '../../helpers/minutesClient.ts';
import { minutesContext } from '../../helpers/minutesFixtures.ts';

const NASTY = 'Ông A hỏi: "thủ tục <đất đai> & xây dựng" có \'phí\' không? <script>alert(1)</script>';

/** The template with the secretary's writing under the first agenda item, plus a list. */
function writtenMinutes(): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, buildTemplateUpdate(minutesContext));
  doc.transact(() => {
    const fragment = doc.getXmlFragment('default');
    const firstSectionBody = fragment.get(15) as Y.XmlElement;
    const text = new Y.XmlText();
    firstSectionBody.insert(0, [text]);
    text.insert(0, NASTY, {});
    const quote = new Y.XmlElement('blockquote');
    fragment.insert(16, [quote]);
    writeBlocks(quote, [
      {
        kind: 'list',
        ordered: false,
        start: 1,
        items: [
          [
            {
              kind: 'paragraph',
              role: null,
              align: null,
              inlines: [{ kind: 'text', text: 'Ý kiến về hộ tịch', marks: { italic: true } }],
            },
          ],
        ],
      },
    ]);
  });
  return doc;
}

async function unzip(buffer: Buffer): Promise<{ document: string; styles: string }> {
  const zip = await JSZip.loadAsync(buffer);
  const read = async (name: string): Promise<string> => {
    const file = zip.file(name);
    if (!file) throw new Error(`${name} missing from the docx`);
    return file.async('string');
  };
  return { document: await read('word/document.xml'), styles: await read('word/styles.xml') };
}

/** The visible text of an OOXML fragment (w:t contents), in order. */
function texts(xml: string): string[] {
  return Array.from(xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g), (m) => m[1] ?? '');
}

function tables(xml: string): string[] {
  return Array.from(xml.matchAll(/<w:tbl>[\s\S]*?<\/w:tbl>/g), (m) => m[0]);
}

function cells(tableXml: string): string[] {
  return Array.from(tableXml.matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g), (m) => m[0]);
}

/** The paragraph (w:p) containing `text`. */
function paragraphWith(xml: string, text: string): string {
  const found = Array.from(xml.matchAll(/<w:p>[\s\S]*?<\/w:p>|<w:p [\s\S]*?<\/w:p>/g), (m) => m[0]).find(
    (p) => texts(p).join('').includes(text),
  );
  if (!found) throw new Error(`no paragraph with ${text}`);
  return found;
}

describe('DOCX export (Decree 30 layout)', () => {
  it('is A4 with the decree margins, in Times New Roman 14 pt', async () => {
    const { document, styles } = await unzip(await buildMinutesDocx(writtenMinutes(), minutesContext));
    expect(document).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    const margins = /<w:pgMar ([^>]*)\/>/.exec(document)?.[1] ?? '';
    const twips = (side: string): number => Number(new RegExp(`w:${side}="(\\d+)"`).exec(margins)?.[1]);
    const mm = (side: string): number => (twips(side) / 1440) * 25.4;
    expect(mm('top')).toBeGreaterThanOrEqual(20);
    expect(mm('top')).toBeLessThanOrEqual(25);
    expect(mm('bottom')).toBeGreaterThanOrEqual(20);
    expect(mm('bottom')).toBeLessThanOrEqual(25);
    expect(mm('left')).toBeGreaterThanOrEqual(30);
    expect(mm('left')).toBeLessThanOrEqual(35);
    expect(mm('right')).toBeGreaterThanOrEqual(15);
    expect(mm('right')).toBeLessThanOrEqual(20);
    const defaults = /<w:docDefaults>[\s\S]*?<\/w:docDefaults>/.exec(styles)?.[0] ?? '';
    expect(defaults).toMatch(
      /<w:rFonts w:ascii="Times New Roman" w:cs="Times New Roman" w:eastAsia="Times New Roman" w:hAnsi="Times New Roman"\/>/,
    );
    expect(defaults).toMatch(/<w:sz w:val="28"\/>/);
    // No run overrides the font with anything else (Courier is only for code, and there is none here).
    expect(document).not.toMatch(/w:rFonts w:ascii="(?!Times New Roman)/);
  });

  it('has the two-column header: ward on the left, national motto and place/date on the right', async () => {
    const { document } = await unzip(await buildMinutesDocx(writtenMinutes(), minutesContext));
    const [header] = tables(document);
    expect(header).toBeDefined();
    expect(header).toMatch(/<w:tblBorders>[\s\S]*<w:top w:val="none"/);
    const [left, right] = cells(header ?? '');
    expect(texts(left ?? '')).toEqual(['ỦY BAN NHÂN DÂN', 'PHƯỜNG KIẾN HƯNG', 'Số: 12/BB-UBND']);
    expect(texts(right ?? '')).toEqual([
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'Kiến Hưng, ngày 05 tháng 6 năm 2020',
    ]);
    // Issuing body and motto bold, place/date italic, short rules (a bordered empty paragraph) under both.
    expect(paragraphWith(left ?? '', 'PHƯỜNG KIẾN HƯNG')).toMatch(/<w:b\/>/);
    expect(paragraphWith(right ?? '', 'Độc lập - Tự do - Hạnh phúc')).toMatch(/<w:b\/>/);
    expect(paragraphWith(right ?? '', 'Kiến Hưng, ngày')).toMatch(/<w:i\/>/);
    expect(paragraphWith(right ?? '', 'Kiến Hưng, ngày')).not.toMatch(/<w:b\/>/);
    expect(left).toMatch(/<w:pBdr><w:top w:val="single"/);
    expect(right).toMatch(/<w:pBdr><w:top w:val="single"/);
    // 13 pt for the upper header lines, 14 pt for the motto.
    expect(paragraphWith(left ?? '', 'ỦY BAN NHÂN DÂN')).toMatch(/<w:sz w:val="26"\/>/);
    expect(paragraphWith(right ?? '', 'Độc lập')).toMatch(/<w:sz w:val="28"\/>/);
  });

  it('has the title, the justified body with first-line indent, and the content, escaped', async () => {
    const { document } = await unzip(await buildMinutesDocx(writtenMinutes(), minutesContext));
    const all = texts(document);
    expect(all).toContain('BIÊN BẢN');
    expect(all).toContain(minutesContext.sessionTitle);
    expect(paragraphWith(document, 'BIÊN BẢN')).toMatch(/<w:jc w:val="center"\/>/);
    expect(paragraphWith(document, 'BIÊN BẢN')).toMatch(/<w:b\/>/);
    const content = paragraphWith(document, 'Ông A hỏi');
    expect(content).toMatch(/<w:jc w:val="both"\/>/);
    expect(content).toMatch(/<w:ind [^>]*w:firstLine="720"/);
    expect(content).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(content).toContain('&amp; xây dựng');
    expect(document).not.toContain('<script>');
    expect(all.join('')).toContain('Hội nghị kết thúc vào … giờ …, ngày');
    expect(texts(paragraphWith(document, 'Ý kiến về hộ tịch'))).toEqual(['- ', 'Ý kiến về hộ tịch']);
    expect(paragraphWith(document, 'Ý kiến về hộ tịch')).toMatch(/<w:i\/>/);
  });

  it('ends with the signature block: THƯ KÝ left, CHỦ TỌA right, then Nơi nhận', async () => {
    const { document } = await unzip(await buildMinutesDocx(writtenMinutes(), minutesContext));
    const signature = tables(document)[1] ?? '';
    const [left, right] = cells(signature);
    expect(texts(left ?? '')).toEqual(['THƯ KÝ', 'Trần Thị Bình']);
    expect(texts(right ?? '')).toEqual(['CHỦ TỌA', 'Nguyễn Văn An']);
    expect(paragraphWith(left ?? '', 'THƯ KÝ')).toMatch(/<w:b\/>/);
    const after = document.slice(document.lastIndexOf('</w:tbl>'));
    expect(texts(after)).toEqual(['Nơi nhận:', '- Lưu: VT, hồ sơ.']);
  });

  it('recognises header and signature by their text when the editor dropped the block attributes', async () => {
    const doc = writtenMinutes();
    doc.transact(() => {
      for (const node of doc.getXmlFragment('default').toArray()) {
        if (node instanceof Y.XmlElement) node.removeAttribute('block');
      }
    });
    const { document } = await unzip(await buildMinutesDocx(doc, minutesContext));
    const [header, signature] = tables(document);
    expect(cells(header ?? '').map((c) => texts(c)[0])).toEqual([
      'ỦY BAN NHÂN DÂN',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
    ]);
    expect(cells(signature ?? '').map((c) => texts(c)[0])).toEqual(['THƯ KÝ', 'CHỦ TỌA']);
  });

  it('restores a deleted header and signature from the session', async () => {
    const doc = new Y.Doc();
    appendParagraph(doc, 'Chỉ có nội dung.');
    const { document } = await unzip(await buildMinutesDocx(doc, minutesContext));
    const [header, signature] = tables(document);
    expect(texts(header ?? '')).toContain('PHƯỜNG KIẾN HƯNG');
    expect(texts(signature ?? '')).toEqual(['THƯ KÝ', 'Trần Thị Bình', 'CHỦ TỌA', 'Nguyễn Văn An']);
    expect(texts(document)).toContain('Chỉ có nội dung.');
  });
});

describe('print HTML', () => {
  it('is a standalone A4 page with the same layout, every text escaped', () => {
    const html = renderMinutesHtml(writtenMinutes(), {
      ...minutesContext,
      sessionTitle: 'Đối thoại <b>2020</b>',
    });
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toMatch(/@page \{ size: A4; margin: 20mm 15mm 20mm 30mm; \}/);
    expect(html).toContain("font-family: 'Times New Roman'");
    expect(html).not.toContain('<script');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).toContain('<title>Biên bản - Đối thoại &#60;b&#62;2020&#60;/b&#62;</title>');
    expect(html).toMatch(/<td><p class="a-center"><strong>ỦY BAN NHÂN DÂN<\/strong><\/p>/);
    expect(html).toMatch(/<strong>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<\/strong>/);
    expect(html).toMatch(/<em>Kiến Hưng, ngày 05 tháng 6 năm 2020<\/em>/);
    const signatures = html.slice(html.indexOf('class="cols signatures"'));
    expect(signatures.indexOf('THƯ KÝ')).toBeLessThan(signatures.indexOf('CHỦ TỌA'));
  });
});

describe('content hash', () => {
  it('is a sha256 that changes with the content and not with how Yjs split it', () => {
    const a = new Y.Doc();
    appendParagraph(a, 'Biên bản hội nghị');
    const b = new Y.Doc();
    b.transact(() => {
      const p = new Y.XmlElement('paragraph');
      b.getXmlFragment('default').insert(0, [p]);
      const t = new Y.XmlText();
      p.insert(0, [t]);
      t.insert(0, 'hội nghị', {});
      t.insert(0, 'Biên bản ', {});
    });
    expect(contentHash(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(contentHash(b)).toBe(contentHash(a));
    b.getMap('meta').set('templated', true); // metadata is not content
    expect(contentHash(b)).toBe(contentHash(a));
    appendParagraph(b, '.');
    expect(contentHash(b)).not.toBe(contentHash(a));
    expect(JSON.parse(canonicalContent(a))).toEqual({
      format: 'dialogue-board/minutes/v1',
      content: [{ node: 'paragraph', attrs: {}, content: [{ text: 'Biên bản hội nghị', marks: {} }] }],
    });
  });

  it('sees formatting and attributes', () => {
    const plain = new Y.Doc();
    appendParagraph(plain, 'x');
    const bold = new Y.Doc();
    appendParagraph(bold, 'x');
    ((bold.getXmlFragment('default').get(0) as Y.XmlElement).get(0) as Y.XmlText).format(0, 1, { bold: {} });
    expect(contentHash(bold)).not.toBe(contentHash(plain));
    const centred = new Y.Doc();
    appendParagraph(centred, 'x');
    (centred.getXmlFragment('default').get(0) as Y.XmlElement).setAttribute('textAlign', 'center');
    expect(contentHash(centred)).not.toBe(contentHash(plain));
  });
});
