import type { z } from 'zod';
import { AppError } from '../errors.ts';
import { zodFailure } from '../errors.ts';

/** Parses a request body or throws a typed `bad_request` naming the first bad field. */
export function parse<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const failure = zodFailure(result.error);
  throw new AppError(failure.code, failure.message, failure.params);
}
