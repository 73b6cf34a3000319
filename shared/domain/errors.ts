/** Every error code a client can receive, in one list. Clients translate by code; `message` is English for logs. */
export const ERROR_CODES = [
  'bad_request',
  'unknown_command',
  'unauthorized',
  'forbidden',
  'not_found',
  'session_not_open',
  'session_not_live',
  'session_closed',
  'invalid_transition',
  'invalid_state',
  'not_author',
  'already_answered',
  'not_votable',
  'hand_already_raised',
  'no_floor',
  'minutes_approved',
  'unknown_field',
  'unknown_official',
  'unknown_criterion',
  'not_responsible',
  'answerer_required',
  'authority_required',
  'reason_required',
  'due_date_required',
  'duplicate',
  'already_carried_over',
  'invalid_invitation',
  'rate_limited',
  'too_large',
  'unsupported_file',
  'conflict',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface DomainError {
  code: ErrorCode;
  message: string;
  /** Values for the translated message, e.g. who answered first. */
  params?: Record<string, string | number>;
}

export const fail = (code: ErrorCode, message: string, params?: DomainError['params']): DomainError =>
  params ? { code, message, params } : { code, message };
