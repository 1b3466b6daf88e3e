import { describe, expect, it } from 'vitest';
import type { Decision, SignoffRequest } from '../protocol/index.js';
import { feedNote, FEED_NOTE_MAX, isFeedItem, summarizeDecision, vanishedNotice } from './decision-summary.js';
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

describe('summarizeDecision for policy (rules, grants, guardrails)', () => {
  const approval = sampleRequest('approval', { severity: 'medium', reversible: true });
  const grant = {
    id: 'g1', createdBy: 'Ada', requestId: 'r0', agentId: 'cleanup-agent', scope: 'agent', runId: null,
    match: { type: 'command', action: 'shell', pattern: 'npm run test:*', exact: false }, createdAt: 1, expiresAt: null, uses: 2, lastUsedAt: 5,
  } as const;

  it('names the rule that allowed or denied, with its reason', () => {
    const allowed = decided(approval, { response: { approved: true }, respondedBy: 'rule:tests', via: 'rule', rule: 'tests', reason: 'Tests are safe.' });
    expect(summarizeDecision(allowed)).toEqual({ label: 'Allowed by rule “tests”', outcome: 'approved', note: 'Tests are safe.' });
    const denied = decided(approval, { response: { approved: false, reason: 'No pushes to main.' }, respondedBy: 'rule:no-push', via: 'rule', rule: 'no-push', reason: 'No pushes to main.' });
    expect(summarizeDecision(denied)).toEqual({ label: 'Denied by rule “no-push”', outcome: 'rejected', note: 'No pushes to main.' });
    const blockedExternal = decided(sampleRequest('external'), { status: 'blocked', response: null, respondedBy: 'rule:no-curl', via: 'rule', rule: 'no-curl', reason: 'No network.' });
    expect(summarizeDecision(blockedExternal).label).toBe('Denied by rule “no-curl”');
  });

  it('names who made the grant when the grant is known, else its id', () => {
    const byGrant = decided(approval, { response: { approved: true }, respondedBy: 'grant:g1', via: 'grant', grantId: 'g1', reason: 'Allowed by Ada’s grant.' });
    expect(summarizeDecision(byGrant, { grants: [grant] }).label).toBe('Allowed by a grant from Ada');
    expect(summarizeDecision(byGrant).label).toBe('Allowed by a remembered grant (g1)');
  });

  it('names the guardrail that blocked an approval and its reason, before anything else', () => {
    const blocked = decided(approval, {
      status: 'blocked',
      response: { approved: true, reason: 'go' },
      respondedBy: 'Ada',
      guardrail: { id: 'code-safety', reason: 'Deletes recursively (rm -rf /), in args.command.' },
      reason: 'Blocked by Signoff’s code-safety guardrail after Ada’s approval: …',
    });
    expect(summarizeDecision(blocked)).toEqual({ label: 'Blocked by the code-safety guardrail', outcome: 'rejected', note: 'Deletes recursively (rm -rf /), in args.command.' });
  });

  it('warns when an approval stood only because a guardrail is off', () => {
    const unguarded = decided(approval, { response: { approved: true }, unguarded: { id: 'pii', reason: 'Contains an email address, in args.to.' } });
    expect(summarizeDecision(unguarded)).toEqual({
      label: 'Approved',
      outcome: 'approved',
      warning: 'Approved only because the pii guardrail is off in policy.yaml; it would have blocked this: Contains an email address, in args.to.',
    });
  });
});

describe('summarizeDecision for reviewers (the judge, reviewer commands)', () => {
  const approval = sampleRequest('approval', { severity: 'medium' });

  it('names the judge with its confidence, or the reviewer command, and gives the reasoning', () => {
    const byJudge = decided(approval, { response: { approved: true }, respondedBy: 'judge', via: 'judge', confidence: 0.934, reason: 'A routine deploy.' });
    expect(summarizeDecision(byJudge)).toEqual({ label: 'Allowed by the judge (0.93)', outcome: 'approved', note: 'A routine deploy.' });
    const deniedByJudge = decided(approval, { response: { approved: false, reason: 'Drops a table.' }, respondedBy: 'judge', via: 'judge', reason: 'Drops a table.' });
    expect(summarizeDecision(deniedByJudge)).toEqual({ label: 'Denied by the judge', outcome: 'rejected', note: 'Drops a table.' });
    const byCommand = decided(approval, { response: { approved: false, reason: 'lint failed' }, respondedBy: 'reviewer:lint-check', via: 'reviewer', reason: 'lint failed' });
    expect(summarizeDecision(byCommand)).toEqual({ label: 'Denied by reviewer lint-check', outcome: 'rejected', note: 'lint failed' });
    const external = decided(sampleRequest('external'), { status: 'blocked', response: null, respondedBy: 'reviewer:net', via: 'reviewer', reason: 'No network.' });
    expect(summarizeDecision(external).label).toBe('Denied by reviewer net');
    // A guardrail that stopped a reviewer's approval is named first.
    const guarded = decided(approval, { status: 'blocked', response: { approved: true }, respondedBy: 'judge', via: 'judge', guardrail: { id: 'code-safety', reason: 'rm -rf' } });
    expect(summarizeDecision(guarded).label).toBe('Blocked by the code-safety guardrail');
  });

  it('makes the reasoning one short line of plain text for the feed', () => {
    expect(feedNote('  two\nlines  [click](http://x)  ')).toBe('two lines [click](http://x)');
    const long = feedNote('é'.repeat(FEED_NOTE_MAX + 40));
    expect([...long]).toHaveLength(FEED_NOTE_MAX);
    expect(long.endsWith('…')).toBe(true);
    expect(feedNote('short')).toBe('short');
  });
});

describe('isFeedItem', () => {
  it('takes notices, audit-rule approvals and reviewers’ decisions, nothing else', () => {
    const approval = sampleRequest('approval');
    expect(isFeedItem(sampleRequest('notify'))).toBe(true);
    expect(isFeedItem(decided(approval, { response: { approved: true }, via: 'rule', rule: 'log-only', audit: true }))).toBe(true);
    expect(isFeedItem(decided(approval, { response: { approved: true }, via: 'rule', rule: 'quiet' }))).toBe(false);
    expect(isFeedItem(approval)).toBe(false);
    expect(isFeedItem(decided(approval, { response: { approved: true }, respondedBy: 'judge', via: 'judge' }))).toBe(true);
    expect(isFeedItem(decided(approval, { response: { approved: false }, respondedBy: 'reviewer:lint', via: 'reviewer' }))).toBe(true);
    expect(isFeedItem(decided(approval, { response: { approved: true }, respondedBy: 'Ada', via: 'socket' }))).toBe(false);
  });
});
