import type { Decision } from '@signoff/shared';
import { outcomeOf } from '@signoff/shared/protocol/outcome';
import { applyEditedInput } from './edited-input.js';
import { HookEvent } from './hook-event.js';

/**
 * What the hook tells Claude Code. `allow` and `deny` come only from a human (or
 * Signoff's guardrail, or a rule the user chose: `--allow-read-only`, the session's
 * permission mode); anything else — no hub, no answer in time, a cancelled
 * request, unreadable input — is `ask`, so Claude Code shows its own prompt.
 * `none` gives no decision at all: Claude Code's own permission mode decides
 * (used for `bypassPermissions` and `dontAsk`, where nobody is there to ask).
 *
 * Output shapes follow the hooks reference, https://code.claude.com/docs/en/hooks
 * ("PreToolUse decision control", "PermissionRequest decision control"):
 * - PreToolUse: `hookSpecificOutput.permissionDecision` allow | deny | ask;
 *   `permissionDecisionReason` is shown to the person for allow/ask and to Claude for
 *   deny; `updatedInput` replaces the tool input on allow; `additionalContext` is
 *   added to Claude's context.
 * - PermissionRequest: `hookSpecificOutput.decision` `{ behavior: 'allow', updatedInput? }`
 *   or `{ behavior: 'deny', message?, interrupt? }` (`message` tells Claude why;
 *   `interrupt: true` stops Claude). It has no "ask": no decision leaves the dialog to the person.
 * - Common: `continue: false` with `stopReason` stops Claude after the hook.
 */
export type HookVerdict =
  | {
      decision: 'allow';
      reason: string;
      updatedInput?: Record<string, unknown>;
      /** For Claude: the approver's note, or what changed in the input. */
      context?: string;
    }
  | {
      decision: 'deny';
      reason: string;
      /** The person chose to stop Claude, not just this call. */
      interrupt?: boolean;
    }
  | { decision: 'ask'; reason: string }
  | { decision: 'none'; reason: string };

/** The alternative offered with every approval: reject and stop Claude's turn. */
export const STOP_ALTERNATIVE = { id: 'stop-claude', description: 'Reject and stop Claude here (interrupt its turn)' } as const;

/** The verdict for a decision on the approval request made for `toolInput`. */
export function verdictFor(decision: Decision, toolInput: Record<string, unknown>): HookVerdict {
  const response = (decision.response ?? {}) as { approved?: boolean; reason?: string; editedArgs?: Record<string, unknown>; alternativeId?: string };
  const note = response.reason ? `: ${response.reason}` : '';
  if (decision.status !== 'blocked' && response.alternativeId !== undefined) {
    // An alternative is never the call as proposed: it must not run (issue 9, point 1's lesson).
    if (response.alternativeId === STOP_ALTERNATIVE.id) {
      return { decision: 'deny', interrupt: true, reason: `Stopped by ${decision.respondedBy} in Signoff${note}. Wait for the user's instructions.` };
    }
    return { decision: 'deny', reason: `${decision.respondedBy} chose another way in Signoff (${response.alternativeId})${note}. Ask the user how to go on.` };
  }
  switch (outcomeOf(decision)) {
    case 'approved': {
      const edited = response.editedArgs;
      const applied = edited ? applyEditedInput(toolInput, edited) : undefined;
      if (applied && !applied.ok) {
        return {
          decision: 'ask',
          reason: `${decision.respondedBy} approved in Signoff with an edit to ${applied.path}, which was too long to show whole; the edit cannot be applied safely, so asking here instead.`,
        };
      }
      const context = [
        response.reason ? `The person who approved this in Signoff noted: ${response.reason}` : '',
        applied?.ok ? `They edited the tool input before approving; it ran with: ${JSON.stringify(changedValues(applied.input, toolInput))}` : '',
      ]
        .filter(Boolean)
        .join('\n');
      return {
        decision: 'allow',
        reason: `Approved by ${decision.respondedBy} in Signoff${note}${edited ? ' (with edited input)' : ''}`,
        ...(applied?.ok ? { updatedInput: applied.input } : {}),
        ...(context ? { context } : {}),
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
 * The JSON printed on stdout for `event` — the event name Claude Code sent, echoed
 * in `hookSpecificOutput.hookEventName` (see the shapes above).
 */
export function hookOutput(event: HookEvent, verdict: HookVerdict): Record<string, unknown> {
  const stop = verdict.decision === 'deny' && verdict.interrupt ? { continue: false, stopReason: verdict.reason } : {};
  if (verdict.decision === 'none') return { suppressOutput: true };
  if (event === HookEvent.preToolUse) {
    return {
      ...stop,
      hookSpecificOutput: {
        hookEventName: event,
        permissionDecision: verdict.decision,
        permissionDecisionReason: verdict.reason,
        ...(verdict.decision === 'allow' && verdict.updatedInput ? { updatedInput: verdict.updatedInput } : {}),
        ...(verdict.decision === 'allow' && verdict.context ? { additionalContext: verdict.context } : {}),
      },
    };
  }
  if (verdict.decision === 'ask') return { systemMessage: `Signoff: ${verdict.reason}` };
  if (verdict.decision === 'allow') {
    return {
      // PermissionRequest has no field for Claude on allow; the person sees the note.
      ...(verdict.context ? { systemMessage: `Signoff: ${verdict.context}` } : {}),
      hookSpecificOutput: {
        hookEventName: event,
        decision: { behavior: 'allow', ...(verdict.updatedInput ? { updatedInput: verdict.updatedInput } : {}) },
      },
    };
  }
  return {
    hookSpecificOutput: {
      hookEventName: event,
      decision: { behavior: 'deny', message: verdict.reason, ...(verdict.interrupt ? { interrupt: true } : {}) },
    },
  };
}

/** The values of `input` that differ from `original`: what Claude is told changed (not a long content it already knows). */
function changedValues(input: Record<string, unknown>, original: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(original[key])));
}
