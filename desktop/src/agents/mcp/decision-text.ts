import type {
  ApprovalResponse,
  CheckpointResponse,
  ClarificationResponse,
  Decision,
  EditResponse,
  EscalationResponse,
} from '@signoff/shared';
import type { ToolKind } from './tool-definitions.js';

/**
 * What a model reads when a Signoff tool returns: one plain instruction first
 * (go on, do not, use this), then the human's words. An unanswered request is
 * stated as a fact with an instruction, never as an error: models retry errors,
 * and asking again in a loop is exactly what must not happen.
 */

const by = (decision: Decision) => decision.respondedBy;
const quote = (label: string, text: string | undefined) => (text ? `\n${label}: ${text}` : '');

/** The text for a request that ended without a human answer (expired, cancelled, blocked). */
function unanswered(decision: Decision, toolName: string): string {
  if (decision.status === 'blocked') {
    return (
      `Blocked by Signoff's guardrail: ${decision.reason ?? 'the action matched a destructive or sensitive pattern'}. ` +
      'Do not proceed with this action, even if a human approved it. Tell the user it was blocked.'
    );
  }
  const what =
    decision.status === 'cancelled'
      ? 'The request was cancelled before the human answered.'
      : `The human did not answer in time. ${decision.reason ?? ''}`.trim();
  return (
    `${what}\nYou do not have the human's answer, so you do not have permission: do not proceed with this action. ` +
    `Do not call ${toolName} again for the same thing on your own; tell the user it went unanswered and wait for them.`
  );
}

function approvalText(decision: Decision, response: ApprovalResponse): string {
  if (response.approved) {
    const lines = [decision.status === 'expired' ? `${decision.reason ?? 'Approved automatically by the timeout rule.'} You may proceed.` : `Approved by ${by(decision)}. You may proceed.`];
    if (response.editedArgs) lines.push(`Use these arguments instead of yours: ${JSON.stringify(response.editedArgs)}`);
    if (response.alternativeId) lines.push(`The human chose the alternative "${response.alternativeId}": do that instead of the original action.`);
    return lines.join('\n') + quote('Their note', response.reason);
  }
  if (response.alternativeId) {
    return (
      `Rejected by ${by(decision)} in favour of the alternative "${response.alternativeId}". Do not take the original action; take that alternative instead.` +
      quote('Their reason', response.reason)
    );
  }
  return `Rejected by ${by(decision)}. Do not take this action.` + quote('Their reason', response.reason);
}

function clarificationText(decision: Decision, response: ClarificationResponse, options: readonly { id: string; label: string }[]): string {
  const lines = [`${by(decision)} answered.`];
  if (response.optionId !== undefined) {
    const label = options.find((o) => o.id === response.optionId)?.label;
    lines.push(`Chosen option: ${response.optionId}${label ? ` (${label})` : ''}`);
  }
  if (response.text !== undefined) lines.push(`Answer: ${response.text}`);
  if (response.values !== undefined) lines.push(`Form values: ${JSON.stringify(response.values)}`);
  return lines.join('\n');
}

function editText(decision: Decision, response: EditResponse): string {
  if (response.action === 'accept') return `${by(decision)} accepted the draft as it is: use it unchanged.` + quote('Their note', response.reason);
  if (response.action === 'reject') return `${by(decision)} rejected the draft: do not use it.` + quote('Their reason', response.reason);
  return (
    `${by(decision)} edited the draft. Use this version exactly, not yours:` +
    quote('Their note', response.reason) +
    `\n\n${response.content ?? ''}`
  );
}

function checkpointText(decision: Decision, response: CheckpointResponse): string {
  const head = {
    continue: `${by(decision)} says continue as planned.`,
    modify: `${by(decision)} says continue with changes.`,
    abort: `${by(decision)} says abort: stop this task now and do not start the upcoming steps.`,
  }[response.action];
  const skip = response.skipSteps?.length ? `\nSkip these steps: ${response.skipSteps.join('; ')}` : '';
  return head + skip + quote('Their notes', response.notes);
}

function escalationText(decision: Decision, response: EscalationResponse): string {
  const head = {
    takeover: `${by(decision)} is taking over: stop working on this and leave it to them.`,
    continue: `${by(decision)} says continue.`,
    abort: `${by(decision)} says abort: stop this task.`,
    delegate: `${by(decision)} hands this to the agent "${response.targetAgentId ?? ''}": stop working on it yourself.`,
  }[response.action];
  return head + quote('Their guidance', response.guidance);
}

/** Where the decision came from, for {@link decisionText}. */
export interface AskedRequest {
  kind: ToolKind;
  /** The MCP tool that asked (named in the "do not ask again" instruction). */
  toolName: string;
  /** Clarification options, to name the chosen one. */
  options?: readonly { id: string; label: string }[];
}

/** The readable text of a decision for the model that called the tool. */
export function decisionText(asked: AskedRequest, decision: Decision): string {
  const response = decision.response;
  const autoApproved = decision.status === 'expired' && (response as ApprovalResponse | null)?.approved === true;
  if (decision.status !== 'resolved' && !autoApproved) return unanswered(decision, asked.toolName);
  if (response === null) return unanswered(decision, asked.toolName);
  switch (asked.kind) {
    case 'approval':
      return approvalText(decision, response as ApprovalResponse);
    case 'clarification':
      return clarificationText(decision, response as ClarificationResponse, asked.options ?? []);
    case 'edit':
      return editText(decision, response as EditResponse);
    case 'checkpoint':
      return checkpointText(decision, response as CheckpointResponse);
    case 'escalation':
      return escalationText(decision, response as EscalationResponse);
  }
}

/** The text when no hub answered, so nobody was asked. */
export function hubDownText(url: string, problem: string): string {
  return (
    `Signoff could not reach its hub at ${url}, so no human was asked and you do not have permission: do not proceed with this action.\n` +
    `Problem: ${problem}\n` +
    'Tell the user to start the hub (`npx signoff hub` in the Signoff repository, or `npm start` there for the tray app), then ask again.'
  );
}
