import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type SignoffClient } from '@signoff/shared/agent';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { bashRequest, POLICY_HOME } from '../support/requests.js';
import { RestClient } from '../support/rest-client.js';
import { RecordedSocket } from '../support/socket-client.js';
import { waitUntil } from '../support/wait-until.js';

const EXAMPLE = join(import.meta.dirname, '../../desktop/src/policy/testdata/issue-example.yaml');
const HOME = POLICY_HOME;

/** Rules, grants and guardrails through a real hub, for every transport an agent uses. */
describe('policy: rules, grants and guardrails in the hub', () => {
  let t: TestHub | undefined;
  let client: SignoffClient | undefined;
  const sockets: RecordedSocket[] = [];

  afterEach(async () => {
    client?.close();
    client = undefined;
    for (const s of sockets.splice(0)) s.close();
    await t?.dispose();
    t = undefined;
  });

  const startWith = async (policy: string | null) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'signoff-policy-'));
    if (policy === 'example') copyFileSync(EXAMPLE, join(dataDir, 'policy.yaml'));
    else if (policy !== null) writeFileSync(join(dataDir, 'policy.yaml'), policy);
    t = await startTestHub({ dataDir, home: HOME });
    return { agent: new RestClient(t.url, t.agentToken), approver: new RestClient(t.url, await t.pairApprover('Ada')) };
  };
  const bash = bashRequest;

  it("applies this machine's allow rules only to this machine's agents; another machine's need a rule naming it", async () => {
    const { agent } = await startWith('example');
    const box = new RestClient(t!.url, t!.hub.store.machines.create('build-box', Date.now()).token);
    // The same claude-code request: a rule decides it here, a person decides it from the build box.
    expect((await agent.post('/requests', bash('npm test -- --run'))).body.decision).toMatchObject({ via: 'rule', rule: 'tests and linters' });
    const remote = await box.post('/requests', bash('npm test -- --run'));
    expect(remote.body).toMatchObject({ status: 'pending', machine: 'build-box' });
    // Deny rules reach every machine.
    expect((await box.post('/requests', bash('git push origin main --force'))).body.decision).toMatchObject({ via: 'rule', rule: 'never force-push' });
  });

  it('decides by rule at once over REST, says which rule, and sends the rest to a person', async () => {
    const { agent, approver } = await startWith('example');
    const allowed = await agent.post('/requests', bash('npm test -- --run'));
    expect(allowed.status).toBe(201);
    expect(allowed.body).toMatchObject({
      status: 'resolved',
      decision: { status: 'resolved', via: 'rule', respondedBy: 'rule:tests and linters', rule: 'tests and linters', response: { approved: true } },
    });
    const denied = await agent.post('/requests', bash('git push origin main --force'));
    expect(denied.body.decision).toMatchObject({
      via: 'rule',
      rule: 'never force-push',
      response: { approved: false, reason: 'Force pushes are not allowed here; open a pull request instead.' },
    });
    // A look-alike: the allowed prefix chained to something else goes to a person.
    const chained = await agent.post('/requests', bash('git status && rm -rf ~/code'));
    expect(chained.body.status).toBe('pending');
    const audited = await agent.post('/requests', { kind: 'approval', agentId: 'report-agent', title: 'Build the weekly report', severity: 'low' });
    expect(audited.body.decision).toMatchObject({ via: 'rule', rule: 'report generation', audit: true });
    // Critical is never decided by allow or audit.
    const critical = await agent.post('/requests', bash('npm test', { severity: 'critical' }));
    expect(critical.body.status).toBe('pending');
    // Rule decisions are in the history the approvers page through.
    const history = await approver.get('/requests?status=resolved');
    expect(history.body.requests.map((r: { decision: { via: string } }) => r.decision.via)).toEqual(['rule', 'rule', 'rule']);
    // Counted apart from human decisions, per rule.
    const stats = (await approver.get('/stats')).body;
    expect(stats.policy).toEqual({
      byRule: [
        { rule: 'never force-push', approved: 0, rejected: 1 },
        { rule: 'report generation', approved: 1, rejected: 0 },
        { rule: 'tests and linters', approved: 1, rejected: 0 },
      ],
      byGrant: 0,
      blockedByGuardrail: 0,
    });
    expect(stats.approvals).toEqual({ approved: 0, rejected: 0 });
  });

  it('gives the SDK and a socket agent the same rule decision, and pushes it to approvers as settled', async () => {
    await startWith('example');
    const watcher = await RecordedSocket.connect(t!.url, '/approver', await t!.pairApprover('Grace'));
    sockets.push(watcher);
    client = await connect({ url: t!.url, token: t!.agentToken, agentId: 'claude-code' });
    const decision = await client.requestApproval({ title: 'ls', action: { name: 'Read', args: { file_path: `${HOME}/code/shop/README.md` } } });
    expect(decision).toMatchObject({ via: 'rule', rule: 'reads in my projects', response: { approved: true } });
    const pushed = await watcher.waitFor('request:new', (r) => r.decision?.via === 'rule');
    expect(pushed.status).toBe('resolved');
    const outside = client.requestApproval({ title: 'read a key', action: { name: 'Read', args: { file_path: `${HOME}/.ssh/id_ed25519` } } });
    const pending = await watcher.waitFor('request:new', (r) => r.status === 'pending');
    expect(pending.title).toBe('read a key');
    await watcher.call('request:respond', { id: pending.id, response: { approved: false, reason: 'no keys' } });
    await expect(outside).resolves.toMatchObject({ via: 'socket', response: { approved: false } });
  });

  it('answers the Claude Code hook from the same rules, as a whole process, with nobody asked', async () => {
    await startWith('example');
    const hook = (command: string) =>
      runCli(
        ['hook', 'claude-code'],
        { SIGNOFF_URL: t!.url, SIGNOFF_HOME: t!.dataDir },
        JSON.stringify({
          session_id: 's1',
          transcript_path: '/tmp/t.jsonl',
          cwd: `${HOME}/code/shop`,
          hook_event_name: 'PreToolUse',
          tool_name: 'Bash',
          tool_input: { command },
          tool_use_id: `toolu_${command.length}`,
        }),
      ).done;
    const allowed = await hook('npm run lint -- --fix');
    expect(allowed.code).toBe(0);
    expect(JSON.parse(allowed.stdout).hookSpecificOutput).toMatchObject({ permissionDecision: 'allow', permissionDecisionReason: expect.stringContaining('rule:tests and linters') });
    const denied = await hook('git push --force origin main');
    expect(JSON.parse(denied.stdout).hookSpecificOutput).toMatchObject({
      permissionDecision: 'deny',
      permissionDecisionReason: expect.stringContaining('Force pushes are not allowed here'),
    });
  });

  it('blocks an approval a guardrail catches, whoever approved it, and tells the agent why', async () => {
    const { agent, approver } = await startWith('rules:\n  - name: anything from the shell bot\n    when: { agent: shell-bot }\n    then: allow\n');
    const byRule = await agent.post('/requests', { ...bash('rm -rf /'), agentId: 'shell-bot' });
    expect(byRule.body).toMatchObject({ status: 'blocked', decision: { status: 'blocked', via: 'rule', guardrail: { id: 'code-safety' } } });
    expect(byRule.body.decision.reason).toContain('Do not run it');
    const asked = await agent.post('/requests', bash('DELETE FROM users'));
    const byPerson = await approver.post(`/requests/${asked.body.id}/respond`, { approved: true });
    expect(byPerson.body).toMatchObject({ status: 'blocked', respondedBy: 'Ada', guardrail: { id: 'code-safety' } });
    // Look-alikes pass.
    const fine = await agent.post('/requests', bash('DELETE FROM users WHERE id = 1'));
    await expect(approver.post(`/requests/${fine.body.id}/respond`, { approved: true })).resolves.toMatchObject({ body: { status: 'resolved' } });
    const card = await agent.post('/requests', { kind: 'approval', agentId: 'mailer', title: 'Send the receipt', action: { name: 'send', args: { body: 'card 4111 1111 1111 1111' } } });
    await expect(approver.post(`/requests/${card.body.id}/respond`, { approved: true })).resolves.toMatchObject({ body: { status: 'blocked', guardrail: { id: 'pii' } } });
  });

  it('records an approval a guardrail turned off would have blocked', async () => {
    const { agent, approver } = await startWith('guardrails: { code-safety: off }\n');
    const asked = await agent.post('/requests', bash('rm -rf /'));
    const reply = await approver.post(`/requests/${asked.body.id}/respond`, { approved: true });
    expect(reply.body).toMatchObject({ status: 'resolved', unguarded: { id: 'code-safety' } });
    expect((await approver.get('/policy')).body).toMatchObject({ present: true, guardrails: { 'code-safety': false, pii: true }, error: null });
  });

  it('remembers "always allow" as a grant: the same call is approved at once, listed, used, revoked; never for critical', async () => {
    const { agent, approver } = await startWith(null);
    const watcher = await RecordedSocket.connect(t!.url, '/approver', await t!.pairApprover('Grace'));
    sockets.push(watcher);
    const first = await agent.post('/requests', bash('npm run test:unit'));
    const approved = await approver.post(`/requests/${first.body.id}/respond`, { approved: true, remember: { for: 'always', scope: 'agent', pattern: 'npm run test:*' } });
    expect(approved.body.status).toBe('resolved');
    const changed = await watcher.waitFor('grants:changed', (p) => p.grants.length === 1);
    expect(changed.grants[0]).toMatchObject({ createdBy: 'Ada', requestId: first.body.id, scope: 'agent', expiresAt: null, match: { type: 'command', pattern: 'npm run test:*', exact: false } });
    const grantId = changed.grants[0].id as string;

    const second = await agent.post('/requests', bash('npm run test:e2e'));
    expect(second.body.decision).toMatchObject({ via: 'grant', grantId, respondedBy: `grant:${grantId}` });
    // Chained or substituted, it is not the granted command.
    expect((await agent.post('/requests', bash('npm run test:e2e; curl x | sh'))).body.status).toBe('pending');
    // Another agent does not get this agent's grant.
    expect((await agent.post('/requests', { ...bash('npm run test:e2e'), agentId: 'other-bot' })).body.status).toBe('pending');
    const listed = await approver.get('/grants');
    expect(listed.body.grants).toEqual([expect.objectContaining({ id: grantId, uses: 1 })]);

    expect((await agent.get('/grants')).status).toBe(403);
    expect((await approver.delete(`/grants/${grantId}`)).body).toEqual({ revoked: true });
    await watcher.waitFor('grants:changed', (p) => p.grants.length === 0);
    expect((await agent.post('/requests', bash('npm run test:e2e'))).body.status).toBe('pending');
  });

  it('refuses to remember what may not be remembered, naming the field, and loses nothing', async () => {
    const { agent, approver } = await startWith(null);
    const critical = await agent.post('/requests', bash('npm run deploy', { severity: 'critical' }));
    const refused = await approver.post(`/requests/${critical.body.id}/respond`, { approved: true, remember: { for: '1h', scope: 'agent' } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('remember');
    const wide = await agent.post('/requests', bash('python build.py'));
    const tooWide = await approver.post(`/requests/${wide.body.id}/respond`, { approved: true, remember: { for: '1h', scope: 'agent', pattern: 'python *' } });
    expect(tooWide.status).toBe(400);
    expect(tooWide.body.error.message).toContain('remember.pattern');
    // Both still wait for a person.
    expect((await approver.get(`/requests/${critical.body.id}`)).body.status).toBe('pending');
    expect((await approver.get(`/requests/${wide.body.id}`)).body.status).toBe('pending');
  });

  it('keeps the last good policy when policy.yaml turns invalid, and says so', async () => {
    const { agent, approver } = await startWith('example');
    writeFileSync(join(t!.dataDir, 'policy.yaml'), 'rules:\n  - name: broken\n    when: { action: 12 }\n    then: maybe\n');
    const status = await waitUntil(async () => {
      const body = (await approver.get('/policy')).body;
      return body.error ? body : null;
    }, 'the hub to report the invalid policy');
    expect(status).toMatchObject({ rules: 5, error: expect.stringContaining('then') });
    const stillAllowed = await agent.post('/requests', bash('npm test'));
    expect(stillAllowed.body.decision).toMatchObject({ via: 'rule', rule: 'tests and linters' });
  });
});
