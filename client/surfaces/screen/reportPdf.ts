/**
 * A PDF report page, drawn with pdf.js. Not the browser's own viewer in an <iframe>: Chromium's viewer is a plugin,
 * and the server's CSP (object-src 'none') keeps plugins out, so a projector showed nothing.
 *
 * pdf.js is imported only when a PDF page is first shown (it is larger than the whole screen surface); its worker is
 * a file of our own origin, which the CSP's script-src 'self' already allows. Each file's document is kept while the
 * page lives, so turning the pages of one PDF parses it once.
 */
import type { PDFDocumentProxy } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { reportFile } from './reportFiles.ts';

async function loadPdfjs() {
  const pdfjs = await import('pdfjs-dist');
  pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;
  return pdfjs;
}

let pdfjs: ReturnType<typeof loadPdfjs> | undefined;
function pdfjsLib(): ReturnType<typeof loadPdfjs> {
  if (!pdfjs) {
    pdfjs = loadPdfjs();
    // A failed import is not kept: the next page tries again.
    pdfjs.catch(() => {
      pdfjs = undefined;
    });
  }
  return pdfjs;
}

const documents = new Map<string, Promise<PDFDocumentProxy>>();

function reportPdf(sessionId: string, fileId: string, token: string): Promise<PDFDocumentProxy> {
  const key = `${sessionId}/${fileId}`;
  let doc = documents.get(key);
  if (!doc) {
    doc = Promise.all([pdfjsLib(), reportFile(sessionId, fileId, token)]).then(
      async ([lib, file]) =>
        lib.getDocument({
          // The bytes, not the blob URL: the CSP's connect-src 'self' does not let pdf.js fetch a blob: URL.
          data: new Uint8Array(await file.blob.arrayBuffer()),
          // Fonts are drawn without eval (script-src has no 'unsafe-eval'): no CSP violation on every page.
          isEvalSupported: false,
        }).promise,
    );
    // Nor is a failed document (a file that did not arrive, a damaged PDF).
    doc.catch(() => documents.delete(key));
    documents.set(key, doc);
  }
  return doc;
}

export interface DrawnPage {
  /** A canvas of its own, so a redraw never clears the page on show until it is ready. */
  canvas: HTMLCanvasElement;
  /** The page's size on screen, CSS pixels: as large as fits `box`, never cropped. */
  width: number;
  height: number;
}

/**
 * Draws page `number` (1-based) of the file as large as fits `box` (CSS pixels), at the display's pixel density so
 * text is crisp on a 1920×1080 projector. Aborting `signal` cancels the drawing.
 */
export async function drawReportPdfPage(
  file: { sessionId: string; fileId: string; token: string },
  number: number,
  box: { width: number; height: number },
  signal: AbortSignal,
): Promise<DrawnPage> {
  const doc = await reportPdf(file.sessionId, file.fileId, file.token);
  const page = await doc.getPage(number);
  signal.throwIfAborted();
  const natural = page.getViewport({ scale: 1 });
  const fit = Math.min(box.width / natural.width, box.height / natural.height);
  const density = window.devicePixelRatio || 1;
  const viewport = page.getViewport({ scale: fit * density });
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.floor(viewport.width));
  canvas.height = Math.max(1, Math.floor(viewport.height));
  const canvasContext = canvas.getContext('2d');
  if (!canvasContext) throw new Error('report page: no 2d canvas');
  const task = page.render({ canvasContext, viewport });
  const cancel = () => task.cancel();
  signal.addEventListener('abort', cancel, { once: true });
  try {
    await task.promise;
  } finally {
    signal.removeEventListener('abort', cancel);
  }
  return { canvas, width: canvas.width / density, height: canvas.height / density };
}
