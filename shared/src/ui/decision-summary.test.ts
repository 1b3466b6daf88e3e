import { describe, expect, it } from 'vitest';
import type { Decision, SignoffRequest } from '../protocol/index.js';
import { summarizeDecision, vanishedNotice } from './decision-summary.js';
import { sampleRequest } from '../samples/requests.js';

const decided = <R extends SignoffRequest>(request: R, decision: Partial<Decision>): R => ({
  ...request,
  status: decision.status ?? 'resolved',
  decision: { requestId: request.id, status: 'resolved', response: null, respondedBy: 'Ada', via: 'socket', respondedAt: 10, waitMs: 5, ...decision },
});

describe('summarizeDecision', () => {
  it('reads approvals, with the chosen alternative and the reason', () => {
    const approval = sampleRequest('approval');
    expect(summarizeDecision(decided(approval, { response: { approved: true } }))).toEqual({ label: 'Approved', outcome: 'approved' });
    expect(summarizeDecision(decided(approval, { response: { approved: true, alternativeId: 'archive' } })).label).toBe('Approved instead: Archive the accounts instead');
    expect(summarizeDecision(decided(approval, { response: { approved: false, reason: 'too risky' } }))).toEqual({
      label: 'Rejected',
      outcome: 'rejected',
      note: 'too risky',
    });
  });

  it('reads the other kinds', () => {
    expect(summarizeDecision(decided(sampleRequest('clarification'), { response: { optionId: 'defaults' } })).label).toBe('Answered: Use the defaults');
    expect(summarizeDecision(decided(sampleRequest('edit'), { response: { action: 'edit', content: 'x' } })).label).toBe('Edited');
    expect(summarizeDecision(decided(sampleRequest('escalation'), { response: { action: 'delegate', targetAgentId: 'bot-2' } })).label).toBe('Delegated to bot-2');
    expect(summarizeDecision(decided(sampleRequest('checkpoint'), { response: { action: 'abort' } }))).toMatchObject({ label: 'Aborted', outcome: 'rejected' });
    expect(summarizeDecision(decided(sampleRequest('external'), { response: { result: 1 } })).label).toBe('Result sent');
  });

  it('reads endings without a human answer', () => {
    const approval = sampleRequest('approval');
    expect(summarizeDecision(decided(approval, { status: 'expired', response: null, respondedBy: 'timeout', via: 'timeout' }))).toEqual({
      label: 'Expired',
      outcome: 'expired',
    });
    expect(summarizeDecision(decided(approval, { status: 'expired', response: { approved: true }, via: 'timeout' })).label).toBe('Expired — approved by its timeout rule');
    expect(summarizeDecision(decided(approval, { status: 'blocked', response: { approved: true }, reason: 'destructive SQL' }))).toEqual({
      label: 'Blocked by a guardrail',
      outcome: 'rejected',
      note: 'destructive SQL',
    });
    expect(summarizeDecision(decided(approval, { status: 'cancelled' })).label).toBe('Cancelled by the agent');
  });

  it('says waiting for a request without a decision', () => {
    expect(summarizeDecision(sampleRequest('approval'))).toEqual({ label: 'Waiting', outcome: null });
  });
});

describe('vanishedNotice', () => {
  it('names who decided, and through which surface', () => {
    const settled = decided(sampleRequest('approval'), { response: { approved: true }, respondedBy: 'Ada', via: 'rest' });
    expect(vanishedNotice('Delete', settled)).toBe('“Delete” was decided elsewhere: Approved by Ada via rest');
  });

  it('still says something when the decision is not known yet', () => {
    expect(vanishedNotice('Delete', undefined)).toBe('“Delete” is no longer waiting — decided elsewhere');
    const expired = decided(sampleRequest('approval'), { status: 'expired', respondedBy: 'timeout', via: 'timeout' });
    expect(vanishedNotice('Delete', expired)).toBe('“Delete”: Expired');
  });
});
