import type { ExternalResponse, SignoffRequest } from '../../protocol/index.js';
import { storedForm, stringOr } from './form-draft.js';
import { finishResponse, invalid, type BuildResult } from './form-result.js';

/** What the external-tool view holds: the result as pasted. */
export interface ExternalForm {
  result: string;
}

type External = SignoffRequest<'external'>;

/** Nothing pasted yet. */
export function initialExternalForm(): ExternalForm {
  return { result: '' };
}

/** The saved pasted result, if it is a string. */
export function restoreExternalForm(_request: External, draft: unknown): ExternalForm {
  return { result: stringOr(storedForm('external', draft)?.result, '') };
}

/**
 * A pasted result as the agent should get it: parsed JSON when it is JSON (a tool
 * printed `{"passed": 12}`), otherwise the text itself (a tool printed a log).
 */
export function parseToolResult(text: string): unknown {
  try {
    return JSON.parse(text.trim()) as unknown;
  } catch {
    return text;
  }
}

/** The answer carrying the pasted result; an empty result is refused. */
export function buildExternalResponse(request: External, form: ExternalForm): BuildResult<ExternalResponse> {
  if (form.result.trim() === '') return invalid('result', "Paste the tool's result");
  return finishResponse(request, { result: parseToolResult(form.result) });
}
