import type { EscalationResponse, SignoffRequest } from '../../protocol/index.js';
import { storedForm, stringOr } from './form-draft.js';
import { finishResponse, invalid, optionalText, type BuildResult } from './form-result.js';

/** What the escalation view holds. */
export interface EscalationForm {
  guidance: string;
  targetAgentId: string;
}

/** The buttons of an escalation; they map one to one onto the response's `action`. */
export const EscalationAction = { takeover: 'takeover', continue: 'continue', abort: 'abort', delegate: 'delegate' } as const;
export type EscalationAction = (typeof EscalationAction)[keyof typeof EscalationAction];

type Escalation = SignoffRequest<'escalation'>;

/** No guidance, no target yet. */
export function initialEscalationForm(): EscalationForm {
  return { guidance: '', targetAgentId: '' };
}

/** The saved guidance and target, where they are strings. */
export function restoreEscalationForm(_request: Escalation, draft: unknown): EscalationForm {
  const saved = storedForm('escalation', draft);
  return { guidance: stringOr(saved?.guidance, ''), targetAgentId: stringOr(saved?.targetAgentId, '') };
}

/**
 * The answer for Take over, Continue, Abort or Delegate. The agent escalated because
 * it is stuck, so "continue" without guidance would only send it back into the wall:
 * guidance is required there. Delegating needs the agent to hand over to.
 */
export function buildEscalationResponse(request: Escalation, form: EscalationForm, action: EscalationAction): BuildResult<EscalationResponse> {
  const guidance = optionalText(form.guidance);
  if (action === EscalationAction.continue && guidance === undefined) {
    return invalid('guidance', 'Write guidance: the agent is stuck and needs to know how to go on');
  }
  const response: EscalationResponse = { action };
  if (guidance !== undefined) response.guidance = guidance;
  if (action === EscalationAction.delegate) {
    const target = optionalText(form.targetAgentId);
    if (target === undefined) return invalid('targetAgentId', 'Name the agent to delegate to');
    response.targetAgentId = target;
  }
  return finishResponse(request, response);
}
