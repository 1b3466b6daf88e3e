import { describe, expect, it } from 'vitest';
import type { SettledStatus } from './constants.js';
import { outcomeOf, type Outcome } from './outcome.js';
import type { Decision } from './request.js';

function decision(status: SettledStatus, response: unknown): Decision {
  return {
    requestId: 'req-1',
    status,
    response: response as Decision['response'],
    respondedBy: 'alice',
    via: 'socket',
    respondedAt: 1_000,
    waitMs: 1_000,
  };
}

describe('outcomeOf', () => {
  const resolved: [string, unknown, Outcome][] = [
    ['approval approved', { approved: true }, 'approved'],
    ['approval approved with an alternative', { approved: true, alternativeId: 'archive' }, 'approved'],
    ['approval rejected', { approved: false, reason: 'no' }, 'rejected'],
    ['clarification option', { optionId: 'iso' }, 'approved'],
    ['clarification text', { text: 'Friday' }, 'approved'],
    ['edit accept', { action: 'accept' }, 'approved'],
    ['edit edit', { action: 'edit', content: 'x' }, 'approved'],
    ['edit reject', { action: 'reject' }, 'rejected'],
    ['escalation continue', { action: 'continue' }, 'approved'],
    ['escalation takeover', { action: 'takeover' }, 'approved'],
    ['escalation delegate', { action: 'delegate', targetAgentId: 'b' }, 'approved'],
    ['escalation abort', { action: 'abort' }, 'rejected'],
    ['checkpoint continue', { action: 'continue' }, 'approved'],
    ['checkpoint modify', { action: 'modify', skipSteps: ['x'] }, 'approved'],
    ['checkpoint abort', { action: 'abort' }, 'rejected'],
    ['external result', { result: { passed: 3 } }, 'approved'],
    ['notify (null response)', null, 'approved'],
  ];

  it.each(resolved)('resolved, %s → %s', (_name, response, expected) => {
    expect(outcomeOf(decision('resolved', response))).toBe(expected);
  });

  it('expired with no answer is expired', () => {
    expect(outcomeOf(decision('expired', null))).toBe('expired');
  });

  it('expired under onTimeout approve reads as approved', () => {
    expect(outcomeOf(decision('expired', { approved: true, reason: 'auto-approved' }))).toBe('approved');
  });

  it('expired under onTimeout reject is still expired, not a human rejection', () => {
    expect(outcomeOf(decision('expired', { approved: false, reason: 'No human answered' }))).toBe('expired');
    expect(outcomeOf(decision('expired', { action: 'abort', notes: 'No human answered' }))).toBe('expired');
    expect(outcomeOf(decision('expired', { action: 'reject' }))).toBe('expired');
  });

  it('cancelled is expired: no permission either way', () => {
    expect(outcomeOf(decision('cancelled', null))).toBe('expired');
  });

  it('blocked is rejected, whatever the response says', () => {
    expect(outcomeOf(decision('blocked', null))).toBe('rejected');
    expect(outcomeOf(decision('blocked', { approved: true }))).toBe('rejected');
  });
});
