import type { ErrorCode } from '../../shared/domain/errors.ts';

const STATUS: Partial<Record<ErrorCode, number>> = {
  bad_request: 400,
  unknown_command: 400,
  unauthorized: 401,
  forbidden: 403,
  not_responsible: 403,
  not_found: 404,
  invalid_invitation: 404,
  duplicate: 409,
  already_carried_over: 409,
  conflict: 409,
  too_large: 413,
  unsupported_file: 415,
  rate_limited: 429,
  internal: 500,
};

/** The HTTP status of a typed error code (422 for a rule of the meeting that refused). */
export const httpStatus = (code: ErrorCode): number => STATUS[code] ?? 422;
