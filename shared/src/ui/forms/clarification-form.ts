import type { ClarificationResponse, SignoffRequest } from '../../protocol/index.js';
import { isRecord, storedForm } from './form-draft.js';
import { finishResponse, optionalText, type BuildResult, type FieldError } from './form-result.js';

/**
 * What the clarification view holds. Field values stay as typed (strings, booleans
 * for checkboxes) so a half-typed number is not lost; they are converted on send.
 */
export interface ClarificationForm {
  optionId: string | null;
  text: string;
  values: Record<string, string | boolean>;
}

type Clarification = SignoffRequest<'clarification'>;

/**
 * Whether a free-form answer may be written. The contract accepts text unless the
 * agent set `allowFreeform: false`, so the box shows unless that is said.
 */
export function freeformAllowed(request: Clarification): boolean {
  return request.allowFreeform !== false;
}

/** A blank form: no option, no text, empty fields and unticked checkboxes. */
export function initialClarificationForm(request: Clarification): ClarificationForm {
  const values: Record<string, string | boolean> = {};
  for (const field of request.fields ?? []) values[field.name] = field.type === 'checkbox' ? false : '';
  return { optionId: null, text: '', values };
}

/** The saved form for `request`; values of fields it no longer has, or of the wrong type, are dropped. */
export function restoreClarificationForm(request: Clarification, draft: unknown): ClarificationForm {
  const form = initialClarificationForm(request);
  const saved = storedForm('clarification', draft);
  if (!saved) return form;
  if (typeof saved.optionId === 'string' && request.options?.some((o) => o.id === saved.optionId)) form.optionId = saved.optionId;
  if (typeof saved.text === 'string') form.text = saved.text;
  const values = isRecord(saved.values) ? saved.values : {};
  for (const field of request.fields ?? []) {
    const value = values[field.name];
    if (typeof value === (field.type === 'checkbox' ? 'boolean' : 'string')) form.values[field.name] = value as string | boolean;
  }
  return form;
}

/**
 * The answer: the picked option, the free text, and the form's values converted
 * to their types. Reports every field problem at once (`values.<name>` paths),
 * then runs the contract's checks.
 */
export function buildClarificationResponse(request: Clarification, form: ClarificationForm): BuildResult<ClarificationResponse> {
  const errors: FieldError[] = [];
  const fields = request.fields ?? [];
  const values: Record<string, string | number | boolean> = {};
  for (const field of fields) {
    const raw = form.values[field.name];
    const path = `values.${field.name}`;
    if (field.type === 'checkbox') {
      values[field.name] = raw === true;
      continue;
    }
    const typed = typeof raw === 'string' ? raw.trim() : '';
    if (typed === '') {
      if (field.required) errors.push({ path, message: `${field.label} is required` });
      continue;
    }
    if (field.type === 'number') {
      const number = Number(typed);
      if (Number.isFinite(number)) values[field.name] = number;
      else errors.push({ path, message: `${field.label} must be a number` });
    } else values[field.name] = typed;
  }
  if (errors.length > 0) return { ok: false, errors };

  const response: ClarificationResponse = {};
  if (form.optionId !== null) response.optionId = form.optionId;
  const text = freeformAllowed(request) ? optionalText(form.text) : undefined;
  if (text !== undefined) response.text = text;
  if (fields.length > 0) response.values = values;
  if (response.optionId === undefined && response.text === undefined && response.values === undefined) {
    const hasOptions = (request.options?.length ?? 0) > 0;
    const message = hasOptions && freeformAllowed(request) ? 'Pick an option or write an answer' : hasOptions ? 'Pick an option' : 'Write an answer';
    return { ok: false, errors: [{ path: hasOptions ? 'optionId' : 'text', message }] };
  }
  return finishResponse(request, response);
}
