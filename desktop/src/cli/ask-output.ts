import { outcomeOf, type ClarificationResponse, type CreateRequestInput, type Decision, type EditResponse } from '@signoff/shared';

/** What `signoff ask` writes: `stdout` is what a script captures, `stderr` explains a refusal. */
export interface AskOutput {
  stdout: string;
  stderr?: string;
}

/** Why there is nothing to print: rejected, expired, cancelled or blocked. */
function refusal(decision: Decision): string {
  const response = decision.response as { reason?: string } | null;
  if (decision.status === 'resolved') return `rejected by ${decision.respondedBy}${response?.reason ? `: ${response.reason}` : ''}`;
  return decision.reason ?? `the request was ${decision.status}`;
}

/**
 * The output for a decision. Approvals and `--json` print the decision as JSON.
 * Otherwise an edit prints the text to use (the edited content, or the draft as
 * it was when accepted), and a clarification prints the answer: the picked option's
 * id, the typed text and/or the form values as JSON, one per line. A refusal
 * prints nothing on stdout and says why on stderr.
 */
export function askOutput(request: CreateRequestInput, decision: Decision, json: boolean): AskOutput {
  if (json || (request.kind !== 'edit' && request.kind !== 'clarification')) return { stdout: `${JSON.stringify(decision, null, 2)}\n` };
  if (outcomeOf(decision) !== 'approved') return { stdout: '', stderr: `signoff: ${refusal(decision)}` };
  if (request.kind === 'edit') {
    const response = decision.response as EditResponse;
    return { stdout: response.action === 'edit' ? (response.content ?? '') : request.draft.content };
  }
  const response = decision.response as ClarificationResponse;
  const lines = [response.optionId, response.text, response.values === undefined ? undefined : JSON.stringify(response.values)];
  return { stdout: `${lines.filter((l) => l !== undefined).join('\n')}\n` };
}
