import type { Decision } from '@signoff/shared';
import { describe, expect, it } from 'vitest';
import { hookOutput, verdictFor } from './hook-answer.js';
import { clippedArgs, MAX_SHOWN_CHARS } from './shown-input.js';

const decision = (overrides: Partial<Decision>): Decision => ({
  requestId: 'r1',
  status: 'resolved',
  response: { approved: true },
  respondedBy: 'Ada',
  via: 'socket',
  respondedAt: 1,
  waitMs: 1,
  ...overrides,
});

describe('verdictFor', () => {
  it('allows only what a human approved, merging edited arguments into the input', () => {
    expect(verdictFor(decision({}), { command: 'ls' })).toEqual({ decision: 'allow', reason: 'Approved by Ada in Signoff' });
    expect(verdictFor(decision({ response: { approved: true, reason: 'ok', editedArgs: { command: 'ls -a' } } }), { command: 'ls', timeout: 5 })).toEqual({
      decision: 'allow',
      reason: 'Approved by Ada in Signoff: ok (with edited input)',
      updatedInput: { command: 'ls -a', timeout: 5 },
      context: 'The person who approved this in Signoff noted: ok\nThey edited the tool input before approving; it ran with: {"command":"ls -a"}',
    });
  });

  it('runs the uncut content when the person edited other values of a long Write, and asks when they edited the cut one', () => {
    const content = 'y'.repeat(MAX_SHOWN_CHARS + 10);
    const input = { file_path: '/p/a.md', content };
    const shown = clippedArgs(input) as typeof input;
    const renamed = verdictFor(decision({ response: { approved: true, editedArgs: { ...shown, file_path: '/p/b.md' } } }), input);
    expect(renamed).toMatchObject({ decision: 'allow', updatedInput: { file_path: '/p/b.md', content } });
    expect(renamed).toMatchObject({ context: 'They edited the tool input before approving; it ran with: {"file_path":"/p/b.md"}' });
    const cutEdited = verdictFor(decision({ response: { approved: true, editedArgs: { ...shown, content: `${shown.content}!` } } }), input);
    expect(cutEdited).toEqual({
      decision: 'ask',
      reason: 'Ada approved in Signoff with an edit to tool_input.content, which was too long to show whole; the edit cannot be applied safely, so asking here instead.',
    });
  });

  it('never runs the call as proposed when the person picks an alternative; "stop Claude" interrupts', () => {
    expect(verdictFor(decision({ response: { approved: true, alternativeId: 'stop-claude', reason: 'enough' } }), {})).toEqual({
      decision: 'deny',
      interrupt: true,
      reason: "Stopped by Ada in Signoff: enough. Wait for the user's instructions.",
    });
    expect(verdictFor(decision({ response: { approved: true, alternativeId: 'other' } }), {})).toMatchObject({ decision: 'deny' });
  });

  it('denies with the human reason, or the guardrail reason', () => {
    expect(verdictFor(decision({ response: { approved: false, reason: 'no' } }), {})).toEqual({
      decision: 'deny',
      reason: 'Rejected by Ada in Signoff: no. Do not retry this; ask the user how to go on.',
    });
    expect(verdictFor(decision({ status: 'blocked', response: null, respondedBy: 'guardrail', reason: 'card number in the action' }), {})).toEqual({
      decision: 'deny',
      reason: "Blocked by Signoff's guardrail: card number in the action",
    });
  });

  it('asks when nobody answered or the request was cancelled', () => {
    expect(verdictFor(decision({ status: 'expired', response: null, respondedBy: 'timeout', reason: 'No human answered within 5m.' }), {})).toEqual({
      decision: 'ask',
      reason: 'No answer in Signoff before the deadline; asking here instead. No human answered within 5m.',
    });
    expect(verdictFor(decision({ status: 'cancelled', response: null, respondedBy: 'agent' }), {}).decision).toBe('ask');
  });
});

describe('hookOutput', () => {
  it('speaks PreToolUse: permissionDecision with its reason and updatedInput', () => {
    expect(hookOutput('PreToolUse', { decision: 'allow', reason: 'ok', updatedInput: { command: 'ls' } })).toEqual({
      hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'allow', permissionDecisionReason: 'ok', updatedInput: { command: 'ls' } },
    });
    expect(hookOutput('PreToolUse', { decision: 'ask', reason: 'later' })).toEqual({
      hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'ask', permissionDecisionReason: 'later' },
    });
  });

  it('speaks PermissionRequest: decision.behavior, and no decision at all for ask', () => {
    expect(hookOutput('PermissionRequest', { decision: 'allow', reason: 'ok' })).toEqual({
      hookSpecificOutput: { hookEventName: 'PermissionRequest', decision: { behavior: 'allow' } },
    });
    expect(hookOutput('PermissionRequest', { decision: 'deny', reason: 'no' })).toEqual({
      hookSpecificOutput: { hookEventName: 'PermissionRequest', decision: { behavior: 'deny', message: 'no' } },
    });
    expect(hookOutput('PermissionRequest', { decision: 'ask', reason: 'hub down' })).toEqual({ systemMessage: 'Signoff: hub down' });
  });

  it('stops Claude on an interrupting deny, and gives the approver note to Claude on allow', () => {
    expect(hookOutput('PermissionRequest', { decision: 'deny', reason: 'stop', interrupt: true })).toEqual({
      hookSpecificOutput: { hookEventName: 'PermissionRequest', decision: { behavior: 'deny', message: 'stop', interrupt: true } },
    });
    expect(hookOutput('PreToolUse', { decision: 'deny', reason: 'stop', interrupt: true })).toEqual({
      continue: false,
      stopReason: 'stop',
      hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: 'stop' },
    });
    expect(hookOutput('PreToolUse', { decision: 'allow', reason: 'ok', context: 'use port 8080' }).hookSpecificOutput).toMatchObject({ additionalContext: 'use port 8080' });
    expect(hookOutput('PreToolUse', { decision: 'none', reason: 'bypass' })).toEqual({ suppressOutput: true });
  });
});
