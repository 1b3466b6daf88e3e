import { checkResponseFits, RESPONSE_SCHEMAS, type RequestKind, type ResponseOfKind, type SignoffRequest } from '../../protocol/index.js';

/** A problem with the form, named by the response field it concerns (`reason`, `values.cpus`). */
export interface FieldError {
  path: string;
  message: string;
}

/**
 * What building a response from form state gives: the response to send, or every
 * problem to show next to its field. Forms never throw for bad input.
 */
export type BuildResult<R> = { ok: true; response: R } | { ok: false; errors: FieldError[] };

/** A failed {@link BuildResult} with one error. */
export const invalid = (path: string, message: string): { ok: false; errors: FieldError[] } => ({ ok: false, errors: [{ path, message }] });

/**
 * The last check before sending: the kind's response schema (what the hub will
 * parse) and {@link checkResponseFits} (what the hub will check against the request),
 * so a mistake shows next to the field instead of coming back as a 400.
 */
export function finishResponse<K extends RequestKind>(request: SignoffRequest<K>, response: unknown): BuildResult<ResponseOfKind<K>> {
  const schema = RESPONSE_SCHEMAS[request.kind as K];
  const parsed = schema.safeParse(response);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || 'form', message: issue.message })),
    };
  }
  const misfit = checkResponseFits(request as SignoffRequest, parsed.data);
  if (misfit) return invalid(misfit.path, misfit.message);
  return { ok: true, response: parsed.data as ResponseOfKind<K> };
}

/** The first error for `path`, to show beside that field. */
export function errorAt(errors: readonly FieldError[] | undefined, path: string): string | undefined {
  return errors?.find((e) => e.path === path)?.message;
}

/**
 * Whether saying no needs a reason. The agent acts on the reason, and above low
 * severity a bare "no" leaves it guessing; low-severity chores may be waved off.
 */
export function reasonRequired(request: Pick<SignoffRequest, 'severity'>): boolean {
  return request.severity !== 'low';
}

/** Trimmed text, or `undefined` when nothing but whitespace was typed (optional fields stay absent). */
export function optionalText(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** The message shown when a required rejection reason is missing. */
export const REASON_MISSING = 'Give a reason: the agent reads it to decide what to do instead';
