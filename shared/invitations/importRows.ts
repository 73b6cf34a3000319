/**
 * Reading an invitee list the office keeps in a spreadsheet: rows of cells (from a CSV here, from an XLSX through
 * exceljs on the server) with a header row naming the columns, in Vietnamese or English. Pure.
 *
 * Columns (any order, case and accents ignored): Danh xưng (Ông/Bà), Họ và tên, Thành phần, Tổ, Đơn vị, Chức vụ.
 * Any other column is ignored — a list with phone numbers or addresses does not bring them in (Decree 13/2023).
 */
import {
  INVITEE_CATEGORIES,
  InviteeInputSchema,
  type InviteeCategory,
  type InviteeInput,
} from './invitees.ts';

/** "Đại biểu HĐND" → "dai bieu hdnd": what headers and values are compared as. */
export const fold = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

type Column = 'salutation' | 'name' | 'category' | 'group' | 'organisation' | 'title';
const HEADERS: Record<Column, string[]> = {
  salutation: ['danh xung', 'xung ho', 'ong ba', 'salutation'],
  name: ['ho va ten', 'ho ten', 'ten', 'name', 'full name'],
  category: ['thanh phan', 'doi tuong', 'category', 'composition'],
  group: ['to', 'to dan pho', 'group', 'residential group'],
  organisation: ['don vi', 'co quan', 'to chuc', 'organisation', 'organization'],
  title: ['chuc vu', 'vai tro', 'title', 'role'],
};

const CATEGORY_WORDS: Record<InviteeCategory, string[]> = {
  party: ['dang uy', 'thuong truc dang uy', 'party'],
  council: ['hdnd', 'hoi dong nhan dan', 'council'],
  front: ['ubmttq', 'mttq', 'mat tran', 'mat tran to quoc', 'front'],
  unions: ['doan the', 'ban nganh doan the', 'unions'],
  councilDelegate: ['dai bieu hdnd', 'dai bieu', 'councildelegate', 'council delegate'],
  cellSecretary: ['bi thu chi bo', 'bi thu', 'cellsecretary', 'cell secretary'],
  groupLeader: ['to truong', 'to truong to dan pho', 'groupleader', 'group leader'],
  resident: ['nguoi dan', 'cong dan', 'ca nhan', 'resident'],
  business: ['doanh nghiep', 'cong ty', 'to chuc don vi', 'dai dien cong ty', 'business'],
};

export function categoryOf(value: string): InviteeCategory | undefined {
  const v = fold(value);
  return INVITEE_CATEGORIES.find((c) => CATEGORY_WORDS[c].includes(v));
}

function salutationOf(value: string): 'ong' | 'ba' | undefined {
  const v = fold(value);
  return v === 'ong' || v === 'mr' ? 'ong' : v === 'ba' || v === 'mrs' || v === 'ms' ? 'ba' : undefined;
}

export interface ImportResult {
  invitees: InviteeInput[];
  rejected: Array<{ row: number; field: string }>;
}

/** Header row first; empty rows are skipped; a row that does not make a valid invitee is reported, not taken. */
export function inviteesFromRows(rows: string[][]): ImportResult {
  const [header = [], ...body] = rows;
  const columns = new Map<Column, number>();
  header.forEach((cell, index) => {
    const h = fold(cell);
    for (const [column, names] of Object.entries(HEADERS) as [Column, string[]][])
      if (names.includes(h) && !columns.has(column)) columns.set(column, index);
  });
  const invitees: InviteeInput[] = [];
  const rejected: ImportResult['rejected'] = [];
  if (!columns.has('name')) return { invitees, rejected: [{ row: 1, field: 'name' }] };
  body.forEach((cells, index): void => {
    const row = index + 2;
    const cell = (c: Column) => {
      const i = columns.get(c);
      return i === undefined ? '' : (cells[i] ?? '').trim();
    };
    if (cells.every((c) => !c.trim())) return;
    const salutation = salutationOf(cell('salutation'));
    if (!salutation) {
      rejected.push({ row, field: 'salutation' });
      return;
    }
    const category = categoryOf(cell('category'));
    if (!category) {
      rejected.push({ row, field: 'category' });
      return;
    }
    const groupText = cell('group').replace(/^\D*/, '');
    const candidate = {
      salutation,
      name: cell('name'),
      category,
      ...(groupText ? { group: Number(groupText) } : {}),
      ...(cell('organisation') ? { organisation: cell('organisation') } : {}),
      ...(cell('title') ? { title: cell('title') } : {}),
    };
    const parsed = InviteeInputSchema.safeParse(candidate);
    if (parsed.success) invitees.push(parsed.data);
    else rejected.push({ row, field: String(parsed.error.issues[0]?.path[0] ?? 'row') });
  });
  return { invitees, rejected };
}

/** RFC 4180 CSV (comma or semicolon, as spreadsheets in Vietnamese locales save it), with or without a BOM. */
export function csvRows(text: string): string[][] {
  const src = text.replace(/^\uFEFF/, '');
  const firstLine = src.slice(0, src.search(/\r?\n|$/));
  const sep = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === sep) {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
