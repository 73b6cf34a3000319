/**
 * The files the office uploads as report pages for the big screen, in the document store: in SQLite on one node, in
 * Redis in scale-out, so that every node serves every projector. One collection per session (`reportFiles:<id>`),
 * read by key only: a file is loaded when a screen asks for it, never listed with the others.
 *
 * The log holds which pages there are (report.pages_changed); this holds their bytes.
 */
import type { DocumentStore } from '../store/EventStore.ts';
import type { ReportPage } from '../../shared/domain/types.ts';

export type ReportFileType = ReportPage['mime'];

interface StoredReportFile {
  name: string;
  mime: ReportFileType;
  size: number;
  /** The bytes as base64: document values are JSON. */
  data: string;
  at: number;
}

export interface ReportFile {
  name: string;
  mime: ReportFileType;
  bytes: Buffer;
}

const FILES = (sessionId: string) => `reportFiles:${sessionId}`;

export class ReportFiles {
  readonly #docs: DocumentStore;
  constructor(docs: DocumentStore) {
    this.#docs = docs;
  }

  async put(sessionId: string, fileId: string, file: ReportFile, now = Date.now()): Promise<void> {
    await this.#docs.put<StoredReportFile>(FILES(sessionId), fileId, {
      name: file.name,
      mime: file.mime,
      size: file.bytes.length,
      data: file.bytes.toString('base64'),
      at: now,
    });
  }

  async get(sessionId: string, fileId: string): Promise<ReportFile | null> {
    const stored = await this.#docs.get<StoredReportFile>(FILES(sessionId), fileId);
    return stored && { name: stored.name, mime: stored.mime, bytes: Buffer.from(stored.data, 'base64') };
  }

  delete(sessionId: string, fileId: string): Promise<void> {
    return this.#docs.delete(FILES(sessionId), fileId);
  }
}
