import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../support/hub.js';
import { POLICY_HOME } from '../support/requests.js';
import { RestClient } from '../support/rest-client.js';

/**
 * The guardrails' unattended budget through a real hub: a rule never approves more text
 * than the guardrails read without a person (64 KiB); the person decides, told why, and
 * their approval is still read whole.
 */
describe('guardrail scan budget', () => {
  let t: TestHub | undefined;

  afterEach(async () => {
    await t?.dispose();
    t = undefined;
  });

  const deploy = (notes: string) => ({ kind: 'approval', agentId: 'deployer', title: 'Deploy', action: { name: 'deploy', args: { env: 'staging', notes } } });

  it('sends an allow-rule request over budget to the person with the reason, and scans their approval whole', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'signoff-budget-'));
    writeFileSync(join(dataDir, 'policy.yaml'), 'rules:\n  - name: deploys\n    when: { action: deploy }\n    then: allow\n');
    t = await startTestHub({ dataDir, home: POLICY_HOME });
    const agent = new RestClient(t.url, t.agentToken);
    const approver = new RestClient(t.url, await t.pairApprover('Ada'));

    const small = await agent.post('/requests', deploy('release notes'));
    expect(small.body).toMatchObject({ status: 'resolved', decision: { via: 'rule', rule: 'deploys' } });

    // 70 KiB of harmless words, and at the very end what the guardrails exist for.
    const notes = `${'release notes '.repeat(5120)}; rm -rf /`;
    const big = await agent.post('/requests', deploy(notes));
    expect(big.status).toBe(201);
    expect(big.body.status).toBe('pending');
    const seen = await approver.get(`/requests/${big.body.id}`);
    expect(seen.body.review).toEqual({
      reviewer: 'guardrails',
      verdict: 'unsure',
      reasoning:
        'Not approved by the policy rule "deploys": it holds 71 KiB of text, more than the 64 KiB the guardrails read for an approval without a person, so a person decides (the guardrails read all of it after their approval).',
    });

    const byPerson = await approver.post(`/requests/${big.body.id}/respond`, { approved: true });
    expect(byPerson.body).toMatchObject({ status: 'blocked', respondedBy: 'Ada', guardrail: { id: 'code-safety' } });
    expect(byPerson.body.guardrail.reason).toContain('args.notes');
  });
});
