/**
 * The report laid out as tables of cells, once, for both the CSV and the XLSX export: the two files hold the same
 * rows and the tests check both against the same numbers.
 */
import type { Cell } from '../../shared/report/csv.ts';
import type { Counts, FieldRow, Report } from '../../shared/report/report.ts';
import { PARTICIPANT_KINDS } from '../../shared/domain/roles.ts';
import { exportMoment } from './wardClock.ts';
import { shortDate } from '../../shared/i18n/dates.ts';
import type { Attendance } from '../../shared/report/attendance.ts';
import type { AttendanceWords, ExportLabels } from './labels.ts';

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
  // The hall's figure (shared/report/figures.ts): received − merged − hidden.
  'opinions',
  // Written answers whose delivery to the asker is recorded (issue 13, finding 3).
  'delivered',
  // Issue 13: the plan's other outcomes and the received figure by every channel.
  'upward',
  'outside',
  'phone',
  'speech',
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
      [E.date, shortDate(m.date)],
      [E.time, m.startTime],
      [E.venue, m.venue],
      [E.status, L.status[m.status]],
      [E.figures, m.final ? E.final : E.live],
      [E.generated, exportMoment(generatedAt)],
      [E.overdueAsOf, shortDate(m.today)],
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
      ...report.satisfaction.comments.map((c, i) => [i + 1, exportMoment(c.at), L.source[c.source], c.text]),
    ],
  };
}

/** The procedures respondents used ("thủ tục đã thực hiện"), most used first. */
export function proceduresTable(report: Report, L: ExportLabels): Table {
  const E = L.export;
  return {
    title: E.procedures,
    rows: [
      [E.number, E.procedure, E.respondents],
      ...report.satisfaction.procedures.map((p, i) => [i + 1, p.name, p.count]),
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
    [E.speeches, report.figures.speeches],
    [E.formsCollected, report.figures.formsCollected],
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
        E.authority,
        E.outsideReason,
        E.overdue,
        E.writtenText,
        E.writtenAt,
        E.mergedInto,
        E.hiddenReason,
        E.carriedFrom,
        E.carriedFromNumber,
        E.carriedTo,
        E.carriedToNumber,
      ],
      ...report.questions.map((q) => [
        q.number,
        exportMoment(q.createdAt),
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
        shortDate(q.dueDate),
        q.authority ?? '',
        q.outsideReason ?? '',
        q.overdue ? E.yes : '',
        q.writtenText ?? '',
        q.writtenAt !== undefined ? exportMoment(q.writtenAt) : '',
        q.mergedInto ?? '',
        q.hiddenReason ?? '',
        q.carriedFrom ?? '',
        q.carriedFromNumber ?? '',
        q.carriedTo ?? '',
        q.carriedToNumber ?? '',
      ]),
    ],
  };
}

/**
 * Paper forms handed out and collected, per residential group and per organisation: the rows of the paper tab
 * (shared/report/paperForms.ts) with its totals — by group every form collected, by organisation those naming one.
 */
export function paperFormsTables(report: Report, L: ExportLabels): Table[] {
  const P = L.paper.issued;
  const t = report.paperForms;
  if (t.collected === 0 && t.issued === 0) return [];
  const sum = (rows: typeof t.byGroup, pick: (r: (typeof t.byGroup)[number]) => number) =>
    rows.reduce((n, r) => n + pick(r), 0);
  const named = t.byOrganisation.filter((r) => r.key !== null);
  return [
    {
      title: `${P.title} – ${P.byGroup}`,
      rows: [
        [P.group, P.issued, P.collected],
        ...t.byGroup.map((r) => [r.key ?? P.none, r.issued, r.collected]),
        [P.total, sum(t.byGroup, (r) => r.issued), t.collected],
      ],
    },
    ...(t.byOrganisation.length > 0
      ? [
          {
            title: `${P.title} – ${P.byOrganisation}`,
            rows: [
              [P.organisation, P.issued, P.collected],
              ...t.byOrganisation.map((r) => [r.key ?? P.noneOrganisation, r.issued, r.collected]),
              [P.total, sum(named, (r) => r.issued), sum(named, (r) => r.collected)],
            ],
          },
        ]
      : []),
  ];
}

/** Attendance against invitations per body and residential group, with the panel's figures. */
export function attendanceTable(attendance: Attendance, W: AttendanceWords): Table {
  return {
    title: W.title,
    rows: [
      [W.section, W.present, W.invited],
      ...attendance.rows.map((r) => [W.sectionName(r.section), r.present, r.invited]),
      [W.total, attendance.present, attendance.invited],
    ],
  };
}
