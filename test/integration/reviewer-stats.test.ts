import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HubStats } from '@signoff/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../support/hub.js';
import { bashRequest, POLICY_HOME } from '../support/requests.js';
import { RestClient } from '../support/rest-client.js';
import { shellCheckReviewer, startJudge, type TestJudge } from '../support/reviewers.js';
import { RecordedSocket } from '../support/socket-client.js';

/**
 * The stats per reviewer through a real hub: a local chat-completions judge and a reviewer
 * command decide some requests and leave others to the person, who then decides them.
 */
describe('stats per reviewer', () => {
  let judge: TestJudge;
  let t: TestHub;
  let agent: RestClient;
  let approver: RestClient;
  let watcher: RecordedSocket;

  beforeAll(async () => {
    judge = await startJudge();
    const dataDir = mkdtempSync(join(tmpdir(), 'signoff-reviewer-stats-'));
    const policy = {
      judge: { url: judge.url, model: 'test-model', criteria: 'Approve routine deploys.', timeout: '5s' },
      reviewers: { 'shell-check': shellCheckReviewer() },
      rules: [
        { name: 'shell by script', when: { action: 'Bash' }, then: 'review', reviewer: 'shell-check' },
        { name: 'deploys by judge', when: { action: 'deploy' }, then: 'review', reviewer: 'judge' },
      ],
    };
    writeFileSync(join(dataDir, 'policy.yaml'), JSON.stringify(policy, null, 2));
    t = await startTestHub({ dataDir, home: POLICY_HOME });
    const token = await t.pairApprover('Ada');
    agent = new RestClient(t.url, t.agentToken);
    approver = new RestClient(t.url, token);
    watcher = await RecordedSocket.connect(t.url, '/approver', token);
  });
  afterAll(async () => {
    watcher?.close();
    await t?.dispose();
    await judge?.close();
  });

  const deploy = (title: string) => ({ kind: 'approval', agentId: 'ops-bot', title, severity: 'high', action: { name: 'deploy', args: { env: 'prod' } } });
  /** Sends a request and waits until its reviewer settled it; returns the decision. */
  const decidedByReviewer = async (body: unknown) => {
    const created = await agent.post('/requests', body);
    return (await agent.get(`/requests/${created.body.id}?wait=10`)).body.decision;
  };
  /** Sends a request, waits until its reviewer left it to the person, then answers it as the person (or leaves it pending). */
  const leftToPerson = async (body: unknown, answer?: { approved: boolean }) => {
    const created = await agent.post('/requests', body);
    const id = created.body.id as string;
    await watcher.waitFor('request:new', (r) => (r as { id: string }).id === id && (r as { review?: unknown }).review !== undefined);
    if (answer) expect((await approver.post(`/requests/${id}/respond`, answer)).status).toBe(200);
  };

  it('counts what each reviewer decided, what it left to the person and why, and whether the person agreed', async () => {
    expect(await decidedByReviewer(deploy('routine deploy'))).toMatchObject({ via: 'judge', respondedBy: 'judge', confidence: 0.99, response: { approved: true } });
    expect(await decidedByReviewer(deploy('deploy and deny'))).toMatchObject({ via: 'judge', response: { approved: false } });
    await leftToPerson(deploy('unsure deploy'), { approved: true }); // leaned approve: the person agreed
    await leftToPerson(deploy('unsure again'), { approved: false }); // leaned approve: the person did not
    await leftToPerson(deploy('judge will fail'), { approved: false }); // failed
    await leftToPerson(deploy('unsure, still pending'));
    expect(await decidedByReviewer(bashRequest('./build.sh allow-me'))).toMatchObject({ via: 'reviewer', respondedBy: 'reviewer:shell-check' });
    expect(await decidedByReviewer(bashRequest('./wipe.sh'))).toMatchObject({ via: 'reviewer', response: { approved: false } });
    await leftToPerson(bashRequest('./migrate.sh ask-me'), { approved: true });

    const stats = (await approver.get('/stats')).body as HubStats;
    expect(stats.reviewers).toEqual([
      { reviewer: 'judge', approved: 1, denied: 1, unsure: 3, failed: 1, personApproved: 1, personRejected: 2, leaned: 2, agreed: 1 },
      { reviewer: 'shell-check', approved: 1, denied: 1, unsure: 1, failed: 0, personApproved: 1, personRejected: 0, leaned: 0, agreed: 0 },
    ]);
    // The person's figures leave the reviewers' own decisions out.
    expect(stats.approvals).toEqual({ approved: 2, rejected: 2 });
    expect(((await watcher.call('stats:get', {})) as HubStats).reviewers).toEqual(stats.reviewers);
  });
});
