import { outcomeOf, type Decision } from '@signoff/shared';
import { HookEvent } from './hook-payload.js';

/**
 * What the hook tells Claude Code. `allow` and `deny` come only from a human (or
 * Signoff's guardrail); anything else — no hub, no answer in time, a cancelled
 * request, unreadable input — is `ask`, so Claude Code shows its own prompt.
 * The hook never allows on its own, except for read-only calls the user let through.
 */
export type HookVerdict =
  | { decision: 'allow'; reason: string; updatedInput?: Record<string, unknown> }
  | { decision: 'deny'; reason: string }
  | { decision: 'ask'; reason: string };

/** The verdict for a decision on the request made for `toolInput`. */
export function verdictFor(decision: Decision, toolInput: Record<string, unknown>): HookVerdict {
  const response = (decision.response ?? {}) as { approved?: boolean; reason?: string; editedArgs?: Record<string, unknown> };
  const note = response.reason ? `: ${response.reason}` : '';
  switch (outcomeOf(decision)) {
    case 'approved': {
      const edited = response.editedArgs;
      return {
        decision: 'allow',
        reason: `Approved by ${decision.respondedBy} in Signoff${note}${edited ? ' (with edited input)' : ''}`,
        ...(edited ? { updatedInput: { ...toolInput, ...edited } } : {}),
      };
    }
    case 'rejected':
      return decision.status === 'blocked'
        ? { decision: 'deny', reason: `Blocked by Signoff's guardrail: ${decision.reason ?? 'a destructive or sensitive pattern'}` }
        : { decision: 'deny', reason: `Rejected by ${decision.respondedBy} in Signoff${note}. Do not retry this; ask the user how to go on.` };
    case 'expired':
      return {
        decision: 'ask',
        reason:
          decision.status === 'cancelled'
            ? 'The Signoff request was cancelled before anyone answered; asking here instead.'
            : `No answer in Signoff before the deadline; asking here instead. ${decision.reason ?? ''}`.trim(),
      };
  }
}

/**
 * The JSON printed on stdout. PreToolUse: `permissionDecision` allow | deny | ask.
 * PermissionRequest: `decision.behavior` allow | deny; it has no "ask", so the
 * fallback is no decision at all (Claude Code then shows its dialog) with a message.
 */
export function hookOutput(event: HookEvent, verdict: HookVerdict): Record<string, unknown> {
  const updatedInput = verdict.decision === 'allow' && verdict.updatedInput ? { updatedInput: verdict.updatedInput } : {};
  if (event === HookEvent.preToolUse) {
    return {
      hookSpecificOutput: {
        hookEventName: HookEvent.preToolUse,
        permissionDecision: verdict.decision,
        permissionDecisionReason: verdict.reason,
        ...updatedInput,
      },
    };
  }
  if (verdict.decision === 'ask') return { systemMessage: `Signoff: ${verdict.reason}` };
  return {
    hookSpecificOutput: {
      hookEventName: HookEvent.permissionRequest,
      decision: verdict.decision === 'allow' ? { behavior: 'allow', ...updatedInput } : { behavior: 'deny', message: verdict.reason },
    },
  };
}
