import type { SignoffRequest } from '@signoff/shared';
import { describe, expect, it } from 'vitest';
import type { PolicySource } from '../policy/policy-file.js';
import { UNATTENDED_SCAN_CHARS } from '../policy/guardrails.js';
import { validatePolicy } from '../policy/policy-schema.js';
import type { GrantStore } from './grant-store.js';
import { PolicyDesk } from './policy-desk.js';

/** A desk that allows `deploy` by rule and reviews `review-me` with a reviewer that approves everything. */
function desk(): PolicyDesk {
  const checked = validatePolicy({
    reviewers: { yes: { command: [process.execPath, '-e', `process.stdout.write(${JSON.stringify(JSON.stringify({ decision: 'allow', reason: 'fine' }))})`] } },
    rules: [
      { name: 'deploys', when: { action: 'deploy' }, then: 'allow' },
      { name: 'reviewed', when: { action: 'review-me' }, then: 'review', reviewer: 'yes' },
    ],
  });
  if (!checked.ok) throw new Error(checked.errors.map((e) => e.message).join('\n'));
  const source = { policy: checked.policy, state: { policy: checked.policy } } as unknown as PolicySource;
  return new PolicyDesk(source, { compiled: () => [] } as unknown as GrantStore, () => 0, '/home/me');
}

const request = (name: string, notes: string) =>
  ({ id: 'r1', kind: 'approval', agentId: 'ops', title: 'Go', severity: 'medium', action: { name, args: { notes } }, createdAt: 0, expiresAt: 60_000, status: 'pending', onTimeout: 'expire' }) as SignoffRequest;
const over = `${'x'.repeat(UNATTENDED_SCAN_CHARS)}; rm -rf /`;

describe('PolicyDesk: the guardrails’ unattended scan budget', () => {
  it('lets a rule approve up to the budget', () => {
    const d = desk();
    const fine = request('deploy', 'x'.repeat(UNATTENDED_SCAN_CHARS - 100));
    expect(d.decideWithoutPerson('o', fine)?.outcome).toMatchObject({ via: 'rule', response: { approved: true } });
    expect(d.unscannedNote(fine)).toBeUndefined();
  });

  it('leaves a rule’s approval over the budget to a person, with the reason for approvers', () => {
    const d = desk();
    const big = request('deploy', over);
    expect(d.decideWithoutPerson('o', big)).toBeNull();
    expect(d.unscannedNote(big)).toMatchObject({ reviewer: 'guardrails', verdict: 'unsure' });
    expect(d.unscannedNote(big)!.reasoning).toMatch(/^Not approved by the policy rule "deploys": it holds 65 KiB of text, more than the 64 KiB/);
  });

  it('does not run a reviewer that could approve over the budget', async () => {
    const result = await desk().runReview('yes', request('review-me', over));
    expect(result.outcome).toBeUndefined();
    expect(result.review).toMatchObject({ reviewer: 'yes', verdict: 'unsure' });
    expect(result.review.reasoning).toMatch(/^Not reviewed: it holds 65 KiB/);
  });

  it('still reads a person’s approval of the same whole', () => {
    const outcome = desk().guard(request('deploy', over), { status: 'resolved', response: { approved: true }, respondedBy: 'Ada', via: 'socket' });
    expect(outcome).toMatchObject({ status: 'blocked', guardrail: { id: 'code-safety' } });
  });
});
