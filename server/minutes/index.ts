/** Public surface of the minutes module; the client-safe parts are closeCodes.ts and schema.ts (no Node imports). */
export { createMinutesServer, minutesDocName, MINUTES_PATH_PREFIX } from './MinutesServer.ts';
export type { MinutesServerHandle } from './MinutesServer.ts';
export type {
  MinutesAccess,
  MinutesContext,
  MinutesLogger,
  MinutesRelay,
  MinutesServerOptions,
} from './types.ts';
export { buildMinutesDocx, MINUTES_DOCX_MIME } from './docx.ts';
export { renderMinutesHtml } from './html.ts';
export { contentHash, canonicalContent } from './hash.ts';
export { MinutesCloseCode, isPermanentClose } from './closeCodes.ts';
export { buildTemplateUpdate } from './template.ts';
