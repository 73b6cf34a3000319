/**
 * report.xlsx with exceljs: a sheet per part of the synthesis (summary, by field, satisfaction, participation, the
 * list of opinions) with the same rows as the CSV (tables.ts), numbers as numbers, headers bold and frozen.
 */
import ExcelJS from 'exceljs';
import type { Cell } from '../../shared/report/csv.ts';
import type { Report } from '../../shared/report/report.ts';
import type { AttendanceWords, ExportLabels } from './labels.ts';
import {
  attendanceTable,
  commentsTable,
  proceduresTable,
  fieldTable,
  groupTable,
  paperFormsTables,
  kindTable,
  participationFacts,
  questionsTable,
  satisfactionSummary,
  satisfactionTable,
  sourceTable,
  summaryTable,
  type Table,
} from './tables.ts';

type Sheet = ExcelJS.Worksheet;

const value = (c: Cell): ExcelJS.CellValue => (c === undefined ? null : c);

/** Writes a table at the sheet's next row: its title (bold), its header (bold, shaded) and its rows. */
function writeTable(
  sheet: Sheet,
  table: Table,
  options: { title?: boolean; totalRow?: boolean } = {},
): number {
  if (options.title !== false) {
    const t = sheet.addRow([table.title]);
    t.font = { bold: true, size: 12 };
  }
  const [header, ...body] = table.rows;
  const h = sheet.addRow((header ?? []).map(value));
  const headerRow = h.number;
  h.font = { bold: true };
  h.alignment = { wrapText: true, vertical: 'middle' };
  h.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE0ECF8' } };
    cell.border = { bottom: { style: 'thin' } };
  });
  body.forEach((r, i) => {
    const row = sheet.addRow(r.map(value));
    row.alignment = { wrapText: true, vertical: 'top' };
    if (options.totalRow && i === body.length - 1) row.font = { bold: true };
  });
  sheet.addRow([]);
  return headerRow;
}

function writePairs(sheet: Sheet, rows: Cell[][]): void {
  for (const r of rows) {
    const row = sheet.addRow(r.map(value));
    row.getCell(1).font = { bold: true };
  }
  sheet.addRow([]);
}

export async function reportXlsx(
  report: Report,
  L: ExportLabels,
  generatedAt: number,
  W: AttendanceWords,
): Promise<Buffer> {
  const E = L.export;
  const wb = new ExcelJS.Workbook();
  wb.creator = report.meta.wardName;
  wb.created = new Date(generatedAt);
  wb.title = `${E.reportTitle} - ${report.meta.title}`;

  const summary = wb.addWorksheet(E.sheetSummary);
  const s = summaryTable(report, L, generatedAt);
  summary.addRow([s.title]).font = { bold: true, size: 13 };
  writePairs(summary, s.rows);
  summary.getColumn(1).width = 28;
  summary.getColumn(2).width = 80;

  const fields = wb.addWorksheet(E.sheetByField, { views: [{ state: 'frozen', ySplit: 2 }] });
  writeTable(fields, fieldTable(report, L), { totalRow: true });
  fields.getColumn(1).width = 40;
  for (let c = 2; c <= 13; c++) fields.getColumn(c).width = 14;

  const sat = wb.addWorksheet(E.sheetSatisfaction);
  sat.addRow([E.satisfaction]).font = { bold: true, size: 12 };
  writePairs(sat, satisfactionSummary(report, L));
  writeTable(sat, satisfactionTable(report, L), { title: false });
  if (report.satisfaction.procedures.length > 0) writeTable(sat, proceduresTable(report, L));
  if (report.satisfaction.comments.length > 0) writeTable(sat, commentsTable(report, L));
  sat.getColumn(1).width = 42;
  sat.getColumn(3).numFmt = '0.00';
  for (let c = 2; c <= 8; c++) sat.getColumn(c).width = c === 4 ? 60 : 16;

  const part = wb.addWorksheet(E.sheetParticipation);
  part.addRow([E.participation]).font = { bold: true, size: 12 };
  writePairs(part, participationFacts(report, L));
  if (report.attendance) writeTable(part, attendanceTable(report.attendance, W), { totalRow: true });
  writeTable(part, groupTable(report, L), { totalRow: true });
  writeTable(part, kindTable(report, L), { totalRow: true });
  writeTable(part, sourceTable(report, L), { totalRow: true });
  for (const forms of paperFormsTables(report, L)) writeTable(part, forms, { totalRow: true });
  part.getColumn(1).width = 26;
  for (let c = 2; c <= 9; c++) part.getColumn(c).width = 14;

  const qs = wb.addWorksheet(E.sheetQuestions, { views: [{ state: 'frozen', ySplit: 1 }] });
  const table = questionsTable(report, L);
  const header = writeTable(qs, table, { title: false });
  const cols = table.rows[0]?.length ?? 1;
  qs.autoFilter = {
    from: { row: header, column: 1 },
    to: { row: header + table.rows.length - 1, column: cols },
  };
  const widths = [6, 17, 28, 60, 22, 8, 22, 12, 12, 24, 9, 22, 20, 36, 14, 10, 60, 17, 10, 30, 30];
  widths.forEach((w, i) => (qs.getColumn(i + 1).width = w));

  return Buffer.from(await wb.xlsx.writeBuffer());
}
