import { describe, expect, it } from 'vitest';
import { EMPTY_POLICY, validatePolicy } from './policy-schema.js';

const errorsOf = (input: unknown) => {
  const result = validatePolicy(input);
  if (result.ok) throw new Error('expected the policy to be refused');
  return result.errors.map((e) => e.message);
};
const warningsOf = (input: unknown) => {
  const result = validatePolicy(input);
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return result.warnings.map((w) => w.message);
};

describe('policy schema', () => {
  it('normalizes a single value into a list and fills the guardrails in', () => {
    const result = validatePolicy({
      rules: [{ name: 'tests', when: { action: 'Bash', command: 'npm   test*', args: { env: 'prod', port: 8080, dry: true } }, then: 'allow' }],
    });
    expect(result).toEqual({
      ok: true,
      policy: {
        rules: [{ name: 'tests', when: { action: ['Bash'], command: ['npm test*'], args: { env: ['prod'], port: ['8080'], dry: ['true'] } }, then: 'allow' }],
        guardrails: { 'code-safety': true, pii: true },
      },
      warnings: [],
    });
  });

  it('reads on/off and true/false for guardrails', () => {
    const result = validatePolicy({ guardrails: { 'code-safety': 'off', pii: false } });
    expect(result.ok && result.policy.guardrails).toEqual({ 'code-safety': false, pii: false });
    expect(errorsOf({ guardrails: { pii: 'yes' } })).toEqual(['guardrails.pii: expected on or off']);
    expect(errorsOf({ guardrails: { secrets: 'on' } })).toEqual(['guardrails: unknown field "secrets" (expected code-safety, pii)']);
  });

  it('is the empty policy for an empty file', () => {
    expect(validatePolicy(null)).toEqual({ ok: true, policy: EMPTY_POLICY, warnings: [] });
    expect(validatePolicy({})).toEqual({ ok: true, policy: EMPTY_POLICY, warnings: [] });
  });

  it('names the rule and the field in every error', () => {
    const rules = [
      { name: 'ok', when: { action: 'Read' }, then: 'allow' },
      { name: 'two', when: { action: 'Bash' }, then: 'ask' },
      { name: 'never force-push', when: { action: 'Bash', command: { git: 'push' } }, then: 'deny' },
    ];
    expect(errorsOf({ rules })).toEqual(['rules[2] "never force-push".when.command: expected a string or a list of strings']);
  });

  it.each([
    [{ name: 'r', when: { command: ['npm test', 3] }, then: 'ask' }, 'rules[0] "r".when.command[1]: expected a string'],
    [{ name: 'r', when: { command: [] }, then: 'ask' }, 'rules[0] "r".when.command: expected a string or a list of strings, not an empty list'],
    [{ name: 'r', when: { action: '  ' }, then: 'ask' }, 'rules[0] "r".when.action: expected a string or a list of strings'],
    [{ name: 'r', when: { actions: 'Bash' }, then: 'ask' }, 'rules[0] "r".when: unknown field "actions" (expected agent, machine, kind, severity, action, command, path, args)'],
    [{ name: 'r', when: { severity: ['low', 'urgent'] }, then: 'ask' }, 'rules[0] "r".when.severity[1]: expected one of low, medium, high, critical'],
    [{ name: 'r', when: { kind: 'notify' }, then: 'ask' }, 'rules[0] "r".when.kind: expected a kind or a list of kinds'],
    [{ name: 'r', when: { kind: ['notify'] }, then: 'ask' }, 'rules[0] "r".when.kind[0]: expected approval or external (rules decide only these kinds; the others always go to a person)'],
    [{ name: 'r', when: { args: { env: { a: 1 } } }, then: 'ask' }, 'rules[0] "r".when.args.env: expected a string, number or boolean or a list of them'],
    [{ name: 'r', when: { args: 'env' }, then: 'ask' }, 'rules[0] "r".when.args: expected a mapping of argument names to globs'],
    [{ name: 'r', when: 'Bash', then: 'ask' }, 'rules[0] "r".when: expected a mapping of conditions'],
    [{ name: 'r', when: { action: 'Bash' }, then: 'maybe' }, 'rules[0] "r".then: expected one of allow, deny, ask, review, audit'],
    [{ name: 'r', when: { action: 'Bash' } }, 'rules[0] "r".then: required: one of allow, deny, ask, review, audit'],
    [{ when: { action: 'Bash' }, then: 'ask' }, 'rules[0].name: required'],
    [{ name: 'r', when: { action: 'Bash' }, then: 'deny', because: 'x' }, 'rules[0] "r": unknown field "because" (expected name, when, then, reason, reviewer)'],
    [{ name: 'r', when: { action: 'Bash' }, then: 'deny', reason: 7 }, 'rules[0] "r".reason: expected a string'],
    [{ name: 'r', then: 'allow' }, 'rules[0] "r".when: would allow every request; name at least one condition'],
    [{ name: 'r', when: {}, then: 'audit' }, 'rules[0] "r".when: would approve every request; name at least one condition'],
    ['allow everything', 'rules[0]: expected a rule (a mapping with name, when, then)'],
  ])('refuses %j', (rule, message) => {
    expect(errorsOf({ rules: [rule] })).toEqual([message]);
  });

  it('refuses a name used twice, pointing at the later rule', () => {
    const rule = { name: 'same', when: { action: 'Read' }, then: 'allow' };
    expect(errorsOf({ rules: [rule, { ...rule, then: 'deny' }] })).toEqual(['rules[1] "same".name: the name is already used by rules[0]']);
  });

  it('refuses unknown top-level fields and a rules value that is not a list', () => {
    expect(errorsOf({ rule: [] })).toEqual(['unknown field "rule" (expected rules, guardrails, judge, reviewers)']);
    expect(errorsOf({ rules: { name: 'x' } })).toEqual(['rules: expected a list of rules']);
    expect(errorsOf(['rules'])).toEqual(['expected a mapping with rules (and optionally guardrails, judge, reviewers)']);
  });

  it('refuses argument names that are JavaScript internals', () => {
    const args = JSON.parse('{"__proto__": "x"}') as unknown;
    expect(errorsOf({ rules: [{ name: 'r', when: { args }, then: 'ask' }] })).toEqual(['rules[0] "r".when.args.__proto__: not a usable argument name']);
  });

  it('warns about bare wildcards in allow rules, critical severity in allow rules, and deny or ask with no conditions', () => {
    expect(
      warningsOf({
        rules: [
          { name: 'all commands', when: { action: 'Bash', command: '*' }, then: 'allow' },
          { name: 'all tools', when: { action: '*', agent: 'ci-*' }, then: 'audit' },
          { name: 'anywhere', when: { action: 'Read', path: '/**' }, then: 'allow' },
          { name: 'any env', when: { action: 'deploy', args: { env: '*' } }, then: 'allow' },
          { name: 'critical too', when: { agent: 'x', severity: ['high', 'critical'] }, then: 'allow' },
          { name: 'lock-down', then: 'deny' },
          { name: 'ask all', when: {}, then: 'ask' },
          { name: 'fine', when: { action: '*' }, then: 'ask' },
          { name: 'scripts', when: { command: ['python *', 'npx*', 'npm test*'] }, then: 'allow' },
        ],
      }),
    ).toEqual([
      'rules[0] "all commands".when.command: a bare wildcard allows every command; is that meant?',
      'rules[1] "all tools".when.action: a bare wildcard approves every action; is that meant?',
      'rules[2] "anywhere".when.path: a bare wildcard allows every path; is that meant?',
      'rules[3] "any env".when.args.env: a bare wildcard allows every value; is that meant?',
      'rules[4] "critical too".when.severity: critical requests always go to a person; this rule never allows them',
      'rules[5] "lock-down".when: denies every approval and external request',
      'rules[6] "ask all".when: asks for every approval and external request, so no allow or audit rule can apply',
      'rules[8] "scripts".when.command: "python *" allows any program python can run; is that meant?',
      'rules[8] "scripts".when.command: "npx*" allows any program npx can run; is that meant?',
    ]);
  });
});

describe('policy schema: reviewers', () => {
  const judge = { url: 'http://localhost:11434/v1/chat/completions', model: 'llama3.1', criteria: 'Approve only what cannot lose work.' };
  const reviewers = { 'lint-check': { command: ['node', 'review.js'], timeout: '5s' } };

  it('reads the judge and reviewer commands with their defaults, and review rules with their reviewer', () => {
    const result = validatePolicy({
      judge,
      reviewers,
      rules: [
        { name: 'judge the rest', when: { action: 'Bash' }, then: 'review', reviewer: 'judge' },
        { name: 'lint', when: { action: 'Write' }, then: 'review', reviewer: 'lint-check' },
      ],
    });
    expect(result.ok && result.policy).toEqual({
      rules: [
        { name: 'judge the rest', when: { action: ['Bash'] }, then: 'review', reviewer: 'judge' },
        { name: 'lint', when: { action: ['Write'] }, then: 'review', reviewer: 'lint-check' },
      ],
      guardrails: { 'code-safety': true, pii: true },
      judge: { ...judge, threshold: 0.8, timeoutMs: 20_000 },
      reviewers: { 'lint-check': { command: ['node', 'review.js'], timeoutMs: 5000 } },
    });
    const tuned = validatePolicy({ judge: { ...judge, apiKeyEnv: 'OPENAI_API_KEY', threshold: 0.9, timeout: '1500ms' } });
    expect(tuned.ok && tuned.policy.judge).toEqual({ ...judge, apiKeyEnv: 'OPENAI_API_KEY', threshold: 0.9, timeoutMs: 1500 });
  });

  it('names the rule and the field when a review rule has no reviewer, an unknown one or no judge configured', () => {
    expect(errorsOf({ rules: [{ name: 'r', when: { action: 'Bash' }, then: 'review' }] })).toEqual([
      'rules[0] "r".reviewer: required with then: review (judge or a name under reviewers)',
    ]);
    expect(errorsOf({ reviewers, rules: [{ name: 'r', when: { action: 'Bash' }, then: 'review', reviewer: 'lint' }] })).toEqual([
      'rules[0] "r".reviewer: no reviewer named "lint" under reviewers',
    ]);
    expect(errorsOf({ rules: [{ name: 'r', when: { action: 'Bash' }, then: 'review', reviewer: 'judge' }] })).toEqual([
      'rules[0] "r".reviewer: names the judge, but no judge is configured',
    ]);
    expect(errorsOf({ judge, rules: [{ name: 'r', when: { action: 'Bash' }, then: 'allow', reviewer: 'judge' }] })).toEqual([
      'rules[0] "r".reviewer: only a rule with then: review has a reviewer',
    ]);
  });

  it('checks the judge and reviewer commands field by field', () => {
    expect(errorsOf({ judge: { ...judge, url: 'ftp://x' } })).toEqual(['judge.url: expected an http(s) URL']);
    expect(errorsOf({ judge: { ...judge, threshold: 2 } })).toEqual(['judge.threshold: expected a number between 0 and 1']);
    expect(errorsOf({ judge: { ...judge, timeout: 'soon' } })).toEqual(['judge.timeout: expected a duration like 20s, 1500ms or 2m, at most 5m']);
    expect(errorsOf({ judge: { url: judge.url, model: 'm' } })).toEqual(['judge.criteria: required']);
    expect(errorsOf({ judge: { ...judge, key: 'sk-…' } })).toEqual(['judge: unknown field "key" (expected url, model, apiKeyEnv, criteria, threshold, timeout)']);
    expect(errorsOf({ reviewers: { r: { command: 'node review.js' } } })).toEqual(['reviewers.r.command: expected a list of strings (the program and its arguments)']);
    expect(errorsOf({ reviewers: { r: { command: [] } } })).toEqual(['reviewers.r.command: expected the program and its arguments']);
  });

  it('warns about a review rule with no conditions', () => {
    expect(warningsOf({ judge, rules: [{ name: 'all', then: 'review', reviewer: 'judge' }] })).toEqual([
      'rules[0] "all".when: sends every approval and external request to the reviewer "judge", so no allow or audit rule can apply',
    ]);
  });
});
