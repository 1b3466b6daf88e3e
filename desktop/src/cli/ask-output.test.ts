import type { CreateRequestInput, Decision } from '@signoff/shared';
import { describe, expect, it } from 'vitest';
import { askOutput } from './ask-output.js';

const decision = (overrides: Partial<Decision>): Decision => ({
  requestId: 'r1',
  status: 'resolved',
  response: null,
  respondedBy: 'Ada',
  via: 'rest',
  respondedAt: 1,
  waitMs: 1,
  ...overrides,
});
const edit: CreateRequestInput = { kind: 'edit', title: 'Reply', draft: { format: 'text', content: 'Draft text' } };
const question: CreateRequestInput = { kind: 'clarification', title: 'Which?', options: [{ id: 'a', label: 'A' }] };

describe('askOutput', () => {
  it('prints approvals, and anything with --json, as the decision JSON', () => {
    const approved = decision({ response: { approved: true } });
    expect(askOutput({ kind: 'approval', title: 'x' }, approved, false).stdout).toBe(`${JSON.stringify(approved, null, 2)}\n`);
    const edited = decision({ response: { action: 'edit', content: 'New' } });
    expect(JSON.parse(askOutput(edit, edited, true).stdout)).toEqual(edited);
  });

  it('prints the text to use for an edit: the edited content as is, or the draft when accepted', () => {
    expect(askOutput(edit, decision({ response: { action: 'edit', content: 'New text' } }), false)).toEqual({ stdout: 'New text' });
    expect(askOutput(edit, decision({ response: { action: 'accept' } }), false)).toEqual({ stdout: 'Draft text' });
  });

  it('prints the answer to a clarification, one part per line', () => {
    expect(askOutput(question, decision({ response: { optionId: 'a' } }), false).stdout).toBe('a\n');
    expect(askOutput(question, decision({ response: { optionId: 'a', text: 'and B too' } }), false).stdout).toBe('a\nand B too\n');
    expect(askOutput(question, decision({ response: { values: { env: 'prod', replicas: 2 } } }), false).stdout).toBe('{"env":"prod","replicas":2}\n');
  });

  it('prints nothing for a refusal and says why on stderr', () => {
    expect(askOutput(edit, decision({ response: { action: 'reject', reason: 'too long' } }), false)).toEqual({
      stdout: '',
      stderr: 'signoff: rejected by Ada: too long',
    });
    expect(askOutput(question, decision({ status: 'expired', respondedBy: 'timeout', reason: 'No human answered within 4h.' }), false)).toEqual({
      stdout: '',
      stderr: 'signoff: No human answered within 4h.',
    });
    expect(askOutput(question, decision({ status: 'cancelled', respondedBy: 'agent' }), false).stderr).toBe('signoff: the request was cancelled');
  });
});
