import type { Decision } from '@signoff/shared';
import { describe, expect, it } from 'vitest';
import { decisionText, hubDownText } from './decision-text.js';

const decision = (overrides: Partial<Decision>): Decision => ({
  requestId: 'r1',
  status: 'resolved',
  response: null,
  respondedBy: 'Ada',
  via: 'socket',
  respondedAt: 1,
  waitMs: 1,
  ...overrides,
});
const approval = { kind: 'approval', toolName: 'request_approval' } as const;

describe('decisionText', () => {
  it('approval: a picked alternative says to take it instead of the original action, never just "proceed"', () => {
    const withAlternatives = { ...approval, alternatives: [{ id: 'archive', description: 'Archive them instead' }] };
    expect(decisionText(withAlternatives, decision({ response: { approved: true, alternativeId: 'archive' } }))).toBe(
      'Ada chose the alternative "archive" (Archive them instead) instead of your action. Do not take the original action; take that alternative instead.',
    );
    expect(decisionText(approval, decision({ response: { approved: false, alternativeId: 'archive', reason: 'legal' } }))).toBe(
      'Ada chose the alternative "archive" instead of your action. Do not take the original action; take that alternative instead.\nTheir reason: legal',
    );
  });

  it('approval with edited arguments: proceed only with them', () => {
    expect(decisionText(approval, decision({ response: { approved: true, editedArgs: { count: 500 } } }))).toBe(
      'Approved by Ada. You may proceed, but only with these edited arguments instead of yours, exactly: {"count":500}',
    );
  });

  it('an answer from "the user" (asked through the MCP client) starts its sentence with a capital', () => {
    const ask = { kind: 'clarification', toolName: 'ask_human' } as const;
    expect(decisionText(ask, decision({ respondedBy: 'the user', response: { text: 'yes' } }))).toBe('The user answered.\nAnswer: yes');
  });

  it('approval approved by the timeout rule says so', () => {
    const auto = decision({
      status: 'expired',
      respondedBy: 'timeout',
      response: { approved: true, reason: 'auto-approved: no human answered before the deadline' },
      reason: "No human answered within 4h; approved automatically by the request's onTimeout rule.",
    });
    expect(decisionText(approval, auto)).toMatch(/^No human answered within 4h; approved automatically .* You may proceed\./);
  });

  it('unanswered, cancelled and blocked requests all say: do not proceed, do not ask again', () => {
    const expired = decisionText(approval, decision({ status: 'expired', respondedBy: 'timeout', reason: 'No human answered within 15m. Do not proceed with this action.' }));
    expect(expired).toBe(
      'The human did not answer in time. No human answered within 15m. Do not proceed with this action.\n' +
        "You do not have the human's answer, so you do not have permission: do not proceed with this action. " +
        'Do not call request_approval again for the same thing on your own; tell the user it went unanswered and wait for them.',
    );
    // onTimeout "reject" answers with a rejection; it still reads as unanswered.
    const rejectedByTimeout = decisionText(approval, decision({ status: 'expired', response: { approved: false, reason: 'x' }, reason: 'No human answered within 1h.' }));
    expect(rejectedByTimeout).toMatch(/^The human did not answer in time\./);
    expect(decisionText({ kind: 'checkpoint', toolName: 'checkpoint' }, decision({ status: 'cancelled' }))).toMatch(
      /^The request was cancelled before the human answered\.\n.*do not proceed/,
    );
    expect(decisionText(approval, decision({ status: 'blocked', response: { approved: true }, reason: 'rm -rf / in the action' }))).toBe(
      "Blocked by Signoff's guardrail: rm -rf / in the action. Do not proceed with this action, even if a human approved it. Tell the user it was blocked.",
    );
  });

  it('edit: accepted, rejected', () => {
    const edit = { kind: 'edit', toolName: 'review_draft' } as const;
    expect(decisionText(edit, decision({ response: { action: 'accept' } }))).toBe('Ada accepted the draft as it is: use it unchanged.');
    expect(decisionText(edit, decision({ response: { action: 'reject', reason: 'too long' } }))).toBe(
      'Ada rejected the draft: do not use it.\nTheir reason: too long',
    );
  });

  it('clarification: free text only, option without a known label', () => {
    const ask = { kind: 'clarification', toolName: 'ask_human' } as const;
    expect(decisionText(ask, decision({ response: { text: 'Use the EU format' } }))).toBe('Ada answered.\nAnswer: Use the EU format');
    expect(decisionText(ask, decision({ response: { optionId: 'b' } }))).toBe('Ada answered.\nChosen option: b');
  });

  it('checkpoint and escalation: abort, continue, delegate', () => {
    expect(decisionText({ kind: 'checkpoint', toolName: 'checkpoint' }, decision({ response: { action: 'abort', notes: 'numbers look wrong' } }))).toBe(
      'Ada says abort: stop this task now and do not start the upcoming steps.\nTheir notes: numbers look wrong',
    );
    const escalate = { kind: 'escalation', toolName: 'escalate' } as const;
    expect(decisionText(escalate, decision({ response: { action: 'continue', guidance: 'retry with a clean cache' } }))).toBe(
      'Ada says continue.\nTheir guidance: retry with a clean cache',
    );
    expect(decisionText(escalate, decision({ response: { action: 'delegate', targetAgentId: 'payments-bot' } }))).toBe(
      'Ada hands this to the agent "payments-bot": stop working on it yourself.',
    );
  });
});

describe('hubDownText', () => {
  it('says plainly that no human could be asked, not to proceed, and how to start the hub', () => {
    const text = hubDownText('http://127.0.0.1:7475', 'connection refused');
    expect(text).toMatch(/^No human could be asked: /);
    expect(hubDownText('http://127.0.0.1:7475', 'connection refused', 'cursor')).toContain('and cursor cannot ask the user itself');
    expect(text).toContain('do not proceed');
    expect(text).toContain('`npx signoff hub`');
    expect(text).toContain('`npm start`');
  });
});
