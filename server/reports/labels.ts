/** The words of the exports, in the language asked for (`?lang=en`; Vietnamese by default), from the admin dictionary. */
import adminMessages, { type AdminMessages } from '../../shared/i18n/admin.ts';
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
    words: L.audit.words,
  };
}
