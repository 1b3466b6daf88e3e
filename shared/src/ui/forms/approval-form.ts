import type { ApprovalResponse, SignoffRequest } from '../../protocol/index.js';
import { storedForm, stringOr } from './form-draft.js';
import { finishResponse, invalid, optionalText, REASON_MISSING, reasonRequired, type BuildResult } from './form-result.js';

/** What the approval view holds while the human decides. */
export interface ApprovalForm {
  /** A picked alternative, or `null` for the action as proposed. */
  alternativeId: string | null;
  reason: string;
}

/** The two buttons of an approval. */
export const ApprovalAction = { approve: 'approve', reject: 'reject' } as const;
export type ApprovalAction = (typeof ApprovalAction)[keyof typeof ApprovalAction];

/** A blank approval form: the action as proposed, no reason yet. */
export function initialApprovalForm(): ApprovalForm {
  return { alternativeId: null, reason: '' };
}

/** The saved form for `request`, keeping only an alternative it still offers. */
export function restoreApprovalForm(request: SignoffRequest<'approval'>, draft: unknown): ApprovalForm {
  const form = storedForm('approval', draft);
  if (!form) return initialApprovalForm();
  const id = form.alternativeId;
  const offered = typeof id === 'string' && request.alternatives?.some((a) => a.id === id);
  return { alternativeId: offered ? id : null, reason: stringOr(form.reason, '') };
}

/**
 * The answer for pressing Approve or Reject. Approving sends the picked alternative
 * (approving the alternative, not the original action); rejecting needs a reason
 * unless the request is low severity.
 */
export function buildApprovalResponse(request: SignoffRequest<'approval'>, form: ApprovalForm, action: ApprovalAction): BuildResult<ApprovalResponse> {
  if (action === ApprovalAction.approve) {
    return finishResponse(request, form.alternativeId ? { approved: true, alternativeId: form.alternativeId } : { approved: true });
  }
  const reason = optionalText(form.reason);
  if (reason === undefined && reasonRequired(request)) return invalid('reason', REASON_MISSING);
  return finishResponse(request, reason === undefined ? { approved: false } : { approved: false, reason });
}
