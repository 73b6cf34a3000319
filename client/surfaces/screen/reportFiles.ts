/**
 * The report files the screen shows, fetched once per file with the display token and kept while the page lives (a
 * PDF's pages share one file): the bytes for pdf.js, and a blob URL for an image.
 */
export interface ReportFile {
  blob: Blob;
  url: string;
}

const loaded = new Map<string, Promise<ReportFile>>();

export function reportFile(sessionId: string, fileId: string, token: string): Promise<ReportFile> {
  const key = `${sessionId}/${fileId}`;
  let file = loaded.get(key);
  if (!file) {
    file = fetch(
      `/api/sessions/${encodeURIComponent(sessionId)}/report-files/${encodeURIComponent(fileId)}`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    ).then(async (res) => {
      if (!res.ok) throw new Error(`report file: HTTP ${res.status}`);
      const blob = await res.blob();
      return { blob, url: URL.createObjectURL(blob) };
    });
    // A failure is not kept: the next turn of the page tries again.
    file.catch(() => loaded.delete(key));
    loaded.set(key, file);
  }
  return file;
}
