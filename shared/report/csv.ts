/**
 * CSV as Excel reads it: UTF-8 with a byte-order mark (without it Excel guesses a legacy code page and Vietnamese
 * turns to mojibake), CRLF line ends, RFC 4180 quoting. Pure string work, so tests can parse exports back.
 */

export type Cell = string | number | boolean | null | undefined;

export const BOM = '\uFEFF';

/**
 * A cell starting with = + - @ (or a tab/CR) is read by spreadsheet programs as a formula: a citizen's text could
 * then run one on the clerk's machine (CSV injection). Such text gets a leading apostrophe, which Excel shows as
 * text; numbers are written as numbers.
 */
function neutralise(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? String(value) : neutralise(String(value));
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvRow = (cells: readonly Cell[]): string => cells.map(csvCell).join(',');

/** A whole file: BOM, rows joined and ended by CRLF. */
export const csvFile = (rows: ReadonlyArray<readonly Cell[]>): string =>
  BOM + rows.map((r) => `${csvRow(r)}\r\n`).join('');

/** Parses RFC 4180 text (a leading BOM is dropped) into rows of strings. */
export function parseCsv(text: string): string[][] {
  const src = text.startsWith(BOM) ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
