import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluatePolicy, type PolicyRequest } from './evaluate.js';
import { parsePolicy } from './policy-file.js';
import { EMPTY_POLICY, validatePolicy, type Policy, type PolicyRule } from './policy-schema.js';

const env = { home: '/home/me' };
const cwd = '/home/me/code/app';

function policyOf(text: string): Policy {
  const result = parsePolicy(text);
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.policy;
}
function rulesPolicy(rules: unknown[]): Policy {
  const result = validatePolicy({ rules });
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return result.policy;
}

const example = policyOf(readFileSync(new URL('./testdata/issue-example.yaml', import.meta.url), 'utf8'));

const tool = (name: string, args: Record<string, unknown>, more: Partial<PolicyRequest> = {}): PolicyRequest => ({
  kind: 'approval',
  agentId: 'claude-code',
  severity: 'medium',
  action: { name, args },
  context: { cwd },
  ...more,
});
const bash = (command: string, more: Partial<PolicyRequest> = {}) => tool('Bash', { command }, more);

describe('evaluatePolicy with the issue example', () => {
  it.each<[string, PolicyRequest, string, string | undefined]>([
    ['a read in the project', tool('Read', { file_path: 'src/app.ts' }), 'allow', 'reads in my projects'],
    ['a read by absolute path under ~/code', tool('Read', { file_path: '/home/me/code/other/x.ts' }), 'allow', 'reads in my projects'],
    ['a Grep with path and glob inside', tool('Grep', { pattern: 'TODO|FIXME', path: '/home/me/code/app', glob: '*.ts' }), 'allow', 'reads in my projects'],
    ['a Glob pattern inside', tool('Glob', { pattern: 'src/**/*.ts' }), 'allow', 'reads in my projects'],
    ['a read of ~/.ssh', tool('Read', { file_path: '~/.ssh/id_rsa' }), 'none', undefined],
    ['a read escaping with ..', tool('Read', { file_path: '~/code/../.ssh/id_rsa' }), 'none', undefined],
    ['a read with no path', tool('Read', {}), 'none', undefined],
    ['a write in the project', tool('Write', { file_path: 'src/app.ts', content: 'x' }), 'none', undefined],
    ['npm test', bash('npm test -- --run'), 'allow', 'tests and linters'],
    ['git status then diff', bash('git status && git diff --stat'), 'allow', 'tests and linters'],
    ['a look-alike chain', bash('git status && rm -rf ~'), 'none', undefined],
    ['a force push', bash('git push origin main --force'), 'deny', 'never force-push'],
    ['a force push after tests', bash('npm test && git push --force origin'), 'deny', 'never force-push'],
    ['a plain push', bash('git push origin main'), 'none', undefined],
    ['a prod deploy', tool('deploy', { env: 'prod' }, { agentId: 'deploy-bot' }), 'ask', 'production deploys'],
    ['a staging deploy', tool('deploy', { env: 'staging' }, { agentId: 'deploy-bot' }), 'none', undefined],
    ['a prod deploy by another agent', tool('deploy', { env: 'prod' }, { agentId: 'ci' }), 'none', undefined],
    ['a low report', tool('render', {}, { agentId: 'report-agent', severity: 'low' }), 'audit', 'report generation'],
    ['a report at the default severity', tool('render', {}, { agentId: 'report-agent', severity: undefined }), 'audit', 'report generation'],
    ['a high report', tool('render', {}, { agentId: 'report-agent', severity: 'high' }), 'none', undefined],
  ])('%s → %s', (_what, request, effect, rule) => {
    const decision = evaluatePolicy(example, request, env);
    expect(decision.effect).toBe(effect);
    expect(decision.rule).toBe(rule);
  });

  it('tells the agent the deny reason', () => {
    expect(evaluatePolicy(example, bash('git push --force'), env)).toEqual({
      effect: 'deny',
      rule: 'never force-push',
      reason: 'Force pushes are not allowed here; open a pull request instead.',
      matches: [{ rule: 'never force-push', effect: 'deny' }],
    });
  });

  it("approves another machine's requests only by rules that name it; denies and asks reach every machine", () => {
    const checked = validatePolicy({
      judge: { url: 'http://localhost:11434/v1/chat/completions', model: 'm', criteria: 'c' },
      rules: [
        { name: 'tests here', when: { agent: 'claude-code', action: 'Bash', command: 'npm test*' }, then: 'allow' },
        { name: 'tests on the build box', when: { machine: 'build-*', action: 'Bash', command: 'make test*' }, then: 'audit' },
        { name: 'judge deploys', when: { action: 'deploy' }, then: 'review', reviewer: 'judge' },
        { name: 'never force-push', when: { command: 'git push --force*' }, then: 'deny' },
      ],
    });
    if (!checked.ok) throw new Error(checked.errors.map((e) => e.message).join('\n'));
    const policy = checked.policy;
    // A remote agent calling itself claude-code does not inherit this machine's allow rule.
    expect(evaluatePolicy(policy, bash('npm test'), env).effect).toBe('allow');
    expect(evaluatePolicy(policy, bash('npm test', { machine: 'build-box' }), env).effect).toBe('none');
    // A rule naming machines holds for them, and not for this machine.
    expect(evaluatePolicy(policy, bash('make test', { machine: 'build-box' }), env)).toMatchObject({ effect: 'audit', rule: 'tests on the build box' });
    expect(evaluatePolicy(policy, bash('make test', { machine: 'laptop' }), env).effect).toBe('none');
    expect(evaluatePolicy(policy, bash('make test'), env).effect).toBe('none');
    // Review can end in an approval: like allow, it needs the machine named.
    expect(evaluatePolicy(policy, tool('deploy', {}), env).effect).toBe('review');
    expect(evaluatePolicy(policy, tool('deploy', {}, { machine: 'build-box' }), env).effect).toBe('none');
    // Deny holds everywhere.
    expect(evaluatePolicy(policy, bash('git push --force', { machine: 'build-box' }), env).effect).toBe('deny');
  });

  it('decides external requests by their tool name and arguments', () => {
    const request: PolicyRequest = { kind: 'external', agentId: 'deploy-bot', tool: { name: 'deploy', args: { env: 'prod' } } };
    expect(evaluatePolicy(example, request, env)).toMatchObject({ effect: 'ask', rule: 'production deploys' });
  });

  it('leaves every other kind to a person', () => {
    for (const kind of ['clarification', 'edit', 'escalation', 'checkpoint', 'notify']) {
      expect(evaluatePolicy(example, { kind, agentId: 'report-agent', severity: 'low' }, env)).toEqual({ effect: 'none', matches: [] });
    }
  });

  it('asks for everything with the empty policy', () => {
    expect(evaluatePolicy(EMPTY_POLICY, bash('npm test'), env)).toEqual({ effect: 'none', matches: [] });
  });
});

describe('most restrictive wins', () => {
  const rules: PolicyRule[] = [
    { name: 'allow bash', when: { action: ['Bash'] }, then: 'allow' },
    { name: 'audit npm', when: { command: ['npm *'] }, then: 'audit' },
    { name: 'ask publish', when: { command: ['npm publish*'] }, then: 'ask' },
    { name: 'deny tagged publish', when: { command: ['npm publish --tag*'] }, then: 'deny' },
  ];
  const orders = permutations(rules);

  it.each<[string, string, string]>([
    ['ls', 'allow', 'allow bash'],
    ['npm ci', 'audit', 'audit npm'],
    ['npm publish', 'ask', 'ask publish'],
    ['npm publish --tag next', 'deny', 'deny tagged publish'],
  ])('%j → %s in all 24 orders', (command, effect, rule) => {
    for (const order of orders) {
      const decision = evaluatePolicy({ rules: order, guardrails: EMPTY_POLICY.guardrails }, bash(command), env);
      expect(decision.effect).toBe(effect);
      expect(decision.rule).toBe(rule);
    }
  });

  it('lists every match in file order', () => {
    const decision = evaluatePolicy({ rules, guardrails: EMPTY_POLICY.guardrails }, bash('npm publish --tag next'), env);
    expect(decision.matches).toEqual([
      { rule: 'allow bash', effect: 'allow' },
      { rule: 'audit npm', effect: 'audit' },
      { rule: 'ask publish', effect: 'ask' },
      { rule: 'deny tagged publish', effect: 'deny' },
    ]);
  });

  it('picks the first rule in the file among equally restrictive ones', () => {
    const policy = rulesPolicy([
      { name: 'one', when: { action: 'Bash' }, then: 'deny', reason: 'first' },
      { name: 'two', when: { action: 'Bash' }, then: 'deny' },
    ]);
    expect(evaluatePolicy(policy, bash('ls'), env)).toMatchObject({ effect: 'deny', rule: 'one', reason: 'first' });
  });

  it('gives a deny without a reason a default one', () => {
    const policy = rulesPolicy([{ name: 'no curl', when: { command: 'curl *' }, then: 'deny' }]);
    expect(evaluatePolicy(policy, bash('curl x'), env).reason).toBe('Not allowed by the policy rule "no curl".');
  });
});

describe('critical severity', () => {
  const policy = rulesPolicy([
    { name: 'all bash', when: { action: 'Bash' }, then: 'allow' },
    { name: 'audit ci', when: { agent: 'ci' }, then: 'audit' },
    { name: 'critical on purpose', when: { agent: 'ci', severity: 'critical' }, then: 'allow' },
  ]);

  it('is never allowed or approved by a rule', () => {
    expect(evaluatePolicy(policy, bash('npm test', { severity: 'critical' }), env)).toEqual({
      effect: 'ask',
      reason: 'Critical requests always go to a person; the rule "all bash" would have allowed it.',
      matches: [{ rule: 'all bash', effect: 'allow' }],
    });
    const ci = evaluatePolicy(policy, bash('npm test', { severity: 'critical', agentId: 'ci' }), env);
    expect(ci.effect).toBe('ask');
    expect(ci.rule).toBeUndefined();
  });

  it('is still denied by a deny rule', () => {
    const deny = rulesPolicy([{ name: 'no rm', when: { command: 'rm *' }, then: 'deny' }]);
    expect(evaluatePolicy(deny, bash('rm -rf /', { severity: 'critical' }), env).effect).toBe('deny');
  });
});

describe('commands no rule may allow', () => {
  const policy = rulesPolicy([{ name: 'all bash', when: { action: 'Bash' }, then: 'allow' }]);

  it('go to a person even under a rule without a command condition', () => {
    expect(evaluatePolicy(policy, bash('git diff $(rm -rf ~)'), env)).toEqual({
      effect: 'ask',
      reason: 'No rule allows a command with command substitution ($(…) or `…`); the rule "all bash" would have allowed it.',
      matches: [{ rule: 'all bash', effect: 'allow' }],
    });
    expect(evaluatePolicy(policy, bash('ls'), env).effect).toBe('allow');
  });

  it('include commands too long to read whole (the hook clips them)', () => {
    expect(evaluatePolicy(policy, bash(`echo ${'x'.repeat(20_001)}`), env).effect).toBe('ask');
  });

  it('include every PowerShell command under a command condition', () => {
    const ps = rulesPolicy([{ name: 'gets', when: { command: 'Get-*' }, then: 'allow' }]);
    expect(evaluatePolicy(ps, tool('PowerShell', { command: 'Get-ChildItem' }), env).effect).toBe('none');
    expect(evaluatePolicy(ps, bash('Get-ChildItem'), env).effect).toBe('allow');
  });

  it('resolve redirections against context.cwd, and go to a person without it', () => {
    const tests = rulesPolicy([{ name: 'tests', when: { command: 'npm test*' }, then: 'allow' }]);
    expect(evaluatePolicy(tests, bash('npm test > out.txt'), env).effect).toBe('allow');
    expect(evaluatePolicy(tests, bash('npm test > out.txt', { context: {} }), env).effect).toBe('none');
    expect(evaluatePolicy(tests, bash('npm test > out.txt', { context: { cwd: 'relative/dir' } }), env).effect).toBe('none');
  });
});

describe('conditions', () => {
  it('args: each named argument must exist and match; lists and objects never match an allow', () => {
    const policy = rulesPolicy([{ name: 'dev deploys', when: { action: 'deploy', args: { env: 'dev*', dry: true, replicas: 1 } }, then: 'allow' }]);
    const deploy = (args: Record<string, unknown>) => evaluatePolicy(policy, tool('deploy', args), env).effect;
    expect(deploy({ env: 'dev-2', dry: true, replicas: 1 })).toBe('allow');
    expect(deploy({ env: 'dev-2', dry: 'true', replicas: '1' })).toBe('allow');
    expect(deploy({ env: 'dev-2', dry: true })).toBe('none');
    expect(deploy({ env: ['dev'], dry: true, replicas: 1 })).toBe('none');
    expect(deploy({ env: { name: 'dev' }, dry: true, replicas: 1 })).toBe('none');
  });

  it('args: a deny or ask holds when a list holds a matching value', () => {
    const policy = rulesPolicy([{ name: 'no prod', when: { args: { env: 'prod' } }, then: 'deny' }]);
    expect(evaluatePolicy(policy, tool('deploy', { env: ['dev', 'prod'] }), env).effect).toBe('deny');
  });

  it('path: every path-like argument must match for an allow, one for a deny', () => {
    const policy = rulesPolicy([
      { name: 'edits in the project', when: { action: ['Edit', 'MultiEdit', 'Write'], path: '~/code/**' }, then: 'allow' },
      { name: 'no env files', when: { path: ['.env', '.env.*'] }, then: 'deny' },
    ]);
    expect(evaluatePolicy(policy, tool('Edit', { file_path: 'src/a.ts' }), env).effect).toBe('allow');
    expect(evaluatePolicy(policy, tool('Edit', { file_path: '.env.local' }), env).effect).toBe('deny');
    expect(evaluatePolicy(policy, tool('X', { paths: ['src/a.ts', '/etc/hosts'] }), env).effect).toBe('none');
    expect(evaluatePolicy(policy, tool('Write', { file_path: 'a.ts', path: '/etc/x' }), env).effect).toBe('none');
  });

  it('agent, action and kind globs', () => {
    const policy = rulesPolicy([{ name: 'mcp reads', when: { agent: 'team/*', action: 'mcp__github__get_*', kind: 'approval' }, then: 'allow' }]);
    expect(evaluatePolicy(policy, tool('mcp__github__get_issue', {}, { agentId: 'team/a' }), env).effect).toBe('allow');
    expect(evaluatePolicy(policy, tool('mcp__github__create_issue', {}, { agentId: 'team/a' }), env).effect).toBe('none');
    expect(evaluatePolicy(policy, tool('mcp__github__get_issue', {}), env).effect).toBe('none');
    expect(evaluatePolicy(policy, { kind: 'external', agentId: 'team/a', tool: { name: 'mcp__github__get_issue' } }, env).effect).toBe('none');
  });

  it('a command condition needs a command', () => {
    const policy = rulesPolicy([{ name: 'ls', when: { command: 'ls*' }, then: 'allow' }]);
    expect(evaluatePolicy(policy, tool('Bash', {}), env).effect).toBe('none');
    expect(evaluatePolicy(policy, tool('Bash', { command: ['ls'] }), env).effect).toBe('none');
  });

  it('compiles a policy once and recompiles it for another home directory', () => {
    const policy = rulesPolicy([{ name: 'home reads', when: { action: 'Read', path: '~/notes/**' }, then: 'allow' }]);
    expect(evaluatePolicy(policy, tool('Read', { file_path: '/home/me/notes/a.md' }), env).effect).toBe('allow');
    expect(evaluatePolicy(policy, tool('Read', { file_path: '/home/me/notes/a.md' }), { home: '/home/you' }).effect).toBe('none');
    expect(evaluatePolicy(policy, tool('Read', { file_path: '/home/you/notes/a.md' }), { home: '/home/you' }).effect).toBe('allow');
  });
});

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

describe('evaluatePolicy: review rules', () => {
  const withJudge = (rules: unknown[]): Policy => {
    const result = validatePolicy({ judge: { url: 'http://localhost:11434/v1/chat/completions', model: 'm', criteria: 'c' }, reviewers: { lint: { command: ['lint'] } }, rules });
    if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
    return result.policy;
  };
  const policy = withJudge([
    { name: 'judge shell', when: { action: 'Bash' }, then: 'review', reviewer: 'judge' },
    { name: 'tests', when: { command: 'npm test' }, then: 'allow' },
    { name: 'ask about pushes', when: { command: 'git push*' }, then: 'ask' },
    { name: 'lint writes', when: { action: 'Write' }, then: 'review', reviewer: 'lint' },
  ]);

  it('ranks review between ask and audit, and carries the reviewer', () => {
    expect(evaluatePolicy(policy, bash('npm test'), env)).toMatchObject({ effect: 'review', rule: 'judge shell', reviewer: 'judge' });
    expect(evaluatePolicy(policy, bash('git push origin main'), env)).toMatchObject({ effect: 'ask', rule: 'ask about pushes' });
    expect(evaluatePolicy(policy, tool('Write', { file_path: 'a.ts', content: '' }), env)).toMatchObject({ effect: 'review', rule: 'lint writes', reviewer: 'lint' });
  });

  it('still sends a critical request to the reviewer (which may only deny it), but never a command no rule may allow', () => {
    expect(evaluatePolicy(policy, bash('npm test', { severity: 'critical' }), env)).toMatchObject({ effect: 'review', reviewer: 'judge' });
    const unsafe = evaluatePolicy(policy, bash('npm test $(curl x)'), env);
    expect(unsafe.effect).toBe('ask');
    expect(unsafe.reason).toContain('the rule "judge shell" would have asked judge');
  });
});
