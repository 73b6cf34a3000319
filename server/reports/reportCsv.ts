/**
 * report.csv: every table of the synthesis one after the other, separated by an empty row, in one UTF-8 CSV that
 * Excel opens with its Vietnamese intact (BOM, CRLF, RFC 4180). questions.csv: the list of opinions alone, one
 * header row, for filtering and sorting.
 */
import { csvFile, type Cell } from '../../shared/report/csv.ts';
import type { AuditRow } from '../../shared/report/audit.ts';
import type { Report } from '../../shared/report/report.ts';
import { exportMoment } from './wardClock.ts';
import type { AttendanceWords, ExportLabels } from './labels.ts';
import {
  attendanceTable,
  commentsTable,
  proceduresTable,
  fieldTable,
  groupTable,
  kindTable,
  paperFormsTables,
  participationFacts,
  questionsTable,
  satisfactionSummary,
  satisfactionTable,
  sourceTable,
  summaryTable,
  type Table,
} from './tables.ts';

const titled = (t: Table): Cell[][] => [[t.title], ...t.rows, []];

export function reportCsv(report: Report, L: ExportLabels, generatedAt: number, W: AttendanceWords): string {
  const summary = summaryTable(report, L, generatedAt);
  const rows: Cell[][] = [
    ...titled(summary),
    ...titled(fieldTable(report, L)),
    [L.export.satisfaction],
    ...satisfactionSummary(report, L),
    ...satisfactionTable(report, L).rows,
    [],
    ...(report.satisfaction.procedures.length > 0 ? titled(proceduresTable(report, L)) : []),
    ...(report.satisfaction.comments.length > 0 ? titled(commentsTable(report, L)) : []),
    [L.export.participation],
    ...participationFacts(report, L),
    [],
    ...(report.attendance ? titled(attendanceTable(report.attendance, W)) : []),
    ...titled(groupTable(report, L)),
    ...titled(kindTable(report, L)),
    ...titled(sourceTable(report, L)),
    ...paperFormsTables(report, L).flatMap(titled),
    ...titled(questionsTable(report, L)),
  ];
  return csvFile(rows);
}

export const questionsCsv = (report: Report, L: ExportLabels): string =>
  csvFile(questionsTable(report, L).rows);

export function auditCsv(rows: readonly AuditRow[], L: ExportLabels): string {
  const E = L.export;
  return csvFile([
    [E.auditSeq, E.auditTime, E.auditRole, E.auditActor, E.auditType, E.auditDetail],
    ...rows.map((r) => [r.seq, exportMoment(r.at, true), r.roleLabel, r.actorName, r.typeLabel, r.detail]),
  ]);
}
