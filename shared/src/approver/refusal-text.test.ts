import { describe, expect, it } from 'vitest';
import { explainRefusal, notSentMessage } from './refusal-text.js';

describe('refusal text', () => {
  it('says who decided first, or how the request ended', () => {
    expect(notSentMessage({ code: 'conflict', message: 'x', details: { status: 'resolved', respondedBy: 'Ada', via: 'rest' } })).toBe(
      'Not sent: it was already decided by Ada (via rest).',
    );
    expect(explainRefusal({ code: 'conflict', message: 'x', details: { status: 'expired' } })).toBe('it expired before your decision reached the hub');
    expect(explainRefusal({ code: 'conflict', message: 'x', details: { status: 'cancelled' } })).toBe('the agent cancelled it');
    expect(explainRefusal({ code: 'conflict', message: 'x', details: { status: 'blocked' } })).toBe('a guardrail blocked it');
    expect(explainRefusal({ code: 'conflict', message: 'x' })).toBe('it was already decided by someone else');
    expect(explainRefusal({ code: 'not_found', message: 'x' })).toBe('the hub no longer has it');
  });

  it('passes the hub’s own words through for anything else', () => {
    expect(notSentMessage({ code: 'invalid', message: 'reason: required when rejecting' })).toBe('Not sent: reason: required when rejecting.');
  });
});
