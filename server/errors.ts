/**
 * Expected failures shared by every adapter (REST, socket.io, minutes) and the services below them: a typed error
 * code from shared/domain/errors.ts, never a raw exception message.
 */
import type { ZodError } from 'zod';
import { CLIENT_COMMAND_TYPES } from '../shared/domain/commands.ts';
import type { ErrorCode } from '../shared/domain/errors.ts';
import type { Failure } from '../shared/protocol.ts';

/** A zod failure as a typed error: the first issue's path and message, never the input itself. */
export function zodFailure(error: ZodError, raw?: unknown): Failure {
  const type = typeof raw === 'object' && raw !== null && 'type' in raw ? raw.type : undefined;
  if (type !== undefined && !(CLIENT_COMMAND_TYPES as readonly unknown[]).includes(type)) {
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

/** Thrown by services and route handlers for expected failures; each adapter turns it into its own reply. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly params?: Record<string, string | number>,
  ) {
    super(message);
  }
}
