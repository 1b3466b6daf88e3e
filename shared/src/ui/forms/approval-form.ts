import { checkResponseFits, grantPatternProblem, GrantDuration, GrantScope, type ApprovalResponse, type Remember, type SignoffRequest } from '../../protocol/index.js';
import { checkEditedArgs, EDITED_ARGS_PATH } from './edited-args.js';
import { isRecord, storedForm, stringOr } from './form-draft.js';
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
  /** "Always allow this": off unless the person turns it on. */
  remember: RememberForm;
}

/** The "Always allow this" controls as the person sets them. */
export interface RememberForm {
  on: boolean;
  for: GrantDuration;
  /** `run` is offered only for a request with a `runId`; {@link rememberScopes}. */
  scope: GrantScope;
  /**
   * For a shell command: the pattern as edited, or `null` while untouched (the exact
   * command). Ignored for other actions.
   */
  pattern: string | null;
}

/** The two buttons of an approval. */
export const ApprovalAction = { approve: 'approve', reject: 'reject' } as const;
export type ApprovalAction = (typeof ApprovalAction)[keyof typeof ApprovalAction];

/** Where a problem with the approve note is shown (it travels as `reason`). */
export const NOTE_PATH = 'note';

/** Where problems with "Always allow this" are shown: the control as a whole, and the pattern field. */
export const REMEMBER_PATH = 'remember';
export const REMEMBER_PATTERN_PATH = 'remember.pattern';

/** "Always allow this" off, for an hour, for the narrowest scope; the caller narrows the scope per request ({@link initialApprovalFormFor}). */
const REMEMBER_OFF: RememberForm = { on: false, for: GrantDuration.hour, scope: GrantScope.agent, pattern: null };

/** A blank approval form: the action as proposed, no reason, no note, no edits, nothing remembered. */
export function initialApprovalForm(): ApprovalForm {
  return { alternativeId: null, reason: '', note: '', argsText: null, remember: { ...REMEMBER_OFF } };
}

/** A blank form for `request`: like {@link initialApprovalForm}, with "always allow" scoped to the run when there is one. */
export function initialApprovalFormFor(request: SignoffRequest<'approval'>): ApprovalForm {
  const form = initialApprovalForm();
  return { ...form, remember: { ...form.remember, scope: rememberScopes(request)[0]! } };
}

/** Scopes "always allow" may have for `request`, narrowest first: this run only when it has one. */
export function rememberScopes(request: Pick<SignoffRequest, 'runId'>): GrantScope[] {
  return request.runId ? [GrantScope.run, GrantScope.agent] : [GrantScope.agent];
}

/** The shell command a grant for `request` would match (`action.args.command`), or `null`. */
export function commandOf(request: SignoffRequest<'approval'>): string | null {
  const command = request.action?.args?.command;
  return typeof command === 'string' ? command : null;
}

/**
 * Why "Always allow this" cannot go with this request at all (critical,
 * irreversible), or `null`. Asks the contract's own check with a plain approval,
 * so the UI never offers what the hub would refuse.
 */
export function rememberUnavailable(request: SignoffRequest<'approval'>): string | null {
  return checkResponseFits(request, { approved: true, remember: { for: REMEMBER_OFF.for, scope: REMEMBER_OFF.scope } })?.message ?? null;
}

/**
 * Why "Always allow this" cannot go with the approval as the form stands (a picked
 * alternative, edited arguments), or `null`. Same contract check as the hub's.
 */
export function rememberBlocked(request: SignoffRequest<'approval'>, form: ApprovalForm): string | null {
  const trial: Record<string, unknown> = { approved: true, remember: { for: form.remember.for, scope: form.remember.scope } };
  if (form.alternativeId !== null) trial.alternativeId = form.alternativeId;
  else if (editsPending(request, form)) trial.editedArgs = {};
  return checkResponseFits(request, trial)?.message ?? null;
}

/** The pattern field's problem (live, as the person types), or `null`; only for shell commands. */
export function rememberPatternProblem(request: SignoffRequest<'approval'>, pattern: string): string | null {
  const command = commandOf(request);
  return command === null ? null : grantPatternProblem(command, pattern);
}

/** Whether the arguments editor is open with changes (or text that does not read): an approval that would not be "as proposed". */
function editsPending(request: SignoffRequest<'approval'>, form: ApprovalForm): boolean {
  const args = request.action?.args;
  if (!args || form.argsText === null) return false;
  const check = checkEditedArgs(args, form.argsText);
  return !check.ok || check.changeCount > 0;
}

/** What `remember` the form sends with Approve, or `undefined` (off, or blocked by an alternative or edits). */
function rememberToSend(request: SignoffRequest<'approval'>, form: ApprovalForm): Remember | undefined {
  if (!form.remember.on || rememberBlocked(request, form) !== null) return undefined;
  const { for: duration, scope, pattern } = form.remember;
  const command = commandOf(request);
  const widened = command !== null && pattern !== null && pattern.trim() !== command.trim() ? pattern.trim() : undefined;
  return { for: duration, scope, ...(widened === undefined ? {} : { pattern: widened }) };
}

function restoreRemember(request: SignoffRequest<'approval'>, saved: unknown): RememberForm {
  const base = initialApprovalFormFor(request).remember;
  if (!isRecord(saved)) return base;
  const durations: readonly unknown[] = Object.values(GrantDuration);
  const scopes: readonly unknown[] = rememberScopes(request);
  return {
    on: saved.on === true,
    for: durations.includes(saved.for) ? (saved.for as GrantDuration) : base.for,
    scope: scopes.includes(saved.scope) ? (saved.scope as GrantScope) : base.scope,
    pattern: commandOf(request) !== null && typeof saved.pattern === 'string' ? saved.pattern : null,
  };
}

/** The saved form for `request`, keeping only an alternative it still offers, and edits only if it has arguments. */
export function restoreApprovalForm(request: SignoffRequest<'approval'>, draft: unknown): ApprovalForm {
  const form = storedForm('approval', draft);
  if (!form) return initialApprovalFormFor(request);
  const id = form.alternativeId;
  const offered = typeof id === 'string' && request.alternatives?.some((a) => a.id === id);
  const argsText = request.action?.args && typeof form.argsText === 'string' ? form.argsText : null;
  return {
    alternativeId: offered ? id : null,
    reason: stringOr(form.reason, ''),
    note: stringOr(form.note, ''),
    argsText,
    remember: restoreRemember(request, form.remember),
  };
}

/**
 * The answer for pressing Approve or Reject.
 *
 * Approving sends the note (as `reason`) and either the picked alternative
 * (approving the alternative, not the original action: edited arguments are not
 * sent with it) or, for the action as proposed, the edited arguments when they
 * changed any value. Edits that do not fit the original's shape stop the approval
 * (path `editedArgs`) rather than quietly approving the agent's own arguments.
 * With "Always allow this" on, the approval of the action as proposed carries
 * `remember` (a pattern only when the person widened the exact command); with an
 * alternative or edits it is not sent (the view says why).
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
      const remember = rememberToSend(request, form);
      if (remember) response.remember = remember;
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
