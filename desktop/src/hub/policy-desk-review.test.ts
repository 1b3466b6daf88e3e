import type { SignoffRequest } from '@signoff/shared';
import { describe, expect, it } from 'vitest';
import type { PolicySource } from '../policy/policy-file.js';
import { validatePolicy } from '../policy/policy-schema.js';
import type { GrantStore } from './grant-store.js';
import { PolicyDesk } from './policy-desk.js';

/** A desk whose only reviewer is a node script printing `answer`. */
function deskAnswering(answer: object): PolicyDesk {
  const checked = validatePolicy({
    reviewers: { echo: { command: [process.execPath, '-e', `process.stdout.write(${JSON.stringify(JSON.stringify(answer))})`] } },
    rules: [{ name: 'reviewed', when: { action: 'deploy' }, then: 'review', reviewer: 'echo' }],
  });
  if (!checked.ok) throw new Error(checked.errors.map((e) => e.message).join('\n'));
  // review() reads only the policy; it never touches grants.
  return new PolicyDesk({ policy: checked.policy } as PolicySource, {} as GrantStore, () => 0, '/home/me');
}

const request = (more: Partial<SignoffRequest> = {}) =>
  ({
    id: 'r1',
    kind: 'approval',
    agentId: 'ops',
    title: 'Deploy',
    severity: 'high',
    action: { name: 'deploy', args: { env: 'prod' } },
    createdAt: 0,
    expiresAt: 60_000,
    status: 'pending',
    onTimeout: 'expire',
    ...more,
  }) as SignoffRequest;

describe('PolicyDesk.review', () => {
  it('is null when no review rule matches', () => {
    expect(deskAnswering({ decision: 'allow' }).review(request({ action: { name: 'Read', args: {} } } as Partial<SignoffRequest>))).toBeNull();
    expect(deskAnswering({ decision: 'allow' }).review(request({ kind: 'notify' } as Partial<SignoffRequest>))).toBeNull();
  });

  it('names the reviewer a review rule hands a request to, without running it', () => {
    const desk = deskAnswering({ decision: 'allow' });
    expect(desk.reviewerFor(request())).toBe('echo');
    expect(desk.reviewerFor(request({ action: { name: 'Read', args: {} } } as Partial<SignoffRequest>))).toBeNull();
  });

  it('turns a sure allow into an approval by the reviewer', async () => {
    await expect(deskAnswering({ decision: 'allow', reason: 'fine' }).review(request())).resolves.toEqual({
      review: { reviewer: 'echo', verdict: 'approve', reasoning: 'fine' },
      outcome: { status: 'resolved', response: { approved: true }, respondedBy: 'reviewer:echo', via: 'reviewer', reason: 'fine' },
    });
  });

  it('never approves a critical or an external request, but may deny them', async () => {
    const allow = deskAnswering({ decision: 'allow', reason: 'fine' });
    expect((await allow.review(request({ severity: 'critical' })))!.outcome).toBeUndefined();
    const external = request({ kind: 'external', action: undefined, tool: { name: 'deploy', args: {} } } as unknown as Partial<SignoffRequest>);
    expect((await allow.review(external))!.outcome).toBeUndefined();
    const deny = deskAnswering({ decision: 'deny', reason: 'no' });
    expect((await deny.review(request({ severity: 'critical' })))!.outcome).toMatchObject({ status: 'resolved', response: { approved: false, reason: 'no' } });
    expect((await deny.review(external))!.outcome).toMatchObject({ status: 'blocked', response: null, via: 'reviewer', reason: 'no' });
  });

  it('gives up at once when the hub has stopped', async () => {
    const stopped = AbortSignal.abort();
    await expect(deskAnswering({ decision: 'allow' }).review(request(), stopped)).resolves.toMatchObject({ review: { verdict: 'error' } });
  });
});
