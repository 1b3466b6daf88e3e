import type { EditResponse, SignoffRequest } from '../../protocol/index.js';
import { storedForm, stringOr } from './form-draft.js';
import { finishResponse, invalid, optionalText, REASON_MISSING, reasonRequired, type BuildResult } from './form-result.js';

/** What the edit view holds: the human's version of the draft and a reason in case they reject it. */
export interface EditForm {
  content: string;
  reason: string;
}

/** The buttons of a draft review: Accept, Save edits, Reject. */
export const EditAction = { accept: 'accept', edit: 'edit', reject: 'reject' } as const;
export type EditAction = (typeof EditAction)[keyof typeof EditAction];

type Edit = SignoffRequest<'edit'>;

/** The form as first shown: the agent's draft, unchanged. */
export function initialEditForm(request: Edit): EditForm {
  return { content: request.draft.content, reason: '' };
}

/** The saved form; a bare string is taken as saved content (a host may store just the text). */
export function restoreEditForm(request: Edit, draft: unknown): EditForm {
  if (typeof draft === 'string') return { content: draft, reason: '' };
  const saved = storedForm('edit', draft);
  if (!saved) return initialEditForm(request);
  return { content: stringOr(saved.content, request.draft.content), reason: stringOr(saved.reason, '') };
}

/**
 * Why `content` cannot be saved as the draft's format, or `null`. Only JSON has
 * rules; the message carries the parser's position so the human can find the slip.
 */
export function draftProblem(format: Edit['draft']['format'], content: string): string | null {
  if (format !== 'json') return null;
  try {
    JSON.parse(content);
    return null;
  } catch (error) {
    return `Not valid JSON: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/**
 * The answer for Accept (the agent's draft as is), Save edits (the human's content,
 * which must parse for a JSON draft) or Reject (with a reason above low severity).
 */
export function buildEditResponse(request: Edit, form: EditForm, action: EditAction): BuildResult<EditResponse> {
  switch (action) {
    case EditAction.accept:
      return finishResponse(request, { action: 'accept' });
    case EditAction.edit: {
      const problem = draftProblem(request.draft.format, form.content);
      if (problem) return invalid('content', problem);
      return finishResponse(request, { action: 'edit', content: form.content });
    }
    case EditAction.reject: {
      const reason = optionalText(form.reason);
      if (reason === undefined && reasonRequired(request)) return invalid('reason', REASON_MISSING);
      return finishResponse(request, reason === undefined ? { action: 'reject' } : { action: 'reject', reason });
    }
  }
}
