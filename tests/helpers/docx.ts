/** Reading a DOCX back in tests: the paragraphs of word/document.xml as text, and its tables as rows of cells. */
import JSZip from 'jszip';

const unescape = (s: string): string =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The text of each paragraph of a piece of document.xml, empty ones left out, one per line. */
export const paragraphsText = (xml: string): string =>
  unescape(
    xml
      .split('</w:p>')
      .map((p) => [...p.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(''))
      .filter((s) => s !== '')
      .join('\n'),
  );

/** Rows of the tables of a document.xml, each a list of its cells' text. */
export function docxTables(xml: string): string[][][] {
  return xml
    .split('<w:tbl>')
    .slice(1)
    .map((tbl) =>
      tbl
        .split('</w:tbl>')[0]!
        .split('</w:tr>')
        .slice(0, -1)
        .map((tr) => tr.split('</w:tc>').slice(0, -1).map(paragraphsText)),
    );
}

/** word/document.xml of a DOCX file. */
export async function documentXml(bytes: Buffer | ArrayBuffer): Promise<string> {
  return (await (await JSZip.loadAsync(bytes)).file('word/document.xml')?.async('string')) ?? '';
}
