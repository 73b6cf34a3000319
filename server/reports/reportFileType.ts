/**
 * What an uploaded report file is, read from its bytes (the type a browser claims is not trusted): a PNG, JPEG or
 * WebP image, or a PDF and how many pages it has. Anything else is refused with `unsupported_file`.
 *
 * A PDF's pages are its page objects (`/Type /Page`), in the file as written or inside its compressed object
 * streams (PDF 1.5+), which are inflated here with zlib: no PDF library is needed to count them.
 */
import { inflateSync } from 'node:zlib';
import type { ReportFileType } from './ReportFiles.ts';

export interface Sniffed {
  mime: ReportFileType;
  /** Pages: 1 for an image. */
  pages: number;
}

const startsWith = (bytes: Buffer, signature: readonly number[], at = 0) =>
  bytes.length >= at + signature.length && signature.every((b, i) => bytes[at + i] === b);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/** The file's type and page count, or null when it is none the screen can show. */
export function sniffReportFile(bytes: Buffer): Sniffed | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    return { mime: 'image/png', pages: 1 };
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { mime: 'image/jpeg', pages: 1 };
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8))
    return { mime: 'image/webp', pages: 1 };
  if (startsWith(bytes, ascii('%PDF-'))) {
    const pages = pdfPageCount(bytes);
    return pages > 0 ? { mime: 'application/pdf', pages } : null;
  }
  return null;
}

const PAGE_OBJECT = /\/Type\s*\/Page(?![A-Za-z])/g;
const OBJECT_STREAM = /\/Type\s*\/ObjStm[\s\S]*?stream\r?\n/g;

export function pdfPageCount(bytes: Buffer): number {
  const text = bytes.toString('latin1');
  let pages = text.match(PAGE_OBJECT)?.length ?? 0;
  for (const m of text.matchAll(OBJECT_STREAM)) {
    const start = m.index + m[0].length;
    const end = text.indexOf('endstream', start);
    if (end < 0) continue;
    try {
      pages += inflateSync(bytes.subarray(start, end)).toString('latin1').match(PAGE_OBJECT)?.length ?? 0;
    } catch {
      // Not a Flate stream, or a damaged one: its objects are not counted.
    }
  }
  return pages;
}
