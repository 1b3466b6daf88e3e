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

/** The fields of a decision its text reads; a decision elicited by the MCP client has no hub id. */
export type DecisionLike = Pick<Decision, 'status' | 'response' | 'respondedBy' | 'reason'>;

const by = (decision: DecisionLike) => decision.respondedBy;
/** `respondedBy` at the start of a sentence ("the user" → "The user"). */
const By = (decision: DecisionLike) => by(decision).charAt(0).toUpperCase() + by(decision).slice(1);
const quote = (label: string, text: string | undefined) => (text ? `\n${label}: ${text}` : '');

/** The text for a request that ended without a human answer (expired, cancelled, blocked). */
function unanswered(decision: DecisionLike, toolName: string): string {
  if (decision.status === 'blocked') {
    return (
      `Blocked by Signoff's guardrail: ${decision.reason ?? 'the action matched a destructive or sensitive pattern'}. ` +
      'Do not proceed with this action, even if a human approved it. Tell the user it was blocked.'
    );
  }
  const what =
    decision.status === 'cancelled'
      ? `The request was cancelled before the human answered. ${decision.reason ?? ''}`.trim()
      : `The human did not answer in time. ${decision.reason ?? ''}`.trim();
  return (
    `${what}\nYou do not have the human's answer, so you do not have permission: do not proceed with this action. ` +
    `Do not call ${toolName} again for the same thing on your own; tell the user it went unanswered and wait for them.`
  );
}

function approvalText(decision: DecisionLike, response: ApprovalResponse, alternatives: readonly { id: string; description: string }[]): string {
  if (response.alternativeId) {
    const described = alternatives.find((a) => a.id === response.alternativeId)?.description;
    const alternative = `"${response.alternativeId}"${described ? ` (${described})` : ''}`;
    return (
      `${By(decision)} chose the alternative ${alternative} instead of your action. Do not take the original action; take that alternative instead.` +
      quote(response.approved ? 'Their note' : 'Their reason', response.reason)
    );
  }
  if (!response.approved) return `Rejected by ${by(decision)}. Do not take this action.` + quote('Their reason', response.reason);
  const head = decision.status === 'expired' ? (decision.reason ?? 'Approved automatically by the timeout rule.') : `Approved by ${by(decision)}.`;
  const go = response.editedArgs
    ? ` You may proceed, but only with these edited arguments instead of yours, exactly: ${JSON.stringify(response.editedArgs)}`
    : ' You may proceed.';
  return head + go + quote('Their note', response.reason);
}

function clarificationText(decision: DecisionLike, response: ClarificationResponse, options: readonly { id: string; label: string }[]): string {
  const lines = [`${By(decision)} answered.`];
  if (response.optionId !== undefined) {
    const label = options.find((o) => o.id === response.optionId)?.label;
    lines.push(`Chosen option: ${response.optionId}${label ? ` (${label})` : ''}`);
  }
  if (response.text !== undefined) lines.push(`Answer: ${response.text}`);
  if (response.values !== undefined) lines.push(`Form values: ${JSON.stringify(response.values)}`);
  return lines.join('\n');
}

function editText(decision: DecisionLike, response: EditResponse): string {
  if (response.action === 'accept') return `${By(decision)} accepted the draft as it is: use it unchanged.` + quote('Their note', response.reason);
  if (response.action === 'reject') return `${By(decision)} rejected the draft: do not use it.` + quote('Their reason', response.reason);
  return (
    `${By(decision)} edited the draft. Use this version exactly, not yours:` +
    quote('Their note', response.reason) +
    `\n\n${response.content ?? ''}`
  );
}

function checkpointText(decision: DecisionLike, response: CheckpointResponse): string {
  const head = {
    continue: `${By(decision)} says continue as planned.`,
    modify: `${By(decision)} says continue with changes.`,
    abort: `${By(decision)} says abort: stop this task now and do not start the upcoming steps.`,
  }[response.action];
  const skip = response.skipSteps?.length ? `\nSkip these steps: ${response.skipSteps.join('; ')}` : '';
  return head + skip + quote('Their notes', response.notes);
}

function escalationText(decision: DecisionLike, response: EscalationResponse): string {
  const head = {
    takeover: `${By(decision)} is taking over: stop working on this and leave it to them.`,
    continue: `${By(decision)} says continue.`,
    abort: `${By(decision)} says abort: stop this task.`,
    delegate: `${By(decision)} hands this to the agent "${response.targetAgentId ?? ''}": stop working on it yourself.`,
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
  /** Approval alternatives, to describe the chosen one. */
  alternatives?: readonly { id: string; description: string }[];
}

/** The readable text of a decision for the model that called the tool. */
export function decisionText(asked: AskedRequest, decision: DecisionLike): string {
  const response = decision.response;
  const autoApproved = decision.status === 'expired' && (response as ApprovalResponse | null)?.approved === true;
  if (decision.status !== 'resolved' && !autoApproved) return unanswered(decision, asked.toolName);
  if (response === null) return unanswered(decision, asked.toolName);
  switch (asked.kind) {
    case 'approval':
      return approvalText(decision, response as ApprovalResponse, asked.alternatives ?? []);
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

/**
 * The instruction when no human could be asked: the hub did not answer and the
 * MCP client could not ask the user itself. `clientCannotAsk` names the client
 * when asking through it was possible for this tool but it lacks elicitation.
 */
export function hubDownText(url: string, problem: string, clientCannotAsk?: string): string {
  const client = clientCannotAsk ? ` and ${clientCannotAsk} cannot ask the user itself (it does not support MCP elicitation)` : '';
  return (
    `No human could be asked: Signoff could not reach its hub at ${url}${client}. You do not have permission: do not proceed with this action.\n` +
    `Problem: ${problem}\n` +
    'Tell the user to start the hub (`npx signoff hub` in the Signoff repository, or `npm start` there for the tray app), then ask again.'
  );
}

/** The instruction when the hub took the request but the connection was lost before an answer came. */
export function answerLostText(url: string, problem: string): string {
  return (
    `Signoff lost its hub at ${url} before a human answered, so you have no answer and no permission: do not proceed with this action.\n` +
    `Problem: ${problem}\n` +
    'Tell the user, and ask again once the hub is running (`npx signoff hub` in the Signoff repository, or `npm start` there).'
  );
}
