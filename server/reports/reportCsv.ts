/**
 * report.csv: every table of the synthesis one after the other, separated by an empty row, in one UTF-8 CSV that
 * Excel opens with its Vietnamese intact (BOM, CRLF, RFC 4180). questions.csv: the list of opinions alone, one
 * header row, for filtering and sorting.
 */
import { csvFile, type Cell } from '../../shared/report/csv.ts';
import type { AuditRow } from '../../shared/report/audit.ts';
import type { Report } from '../../shared/report/report.ts';
import { formatTime } from './format.ts';
import type { ExportLabels } from './labels.ts';
import {
  commentsTable,
  fieldTable,
  groupTable,
  kindTable,
  participationFacts,
  questionsTable,
  satisfactionSummary,
  satisfactionTable,
  sourceTable,
  summaryTable,
  type Table,
} from './tables.ts';

const titled = (t: Table): Cell[][] => [[t.title], ...t.rows, []];

export function reportCsv(report: Report, L: ExportLabels, generatedAt: number): string {
  const summary = summaryTable(report, L, generatedAt);
  const rows: Cell[][] = [
    ...titled(summary),
    ...titled(fieldTable(report, L)),
    [L.export.satisfaction],
    ...satisfactionSummary(report, L),
    ...satisfactionTable(report, L).rows,
    [],
    ...(report.satisfaction.comments.length > 0 ? titled(commentsTable(report, L)) : []),
    [L.export.participation],
    ...participationFacts(report, L),
    [],
    ...titled(groupTable(report, L)),
    ...titled(kindTable(report, L)),
    ...titled(sourceTable(report, L)),
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
    ...rows.map((r) => [r.seq, formatTime(r.at, true), r.roleLabel, r.actorName, r.typeLabel, r.detail]),
  ]);
}
