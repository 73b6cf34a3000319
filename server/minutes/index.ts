/** Public surface of the minutes module; what the client needs too lives in shared/minutes (closeCodes.ts, schema.ts). */
export { createMinutesServer, minutesDocName, MINUTES_PATH_PREFIX } from './MinutesServer.ts';
export type { MinutesServerHandle } from './MinutesServer.ts';
export type {
  MinutesAccess,
  MinutesGrant,
  MinutesContext,
  MinutesLogger,
  MinutesRelay,
  MinutesServerOptions,
} from './types.ts';
export { buildMinutesDocx, MINUTES_DOCX_MIME } from './docx.ts';
export { renderMinutesHtml } from './html.ts';
export { contentHash, canonicalContent } from './hash.ts';
export { MinutesCloseCode, isPermanentClose } from '../../shared/minutes/closeCodes.ts';
export { buildTemplateUpdate } from './template.ts';
export { fillRecorded } from './fill.ts';
