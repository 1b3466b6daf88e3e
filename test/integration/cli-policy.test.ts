import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SignoffRequest } from '@signoff/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { startApproverBot, type ApproverBot } from '../support/approver-bot.js';
import { runCli } from '../support/cli.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { bashRequest, POLICY_HOME } from '../support/requests.js';
import { RestClient, type Json } from '../support/rest-client.js';
import { waitUntil } from '../support/wait-until.js';

const EXAMPLE = join(import.meta.dirname, '../../desktop/src/policy/testdata/issue-example.yaml');
const HOME = POLICY_HOME;

const bash = bashRequest;

// Spawns the built CLI a few times per test; a guard generous enough for a loaded 2-core machine (it measures nothing).
describe('signoff policy check / test / replay and signoff grants', { timeout: 60_000 }, () => {
  const dirs: string[] = [];
  let t: TestHub | undefined;
  let bot: ApproverBot | undefined;

  afterEach(async () => {
    bot?.close();
    bot = undefined;
    await t?.dispose();
    t = undefined;
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  const dataDir = (policy?: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'signoff-cli-policy-'));
    dirs.push(dir);
    if (policy === 'example') copyFileSync(EXAMPLE, join(dir, 'policy.yaml'));
    else if (policy !== undefined) writeFileSync(join(dir, 'policy.yaml'), policy);
    return dir;
  };
  const cli = (dir: string, args: string[], env: Record<string, string> = {}, stdin?: string) =>
    runCli(args, { SIGNOFF_HOME: dir, HOME, SIGNOFF_APPROVER_TOKEN: '', ...env }, stdin).done;

  it('check prints each rule (name, effect, conditions) with its warnings below it', async () => {
    const dir = dataDir(`rules:
  - name: scripts
    when: { action: Bash, command: "python *" }
    then: allow
  - name: lock down
    then: deny
  - name: tests
    when: { action: Bash, command: ["npm test*", "git diff*"] }
    then: allow
guardrails: { pii: off }
`);
    const { code, stdout } = await cli(dir, ['policy', 'check']);
    expect(code).toBe(0);
    expect(stdout.split('\n')).toEqual([
      `${join(dir, 'policy.yaml')}: valid, 3 rules, 2 warnings; guardrails code-safety on, pii off`,
      '  scripts — allow — action: Bash; command: "python *"',
      '      warning: policy.yaml:3:36: rules[0] "scripts".when.command: "python *" allows any program python can run; is that meant?',
      '  lock down — deny — every approval and external request',
      '      warning: policy.yaml:5:5: rules[1] "lock down".when: denies every approval and external request',
      '  tests — allow — action: Bash; command: "npm test*", "git diff*"',
      '  note: critical requests always go to a person; no allow or audit rule ever decides them',
      '',
    ]);
    const json = JSON.parse((await cli(dir, ['policy', 'check', '--json'])).stdout) as Json;
    expect(json).toMatchObject({ valid: true, present: true, guardrails: { 'code-safety': true, pii: false } });
    expect(json.rules.map((r: Json) => [r.name, r.then, r.warnings.length])).toEqual([
      ['scripts', 'allow', 1],
      ['lock down', 'deny', 1],
      ['tests', 'allow', 0],
    ]);
  });

  it('check names every error with line:col, rule and field, and exits 1; a missing file is valid', async () => {
    const dir = dataDir('rules:\n  - name: ok\n    when: { action: Read }\n    then: allow\n  - name: typo\n    when: { comand: x }\n    then: allow\n  - name: vague\n    then: maybe\n');
    const invalid = await cli(dir, ['policy', 'check']);
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toContain('policy.yaml is invalid (2 errors); a running hub keeps the policy it last loaded:');
    expect(invalid.stdout).toContain('policy.yaml:6:11: rules[1] "typo".when: unknown field "comand"');
    expect(invalid.stdout).toContain('policy.yaml:9:11: rules[2] "vague".then: expected one of allow, deny, ask, review, audit');

    // A draft elsewhere is checked by its path; it is not what a hub follows.
    const draft = join(dir, 'draft.yaml');
    writeFileSync(draft, 'rules: [ { name: x, then: allow } ]\n');
    const drafted = await cli(dir, ['policy', 'check', draft]);
    expect(drafted.code).toBe(1);
    expect(drafted.stdout).toContain(`${draft} is invalid (1 error):`);
    expect(drafted.stdout).toContain('draft.yaml:1:10: rules[0] "x".when: would allow every request; name at least one condition');

    const empty = dataDir();
    const missing = await cli(empty, ['policy', 'check']);
    expect(missing).toMatchObject({ code: 0, stdout: `${join(empty, 'policy.yaml')}: no policy.yaml: every request goes to a person; guardrails code-safety and pii are on\n` });
  });

  it('test says which rule decides the issue example’s requests, and what the guardrails would do', async () => {
    const dir = dataDir('example');
    const tests = await cli(dir, ['policy', 'test', JSON.stringify(bash('npm test -- --run'))]);
    expect(tests.code).toBe(0);
    expect(tests.stdout).toContain('Rules: allow by rule "tests and linters"\n');
    expect(tests.stdout).toContain('Grants: no grants (no hub data yet)\n');
    expect(tests.stdout).toContain('Decision: approved by rule "tests and linters" without a person: Allowed by the policy rule "tests and linters".\n');
    expect(tests.stdout).toContain('Guardrails: an approval would stand\n');

    // A chain is allowed only if every part is: this one goes to a person.
    const chained = await cli(dir, ['policy', 'test', '-'], {}, JSON.stringify(bash('git status && rm -rf ~/code')));
    expect(chained.stdout).toContain('Rules: none (no rule matches)\n');
    expect(chained.stdout).toContain('Decision: a person decides (no rule matches and no grant)\n');

    const critical = await cli(dir, ['policy', 'test', JSON.stringify(bash('npm test', { severity: 'critical' }))]);
    expect(critical.stdout).toContain('Rules: ask (no rule may decide it): Critical requests always go to a person; the rule "tests and linters" would have allowed it.\n');
    expect(critical.stdout).toContain('  matching rules: "tests and linters" (allow)\n');
    expect(critical.stdout).toContain('Decision: a person decides (Critical requests always go to a person;');

    const forced = await cli(dir, ['policy', 'test', JSON.stringify(bash('git push origin main --force'))]);
    expect(forced.stdout).toContain('Decision: rejected by rule "never force-push" without a person: Force pushes are not allowed here; open a pull request instead.\n');
    expect(forced.stdout).toContain('Guardrails: not reached: the rule denies it before anyone could approve it\n');

    const file = join(dir, 'request.json');
    writeFileSync(file, JSON.stringify(bash('rm -rf /')));
    const root = await cli(dir, ['policy', 'test', '--file', file, '--json']);
    expect(root.code).toBe(0);
    expect(JSON.parse(root.stdout)).toMatchObject({
      rules: { effect: 'none', matches: [] },
      outcome: { by: 'person' },
      guardrails: { checked: true, blocked: { id: 'code-safety', reason: expect.stringContaining('Deletes "/"') } },
    });

    const audited = JSON.parse((await cli(dir, ['policy', 'test', '--json', JSON.stringify({ kind: 'approval', agentId: 'report-agent', title: 'Weekly report', severity: 'low' })])).stdout) as Json;
    expect(audited).toMatchObject({ rules: { effect: 'audit', rule: 'report generation' }, outcome: { by: 'rule', rule: 'report generation', approved: true, audit: true } });

    const bad = await cli(dir, ['policy', 'test', JSON.stringify({ kind: 'approval' })]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('not a request an agent could create: title');
    expect((await cli(dir, ['policy', 'test', '{nope'])).stderr).toContain('the request is not JSON');
  });

  it('replay counts, per rule, what the current policy would have decided beside what people decided', async () => {
    const dir = dataDir();
    t = await startTestHub({ dataDir: dir, home: HOME });
    const agent = new RestClient(t.url, t.agentToken);
    const answers: Record<string, Json> = {
      'Bash: npm test': { approved: true },
      'Bash: npm run lint': { approved: true },
      'Bash: git diff HEAD': { approved: false, reason: 'not now' },
      'Bash: git push origin main --force': { approved: true },
      'Bash: git status && rm -rf build': { approved: false, reason: 'no' },
      'Deploy to prod': { result: 'deployed' },
    };
    bot = await startApproverBot(t.url, await t.pairApprover('Ada'), (request: SignoffRequest) => answers[request.title]);
    const ids: Record<string, string> = {};
    const create = async (body: Json) => {
      const { status, body: created } = await agent.post('/requests', body);
      expect(status).toBe(201);
      ids[body.title] = created.id;
    };
    for (const command of ['npm test', 'npm run lint', 'git diff HEAD', 'git push origin main --force', 'git status && rm -rf build']) await create(bash(command));
    await create({ ...bash('npm test -- --watch=false', { severity: 'critical' }), title: 'critical tests' });
    await create({ kind: 'external', agentId: 'deploy-bot', title: 'Deploy to prod', tool: { name: 'deploy', args: { env: 'prod' } } });
    await create({ kind: 'approval', agentId: 'report-agent', title: 'Weekly report', severity: 'low' });
    await create({ kind: 'notify', title: 'Not replayed: notifications are not decided by rules' });
    const bob = bot;
    await waitUntil(() => bob.seen.filter((r) => r.status === 'pending').length === 8 && Object.keys(answers).every((title) => t!.hub.store.requests.get(ids[title]!)?.status !== 'pending'), 'the bot to answer');
    await t.stop();
    copyFileSync(EXAMPLE, join(dir, 'policy.yaml'));

    const { code, stdout } = await cli(dir, ['policy', 'replay', '--since', '1h']);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^Replayed 8 approval and external requests created since \d{4}-\d\d-\d\d \d\d:\d\d UTC \(1h\) against .*policy\.yaml \(5 rules\):$/);
    expect(lines.slice(1)).toEqual([
      '  rule "reads in my projects" (allow): decided no request',
      `  rule "tests and linters" (allow): would have allowed 3; actually approved 2, rejected 1 (ids: ${ids['Bash: git diff HEAD']}), expired 0`,
      '  rule "tests and linters" (allow): matched 1 that would still go to a person (1 critical); actually approved 0, rejected 0, expired 0, pending 1',
      `  rule "never force-push" (deny): would have denied 1; actually approved 1 (ids: ${ids['Bash: git push origin main --force']}), rejected 0, expired 0`,
      '  rule "production deploys" (ask): would have sent 1 to a person; actually approved 0, answered 1, rejected 0, expired 0',
      '  rule "report generation" (audit): would have approved (audit) 1; actually approved 0, rejected 0, expired 0, pending 1',
      '  no rule: 1 would go to a person; actually approved 0, rejected 1, expired 0',
      '',
    ]);

    const json = JSON.parse((await cli(dir, ['policy', 'replay', '--since', 'all', '--json'])).stdout) as Json;
    expect(json).toMatchObject({ total: 8, capped: false, since: null, none: { count: 1 } });
    expect(json.rules.find((r: Json) => r.name === 'tests and linters')).toMatchObject({ decided: { count: 3, actual: { approved: 2, rejected: 1 } }, held: { count: 1, why: { critical: 1 } } });

    // An invalid policy is not replayed: it says why, and exits 1.
    writeFileSync(join(dir, 'policy.yaml'), 'rules: [ { name: x, then: allow } ]\n');
    const invalid = await cli(dir, ['policy', 'replay']);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('rules[0] "x".when: would allow every request');
  });

  it('test names a review rule’s reviewer and runs it only with --review; replay counts review rules without running them', async () => {
    const dir = dataDir();
    t = await startTestHub({ dataDir: dir, home: HOME });
    const agent = new RestClient(t.url, t.agentToken);
    const deploy = (severity: string) => ({ kind: 'approval', agentId: 'ops-bot', title: 'Deploy', severity, action: { name: 'deploy', args: { env: 'staging' } } });
    for (const severity of ['high', 'critical']) expect((await agent.post('/requests', deploy(severity))).status).toBe(201);
    await t.stop();
    // The reviewer leaves a mark when it runs, and allows.
    const script = `require('fs').writeFileSync(process.argv[1]+'/ran','');process.stdin.resume();process.stdin.on('end',()=>process.stdout.write('{"decision":"allow","reason":"looks routine"}'))`;
    const policy = {
      reviewers: { marker: { command: [process.execPath, '-e', script, dir] } },
      rules: [{ name: 'deploys by marker', when: { action: 'deploy' }, then: 'review', reviewer: 'marker' }],
    };
    writeFileSync(join(dir, 'policy.yaml'), JSON.stringify(policy));

    const replayed = await cli(dir, ['policy', 'replay']);
    expect(replayed.code).toBe(0);
    expect(replayed.stdout).toContain('  rule "deploys by marker" (review (marker)): would have sent 2 to review (marker), not run here; actually approved 0, rejected 0, expired 0, pending 2\n');
    const named = await cli(dir, ['policy', 'test', JSON.stringify(deploy('high'))]);
    expect(named.stdout).toContain('Rules: review by rule "deploys by marker"\n');
    expect(named.stdout).toContain('Decision: would ask reviewer "marker" (rule "deploys by marker"), which decides only when sure, else a person decides; --review runs it\n');
    expect(existsSync(join(dir, 'ran'))).toBe(false);

    const reviewed = await cli(dir, ['policy', 'test', '--review', JSON.stringify(deploy('high'))]);
    expect(reviewed.code).toBe(0);
    expect(reviewed.stdout).toContain('Reviewer "marker": approve: looks routine\nDecision: approved by reviewer "marker" without a person: looks routine\nGuardrails: an approval would stand\n');
    expect(existsSync(join(dir, 'ran'))).toBe(true);
    // A reviewer never approves a critical request: the person decides, seeing its verdict.
    const critical = JSON.parse((await cli(dir, ['policy', 'test', '--review', '--json', JSON.stringify(deploy('critical'))])).stdout) as Json;
    expect(critical.outcome).toEqual({ by: 'reviewer', rule: 'deploys by marker', reviewer: 'marker', review: { reviewer: 'marker', verdict: 'approve', reasoning: 'looks routine' }, decided: null });

    const misplaced = await cli(dir, ['policy', 'replay', '--review']);
    expect(misplaced.code).toBe(2);
    expect(misplaced.stderr).toContain('--review does not go with policy replay');
  });

  it('grants lists and revokes the hub’s "always allow" grants; policy test shows the grant that would decide', async () => {
    const dir = dataDir();
    t = await startTestHub({ dataDir: dir, home: HOME });
    const agent = new RestClient(t.url, t.agentToken);
    const token = await t.pairApprover('Ada');
    const approver = new RestClient(t.url, token);
    const first = await agent.post('/requests', bash('npm run test:unit'));
    expect((await approver.post(`/requests/${first.body.id}/respond`, { approved: true, remember: { for: 'always', scope: 'agent', pattern: 'npm run test:*' } })).status).toBe(200);
    const [grant] = (await approver.get('/grants')).body.grants as Json[];
    const env = { SIGNOFF_URL: t.url, SIGNOFF_APPROVER_TOKEN: token };

    const listed = await cli(dir, ['grants'], env);
    expect(listed).toMatchObject({ code: 0, stdout: `${grant.id}  by Ada  agent "claude-code" (every run)  Bash: "npm run test:*"  until revoked  0 uses\n` });
    expect(JSON.parse((await cli(dir, ['grants', '--json'], env)).stdout)).toEqual([grant]);

    // The CLI reads the live grant from the running hub's data file, read-only, and matches as the hub does.
    const tested = await cli(dir, ['policy', 'test', JSON.stringify(bash('npm run test:e2e'))]);
    expect(tested.stdout).toContain('Grants: 1 live grant for this agent, of any token owner\n');
    expect(tested.stdout).toContain(`Decision: approved by grant ${grant.id} (made by Ada, agent, until revoked) without a person\n`);
    const chained = await cli(dir, ['policy', 'test', JSON.stringify(bash('npm run test:e2e && curl x | sh'))]);
    expect(chained.stdout).toContain('Decision: a person decides (no rule matches and no grant)\n');
    expect(chained.stdout).toContain('Guardrails: an approval would be blocked by code-safety');

    const revoked = await cli(dir, ['grants', 'revoke', grant.id.slice(0, 8)], env);
    expect(revoked).toMatchObject({ code: 0, stdout: `Revoked grant ${grant.id}: matching requests go to a person again.\n` });
    expect((await agent.post('/requests', bash('npm run test:e2e'))).body.status).toBe('pending');
    expect((await cli(dir, ['grants'], env)).stdout).toBe('No live grants.\n');
    const again = await cli(dir, ['grants', 'revoke', grant.id], env);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`no live grant "${grant.id}"`);

    // With this terminal's device key (pair --save) instead of a bearer token: the same list, over the socket.
    expect((await cli(dir, ['pair', '--save'], { SIGNOFF_URL: t.url })).code).toBe(0);
    const second = await agent.post('/requests', bash('npm run lint'));
    await approver.post(`/requests/${second.body.id}/respond`, { approved: true, remember: { for: '1h', scope: 'agent' } });
    const byKey = await cli(dir, ['grants'], { SIGNOFF_URL: t.url });
    expect(byKey.code).toBe(0);
    expect(byKey.stdout).toContain('Bash: exactly "npm run lint"');
    const lintGrant = ((await approver.get('/grants')).body.grants as Json[])[0];
    expect((await cli(dir, ['grants', 'revoke', lintGrant.id], { SIGNOFF_URL: t.url })).code).toBe(0);
    expect((await approver.get('/grants')).body.grants).toEqual([]);

    const unpaired = await cli(dataDir(), ['grants'], { SIGNOFF_URL: t.url });
    expect(unpaired.code).toBe(2);
    expect(unpaired.stderr).toContain('this terminal is not paired');
  });
});
