/**
 * The report laid out as tables of cells, once, for both the CSV and the XLSX export: the two files hold the same
 * rows and the tests check both against the same numbers.
 */
import type { Cell } from '../../shared/report/csv.ts';
import type { Counts, FieldRow, Report } from '../../shared/report/report.ts';
import { PARTICIPANT_KINDS } from '../../shared/domain/roles.ts';
import { formatTime } from './format.ts';
import type { ExportLabels } from './labels.ts';

export interface Table {
  title: string;
  /** The first row is the header. */
  rows: Cell[][];
}

const COUNT_KEYS = [
  'received',
  'answeredLive',
  'inWriting',
  'writtenDone',
  'writtenPending',
  'overdue',
  'open',
  'merged',
  'hidden',
  'preMeeting',
  'paper',
  'carried',
] as const satisfies ReadonlyArray<keyof Counts>;

export const fieldLabel = (row: Pick<FieldRow, 'fieldId' | 'name' | 'retired'>, L: ExportLabels): string =>
  row.fieldId === null ? L.export.noField : row.retired ? `${row.name} (${L.export.retired})` : row.name;

export function summaryTable(report: Report, L: ExportLabels, generatedAt: number): Table {
  const m = report.meta;
  const E = L.export;
  return {
    title: E.reportTitle,
    rows: [
      [E.session, m.title],
      [E.ward, m.wardName],
      [E.date, m.date],
      [E.time, m.startTime],
      [E.venue, m.venue],
      [E.status, L.status[m.status]],
      [E.figures, m.final ? E.final : E.live],
      [E.generated, formatTime(generatedAt)],
      [E.overdueAsOf, m.today],
    ],
  };
}

export function fieldTable(report: Report, L: ExportLabels): Table {
  const E = L.export;
  return {
    title: E.byField,
    rows: [
      [E.field, ...COUNT_KEYS.map((k) => E[k])],
      ...report.byField.map((r) => [fieldLabel(r, L), ...COUNT_KEYS.map((k) => r[k])]),
      [E.total, ...COUNT_KEYS.map((k) => report.totals[k])],
    ],
  };
}

export function satisfactionTable(report: Report, L: ExportLabels): Table {
  const E = L.export;
  const s = report.satisfaction;
  return {
    title: E.satisfaction,
    rows: [
      [E.criterion, E.answers, E.average, E.score1, E.score2, E.score3, E.score4, E.score5],
      ...s.criteria.map((c) => [
        c.retired ? `${c.label} (${E.retired})` : c.label,
        c.count,
        c.average,
        ...c.distribution,
      ]),
    ],
  };
}

export function satisfactionSummary(report: Report, L: ExportLabels): Cell[][] {
  const E = L.export;
  const s = report.satisfaction;
  return [
    [E.responses, s.responses],
    [`${E.responses} - ${L.source.phone}`, s.bySource.phone],
    [`${E.responses} - ${L.source.paper}`, s.bySource.paper],
    [E.overall, s.overallAverage],
  ];
}

export function commentsTable(report: Report, L: ExportLabels): Table {
  const E = L.export;
  return {
    title: E.comments,
    rows: [
      [E.number, E.receivedAt, E.source, E.text],
      ...report.satisfaction.comments.map((c, i) => [i + 1, formatTime(c.at), L.source[c.source], c.text]),
    ],
  };
}

export function groupTable(report: Report, L: ExportLabels): Table {
  const E = L.export;
  const p = report.participation;
  const total = (pick: (g: (typeof p.byGroup)[number]) => number) =>
    p.byGroup.reduce((n, g) => n + pick(g), 0);
  return {
    title: E.byGroup,
    rows: [
      [
        E.group,
        E.participants,
        ...PARTICIPANT_KINDS.map((k) => L.kind[k]),
        L.source.phone,
        L.source.paper,
        E.questions,
      ],
      ...p.byGroup.map((g) => [
        g.group === null ? E.noGroup : g.group,
        g.participants,
        ...PARTICIPANT_KINDS.map((k) => g.byKind[k]),
        g.bySource.phone,
        g.bySource.paper,
        g.questions,
      ]),
      [
        E.total,
        total((g) => g.participants),
        ...PARTICIPANT_KINDS.map((k) => total((g) => g.byKind[k])),
        total((g) => g.bySource.phone),
        total((g) => g.bySource.paper),
        total((g) => g.questions),
      ],
    ],
  };
}

export function kindTable(report: Report, L: ExportLabels): Table {
  const E = L.export;
  const p = report.participation;
  return {
    title: E.byKind,
    rows: [
      [E.kind, E.count],
      ...PARTICIPANT_KINDS.map((k) => [L.kind[k], p.byKind[k]]),
      [E.total, p.participants],
    ],
  };
}

export function sourceTable(report: Report, L: ExportLabels): Table {
  const E = L.export;
  const p = report.participation;
  return {
    title: E.bySource,
    rows: [
      [E.source, E.count],
      [L.source.phone, p.bySource.phone],
      [L.source.paper, p.bySource.paper],
      [E.total, p.participants],
    ],
  };
}

export function participationFacts(report: Report, L: ExportLabels): Cell[][] {
  const E = L.export;
  const p = report.participation;
  return [
    [E.participants, p.participants],
    [E.groupsRepresented, `${p.groupsRepresented}/${report.meta.groups}`],
    [E.speeches, p.speeches],
  ];
}

export function questionsTable(report: Report, L: ExportLabels): Table {
  const E = L.export;
  return {
    title: E.questionsTitle,
    rows: [
      [
        E.number,
        E.receivedAt,
        E.field,
        E.text,
        E.author,
        E.group,
        E.organisation,
        E.source,
        E.preMeeting,
        E.outcome,
        E.votes,
        E.assignedOfficial,
        E.answeredBy,
        E.answerNote,
        E.dueDate,
        E.overdue,
        E.writtenText,
        E.writtenAt,
        E.mergedInto,
        E.hiddenReason,
        E.carriedFrom,
      ],
      ...report.questions.map((q) => [
        q.number,
        formatTime(q.createdAt),
        fieldLabel({ fieldId: q.fieldId, name: q.fieldName, retired: false }, L),
        q.text,
        q.anonymous ? E.anonymous : (q.authorName ?? ''),
        q.authorGroup ?? '',
        q.authorOrganisation ?? '',
        L.source[q.source],
        q.preMeeting ? E.yes : '',
        L.outcome[q.outcome],
        q.votes,
        q.assignedOfficial ?? '',
        q.answeredBy ?? '',
        q.answerNote ?? '',
        q.dueDate ?? '',
        q.overdue ? E.yes : '',
        q.writtenText ?? '',
        q.writtenAt !== undefined ? formatTime(q.writtenAt) : '',
        q.mergedInto ?? '',
        q.hiddenReason ?? '',
        q.carriedFrom ?? '',
      ]),
    ],
  };
}
