import type { ZodError } from 'zod';
import { COMMAND_TYPES } from '../../shared/domain/commands.ts';
import type { ErrorCode } from '../../shared/domain/errors.ts';
import type { Failure } from '../../shared/protocol.ts';

/** A zod failure as a typed error: the first issue's path and message, never the input itself. */
export function zodFailure(error: ZodError, raw?: unknown): Failure {
  const type = typeof raw === 'object' && raw !== null && 'type' in raw ? raw.type : undefined;
  if (type !== undefined && !(COMMAND_TYPES as unknown[]).includes(type)) {
    return { ok: false, code: 'unknown_command', message: `unknown command type` };
  }
  const issue = error.issues[0];
  const path = issue?.path.join('.') ?? '';
  const tooBig = issue?.code === 'too_big';
  return {
    ok: false,
    code: 'bad_request',
    message: `${path || 'body'}: ${issue?.message ?? 'invalid'}`,
    params: { field: path, ...(tooBig && 'maximum' in issue ? { max: Number(issue.maximum) } : {}) },
  };
}

const STATUS: Partial<Record<ErrorCode, number>> = {
  bad_request: 400,
  unknown_command: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  duplicate: 409,
  already_carried_over: 409,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
  internal: 500,
};

export const httpStatus = (code: ErrorCode): number => STATUS[code] ?? 422;

/** Thrown inside route handlers for expected failures; the error middleware turns it into JSON. */
export class HttpError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly params?: Record<string, string | number>,
  ) {
    super(message);
  }
}
