/** The words of the exports, in the language asked for (`?lang=en`; Vietnamese by default), from the admin dictionary. */
import adminMessages, { type AdminMessages } from '../../shared/i18n/admin.ts';
import invitationMessages from '../../shared/i18n/invitations.ts';
import { formatMessage } from '../../shared/i18n/runtime.ts';
import type { Section } from '../../shared/invitations/invitees.ts';
import type { AuditLabels } from '../../shared/report/audit.ts';

export type ExportLanguage = 'vi' | 'en';
export type ExportLabels = AdminMessages;

export const exportLanguage = (value: unknown): ExportLanguage => (value === 'en' ? 'en' : 'vi');

export const exportLabels = (lang: ExportLanguage): ExportLabels => adminMessages[lang].admin;

export function auditLabels(lang: ExportLanguage): AuditLabels {
  const L = exportLabels(lang);
  return {
    type: L.audit.type,
    role: L.role,
    status: L.status,
    kind: L.kind,
    source: L.source,
    mode: L.mode,
    delivery: L.delivery,
    words: L.audit.words,
  };
}

/** The words of the attendance table (the invitee list's dictionary): its headings and each section's name. */
export interface AttendanceWords {
  title: string;
  section: string;
  invited: string;
  present: string;
  total: string;
  sectionName(section: Section): string;
}

export function attendanceWords(lang: ExportLanguage): AttendanceWords {
  const I = invitationMessages[lang].invite;
  return {
    ...I.attendance,
    sectionName: (s) =>
      s.kind === 'group' ? formatMessage(I.group, { n: s.group }, lang) : I.category[s.category],
  };
}
