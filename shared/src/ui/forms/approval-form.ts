import type { ApprovalResponse, SignoffRequest } from '../../protocol/index.js';
import { checkEditedArgs, EDITED_ARGS_PATH } from './edited-args.js';
import { storedForm, stringOr } from './form-draft.js';
import { finishResponse, invalid, optionalText, REASON_MISSING, reasonRequired, type BuildResult, type FieldError } from './form-result.js';

/** What the approval view holds while the human decides. */
export interface ApprovalForm {
  /** A picked alternative, or `null` for the action as proposed. */
  alternativeId: string | null;
  /** Why not: sent with Reject. */
  reason: string;
  /** An optional word for the agent, sent with Approve (in the response's `reason`). */
  note: string;
  /**
   * The action's arguments as the person is editing them (JSON text), or `null`
   * while they are not editing. Applies only to the action as proposed.
   */
  argsText: string | null;
}

/** The two buttons of an approval. */
export const ApprovalAction = { approve: 'approve', reject: 'reject' } as const;
export type ApprovalAction = (typeof ApprovalAction)[keyof typeof ApprovalAction];

/** Where a problem with the approve note is shown (it travels as `reason`). */
export const NOTE_PATH = 'note';

/** A blank approval form: the action as proposed, no reason, no note, no edits. */
export function initialApprovalForm(): ApprovalForm {
  return { alternativeId: null, reason: '', note: '', argsText: null };
}

/** The saved form for `request`, keeping only an alternative it still offers, and edits only if it has arguments. */
export function restoreApprovalForm(request: SignoffRequest<'approval'>, draft: unknown): ApprovalForm {
  const form = storedForm('approval', draft);
  if (!form) return initialApprovalForm();
  const id = form.alternativeId;
  const offered = typeof id === 'string' && request.alternatives?.some((a) => a.id === id);
  const argsText = request.action?.args && typeof form.argsText === 'string' ? form.argsText : null;
  return { alternativeId: offered ? id : null, reason: stringOr(form.reason, ''), note: stringOr(form.note, ''), argsText };
}

/**
 * The answer for pressing Approve or Reject.
 *
 * Approving sends the note (as `reason`) and either the picked alternative
 * (approving the alternative, not the original action: edited arguments are not
 * sent with it) or, for the action as proposed, the edited arguments when they
 * changed any value. Edits that do not fit the original's shape stop the approval
 * (path `editedArgs`) rather than quietly approving the agent's own arguments.
 *
 * Rejecting sends only the reason (needed unless the request is low severity);
 * the note and any edits are not sent.
 */
export function buildApprovalResponse(request: SignoffRequest<'approval'>, form: ApprovalForm, action: ApprovalAction): BuildResult<ApprovalResponse> {
  if (action === ApprovalAction.approve) {
    const note = optionalText(form.note);
    const response: ApprovalResponse = { approved: true, ...(note === undefined ? {} : { reason: note }) };
    if (form.alternativeId) {
      response.alternativeId = form.alternativeId;
    } else {
      const args = request.action?.args;
      if (args && form.argsText !== null) {
        const check = checkEditedArgs(args, form.argsText);
        if (!check.ok) return { ok: false, errors: check.problems.map((message) => ({ path: EDITED_ARGS_PATH, message })) };
        if (check.changeCount > 0) response.editedArgs = check.value;
      }
    }
    return renameApproveErrors(finishResponse(request, response));
  }
  const reason = optionalText(form.reason);
  if (reason === undefined && reasonRequired(request)) return invalid('reason', REASON_MISSING);
  return finishResponse(request, reason === undefined ? { approved: false } : { approved: false, reason });
}

/**
 * Puts the schema's errors of an approval next to the fields they came from: the
 * note travels as `reason`, and anything inside the edited arguments (too deep, a
 * reserved key under a value the agent sent as null) belongs to the editor.
 */
function renameApproveErrors(result: BuildResult<ApprovalResponse>): BuildResult<ApprovalResponse> {
  if (result.ok) return result;
  const errors = result.errors.map((error): FieldError => {
    if (error.path === 'reason') return { path: NOTE_PATH, message: error.message };
    if (error.path === EDITED_ARGS_PATH || error.path.startsWith(`${EDITED_ARGS_PATH}.`)) return { path: EDITED_ARGS_PATH, message: `${error.path}: ${error.message}` };
    return error;
  });
  return { ok: false, errors };
}
