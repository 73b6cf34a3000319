/**
 * A refusal that names the field it is about (`params.field`: `group`, `questions.0.fieldId`,
 * `officials.2.userId`…): the admin forms show its message next to that field, not only at the top of the form.
 */
import { errorKey } from '../../../shared/i18n/index.ts';

export interface FieldRefusal {
  /** The path the server named, e.g. `officials.0.userId`. */
  field: string;
  key: string;
  values: Record<string, string | number>;
}

type Refused = { ok: false; code: string; params?: Record<string, string | number> };

/** The refusal's field and message, or undefined when the refusal names no field. */
export function refusedField(result: { ok: true } | Refused, messageKey?: string): FieldRefusal | undefined {
  if (result.ok || typeof result.params?.field !== 'string' || result.params.field === '') return undefined;
  return { field: result.params.field, key: messageKey ?? errorKey(result.code), values: result.params };
}

/** Whether the refusal is about this field or something inside it (`questions` covers `questions.0.text`). */
export const isAbout = (refusal: FieldRefusal | undefined, field: string): boolean =>
  refusal !== undefined && (refusal.field === field || refusal.field.startsWith(`${field}.`));
