import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../policy/policy-file.js';
import { EMPTY_POLICY } from '../policy/policy-schema.js';
import { checkLines, checkReport, conditionsLine, ruleIndexOf, testLines, untilText, type TestReport } from './policy-report.js';

describe('policy check report', () => {
  it('writes a rule’s conditions on one line, quoting globs only where blanks or separators would blur them', () => {
    expect(conditionsLine({})).toBe('every approval and external request');
    expect(
      conditionsLine({ agent: ['deploy-*'], kind: ['approval'], severity: ['low', 'medium'], action: ['Read', 'Grep'], command: ['npm test*'], path: ['~/code/**'], args: { env: ['prod'], 'dry run': ['a;b'] } }),
    ).toBe('agent: deploy-*; kind: approval; severity: low, medium; action: Read, Grep; command: "npm test*"; path: ~/code/**; args.env: prod; args.dry run: "a;b"');
  });

  it('attaches each warning to its rule by the rules[N] in its location', () => {
    expect(ruleIndexOf('policy.yaml:3:5: rules[12] "x".when: y')).toBe(12);
    expect(ruleIndexOf('policy.yaml: larger than 256 KiB')).toBeUndefined();
    const parsed = parsePolicy('rules:\n  - name: all\n    then: ask\n  - name: go\n    when: { action: Bash, severity: critical }\n    then: allow\n');
    const report = checkReport('/d/policy.yaml', parsed);
    expect(report.rules.map((r) => r.warnings.length)).toEqual([1, 1]);
    expect(checkLines(report)).toEqual([
      '/d/policy.yaml: valid, 2 rules, 2 warnings; guardrails code-safety on, pii on',
      '  all — ask — every approval and external request',
      '      warning: policy.yaml:2:5: rules[0] "all".when: asks for every approval and external request, so no allow or audit rule can apply',
      '  go — allow — severity: critical; action: Bash',
      '      warning: policy.yaml:5:37: rules[1] "go".when.severity: critical requests always go to a person; this rule never allows them',
      '  note: critical requests always go to a person; no allow or audit rule ever decides them',
    ]);
  });

  it('lists every error, says the hub keeps its last policy only for the data dir’s file, and names a missing file', () => {
    const invalid = checkReport('/d/policy.yaml', { ok: false, errors: ['policy.yaml:2:3: a', 'policy.yaml:4:1: b'] });
    expect(invalid.valid).toBe(false);
    expect(checkLines(invalid)).toEqual(['/d/policy.yaml is invalid (2 errors); a running hub keeps the policy it last loaded:', '  policy.yaml:2:3: a', '  policy.yaml:4:1: b']);
    expect(checkLines(invalid, false)[0]).toBe('/d/policy.yaml is invalid (2 errors):');
    const missing = checkReport('/d/policy.yaml', { ok: true, policy: EMPTY_POLICY, warnings: [], missing: true });
    expect(checkLines(missing)).toEqual(['/d/policy.yaml: no policy.yaml: every request goes to a person; guardrails code-safety and pii are on']);
    expect(checkLines(checkReport('/d/p.yaml', { ok: true, policy: EMPTY_POLICY, warnings: [] }))).toEqual([
      '/d/p.yaml: valid, 0 rules; guardrails code-safety on, pii on',
      '  no rules: every request goes to a person',
    ]);
  });
});

describe('policy test report', () => {
  const base: TestReport = {
    policy: { file: '/d/policy.yaml', present: true, rules: 5 },
    request: { kind: 'approval', agentId: 'claude-code', severity: 'medium', action: 'Bash', runId: null },
    rules: { effect: 'allow', rule: 'tests', matches: [{ rule: 'tests', effect: 'allow' }] },
    grants: { considered: 0, note: null },
    outcome: { by: 'rule', rule: 'tests', status: 'resolved', approved: true, audit: false, reason: 'Allowed by the policy rule "tests".' },
    guardrails: { checked: true, blocked: null, unguarded: null, note: null },
  };

  it('says the request, the policy, the rules’ verdict with every match, the grants, the decision and the guardrails', () => {
    expect(testLines(base)).toEqual([
      'Request: approval "Bash", medium, agent "claude-code"',
      'Policy: /d/policy.yaml (5 rules)',
      'Rules: allow by rule "tests"',
      '  matching rules: "tests" (allow)',
      'Grants: 0 live grants for this agent, of any token owner',
      'Decision: approved by rule "tests" without a person: Allowed by the policy rule "tests".',
      'Guardrails: an approval would stand',
    ]);
  });

  it('words a grant, a person, a kind rules never decide, a missing policy and each guardrail answer', () => {
    const byGrant = testLines({
      ...base,
      grants: { considered: 1, note: null },
      outcome: { by: 'grant', grant: { id: 'g1', createdBy: 'Ada', scope: 'run', runId: 'r9', expiresAt: null }, reason: '' },
      guardrails: { checked: true, blocked: null, unguarded: { id: 'pii', reason: 'Contains a card number, in args.body.' }, note: null },
    });
    expect(byGrant).toContain('Grants: 1 live grant for this agent, of any token owner');
    expect(byGrant).toContain('Decision: approved by grant g1 (made by Ada, run r9, until revoked) without a person');
    expect(byGrant).toContain('Guardrails: an approval would stand only because pii is off; it would block: Contains a card number, in args.body.');

    const notify = testLines({
      ...base,
      policy: { file: '/d/policy.yaml', present: false, rules: 0 },
      request: { kind: 'notify', agentId: null, severity: 'medium', action: null, runId: 'r1' },
      rules: { effect: 'none', matches: [] },
      grants: { considered: 0, note: 'no grants (no hub data yet)' },
      outcome: { by: 'person', reason: 'rules decide only approval and external requests, not notify' },
      guardrails: { checked: false, blocked: null, unguarded: null, note: 'they check approvals only' },
    });
    expect(notify).toEqual([
      'Request: notify, medium, no agentId, run r1',
      'Policy: none (/d/policy.yaml does not exist)',
      'Rules: none (no rule decides notify requests)',
      'Grants: no grants (no hub data yet)',
      'Decision: a person decides (rules decide only approval and external requests, not notify)',
      'Guardrails: they check approvals only',
    ]);
    const blocked = testLines({ ...base, guardrails: { checked: true, blocked: { id: 'code-safety', reason: 'Deletes "/".' }, unguarded: null, note: null } });
    expect(blocked.at(-1)).toBe('Guardrails: an approval would be blocked by code-safety: Deletes "/".');
    const audit = testLines({ ...base, outcome: { by: 'rule', rule: 'r', status: 'resolved', approved: true, audit: true, reason: 'x' } });
    expect(audit).toContain('Decision: approved (audit: shown in the feed) by rule "r" without a person: x');
  });

  it('names a review rule’s reviewer, and with --review its verdict and what it would then do', () => {
    const review = { ...base, rules: { effect: 'review', rule: 'deploys', reviewer: 'judge', matches: [{ rule: 'deploys', effect: 'review' }] } } as TestReport;
    const named = testLines({ ...review, outcome: { by: 'reviewer', rule: 'deploys', reviewer: 'judge', review: null, decided: null } });
    expect(named).toContain('Rules: review by rule "deploys"');
    expect(named).toContain('Decision: would ask reviewer "judge" (rule "deploys"), which decides only when sure, else a person decides; --review runs it');
    const sure = testLines({
      ...review,
      outcome: { by: 'reviewer', rule: 'deploys', reviewer: 'judge', review: { reviewer: 'judge', verdict: 'deny', confidence: 0.97, reasoning: 'Drops the database.' }, decided: { status: 'resolved', approved: false, reason: 'Drops the database.' } },
    });
    expect(sure).toContain('Reviewer "judge": deny (confidence 0.97): Drops the database.');
    expect(sure).toContain('Decision: rejected by reviewer "judge" without a person: Drops the database.');
    const unsure = testLines({
      ...review,
      outcome: { by: 'reviewer', rule: 'deploys', reviewer: 'shell-check', review: { reviewer: 'shell-check', verdict: 'unsure', reasoning: 'Never seen it.' }, decided: null },
    });
    expect(unsure).toContain('Reviewer "shell-check": unsure: Never seen it.');
    expect(unsure).toContain("Decision: a person decides, seeing the reviewer's verdict");
  });

  it('writes an expiry in local time, or until revoked', () => {
    expect(untilText(null)).toBe('until revoked');
    expect(untilText(new Date(2026, 0, 2, 9, 5).getTime())).toBe('until 2026-01-02 09:05');
  });
});
