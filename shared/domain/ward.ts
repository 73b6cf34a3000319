import type { Criterion, Field, Official } from './types.ts';

/** The ward's standing settings; a new session copies them. Edited by office staff in the admin surface. */
export interface WardProfile {
  /** e.g. "Phường Kiến Hưng" */
  name: string;
  /** e.g. "UBND quận Hà Đông"; a ward People's Committee usually has none in the document header. */
  parentBody?: string;
  /** The place name for dates in documents, e.g. "Kiến Hưng". */
  place: string;
  address?: string;
  groups: number;
  fields: Field[];
  officials: Official[];
  criteria: Criterion[];
  /** The address phones use, in every QR code and printed link (e.g. http://192.168.1.20:3000); set on the admin page. */
  joinAddress?: string;
}
