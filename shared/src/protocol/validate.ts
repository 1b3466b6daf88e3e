import type { z } from 'zod';
import { ErrorCode, fail, ok, type Result } from './errors.js';

/**
 * Parses `input` with `schema`; on failure the message names each bad field
 * (`draft.format: Invalid option…`) and `details` lists them for programs.
 */
export function validate<S extends z.ZodType>(schema: S, input: unknown): Result<z.output<S>> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  const issues = parsed.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
  const message = issues
    .slice(0, 5)
    .map((i) => `${i.path}: ${i.message}`)
    .join('; ');
  return fail(ErrorCode.invalid, message, { issues });
}
