import { describe, expect, it } from 'vitest';
import type { PolicyRule } from '../policy/policy-schema.js';
import { Actual, actualOf, actualText, classifyReplay, HeldReason, MAX_IDS_SHOWN, replayLines, ReplayTally } from './policy-replay.js';

const rules: PolicyRule[] = [
  { name: 'tests', when: { action: ['Bash'], command: ['npm test*'] }, then: 'allow' },
  { name: 'no force', when: { command: ['git push *--force*'] }, then: 'deny' },
  { name: 'deploys', when: { action: ['deploy'] }, then: 'ask' },
  { name: 'unused', when: { action: ['Nothing'] }, then: 'audit' },
];

describe('replay', () => {
  it('reads what became of a stored request from its status and response', () => {
    expect(actualOf({ id: 'a', kind: 'approval', status: 'resolved', response: '{"approved":true}' })).toBe(Actual.approved);
    expect(actualOf({ id: 'a', kind: 'approval', status: 'resolved', response: '{"approved":false,"reason":"no"}' })).toBe(Actual.rejected);
    expect(actualOf({ id: 'a', kind: 'approval', status: 'resolved', response: 'not json' })).toBe(Actual.rejected);
    expect(actualOf({ id: 'a', kind: 'external', status: 'resolved', response: '{"result":1}' })).toBe(Actual.answered);
    for (const status of ['expired', 'cancelled', 'blocked', 'pending'] as const) expect(actualOf({ id: 'a', kind: 'approval', status, response: null })).toBe(status);
  });

  it('classifies by what the hub would do: a rule decides, an ask rule asks, allow rules held back, or no rule', () => {
    const approval = { kind: 'approval', severity: 'medium' };
    expect(classifyReplay(approval, { effect: 'allow', rule: 'tests', matches: [{ rule: 'tests', effect: 'allow' }] }, { rule: 'tests', response: { approved: true } })).toEqual({
      would: 'allow',
      rule: 'tests',
      matched: ['tests'],
    });
    expect(classifyReplay(approval, { effect: 'audit', rule: 'r', matches: [] }, { rule: 'r', audit: true, response: { approved: true } })).toMatchObject({ would: 'audit' });
    expect(classifyReplay({ kind: 'external' }, { effect: 'deny', rule: 'no force', matches: [] }, { rule: 'no force', response: null })).toMatchObject({ would: 'deny' });
    expect(classifyReplay(approval, { effect: 'ask', rule: 'deploys', matches: [{ rule: 'deploys', effect: 'ask' }] }, null)).toMatchObject({ would: 'ask', rule: 'deploys' });
    const held = (request: { kind: string; severity?: string }) =>
      classifyReplay(request, { effect: 'ask', matches: [{ rule: 'tests', effect: 'allow' }, { rule: 'unused', effect: 'audit' }] }, null);
    expect(held({ kind: 'approval', severity: 'critical' })).toEqual({ would: 'held', rule: 'unused', why: HeldReason.critical, matched: ['tests', 'unused'] });
    expect(held({ kind: 'external' })).toMatchObject({ why: HeldReason.external });
    expect(held(approval)).toMatchObject({ why: HeldReason.command });
    expect(classifyReplay(approval, { effect: 'none', matches: [] }, null)).toEqual({ would: 'none' });
  });

  it('counts per rule beside what was decided, lists up to ten disagreeing ids, and counts rules overridden', () => {
    const tally = new ReplayTally(rules, 0);
    for (let i = 0; i < 12; i++) tally.add(`r${i}`, Actual.rejected, { would: 'allow', rule: 'tests', matched: ['tests'] });
    tally.add('a1', Actual.approved, { would: 'allow', rule: 'tests', matched: ['tests'] });
    tally.add('b1', Actual.blocked, { would: 'allow', rule: 'tests', matched: ['tests'] });
    tally.add('f1', Actual.approved, { would: 'deny', rule: 'no force', matched: ['tests', 'no force'] });
    tally.add('c1', Actual.expired, { would: 'held', rule: 'tests', why: HeldReason.critical, matched: ['tests'] });
    tally.add('d1', Actual.answered, { would: 'ask', rule: 'deploys', matched: ['deploys'] });
    tally.add('n1', Actual.pending, { would: 'none' });
    tally.stop();
    const report = tally.report();
    expect(report).toMatchObject({ since: 0, total: 18, capped: true });
    const tests = report.rules[0]!;
    expect(tests.decided.disagreeing).toEqual({ rejected: Array.from({ length: MAX_IDS_SHOWN }, (_, i) => `r${i}`) });
    expect(tests.overridden).toBe(1);
    expect(replayLines(report, '/d/policy.yaml', 'ever created')).toEqual([
      'Replayed 18 approval and external requests ever created against /d/policy.yaml (4 rules):',
      '  rule "tests" (allow): would have allowed 14; actually approved 1, rejected 12 (ids: r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, and 2 more), blocked 1, expired 0; matched 1 more that a more restrictive rule decided',
      '  rule "tests" (allow): matched 1 that would still go to a person (1 critical); actually approved 0, rejected 0, expired 1',
      '  rule "no force" (deny): would have denied 1; actually approved 1 (ids: f1), rejected 0, expired 0',
      '  rule "deploys" (ask): would have sent 1 to a person; actually approved 0, answered 1, rejected 0, expired 0',
      '  rule "unused" (audit): decided no request',
      '  no rule: 1 would go to a person; actually approved 0, rejected 0, expired 0, pending 1',
      '  (stopped after the newest 18 requests; narrow --since for a complete count)',
    ]);
  });

  it('counts a review rule’s matches as sent to its reviewer, named, without running it', () => {
    expect(classifyReplay({ kind: 'approval' }, { effect: 'review', rule: 'by judge', reviewer: 'judge', matches: [{ rule: 'by judge', effect: 'review' }] }, null)).toEqual({
      would: 'review',
      rule: 'by judge',
      reviewer: 'judge',
      matched: ['by judge'],
    });
    const tally = new ReplayTally([{ name: 'by judge', when: { action: ['deploy'] }, then: 'review', reviewer: 'judge' }], null);
    tally.add('d1', Actual.approved, { would: 'review', rule: 'by judge', reviewer: 'judge', matched: ['by judge'] });
    tally.add('d2', Actual.rejected, { would: 'review', rule: 'by judge', reviewer: 'judge', matched: ['by judge'] });
    expect(replayLines(tally.report(), '/d/policy.yaml', 'ever created')[1]).toBe(
      '  rule "by judge" (review (judge)): would have sent 2 to review (judge), not run here; actually approved 1, rejected 1, expired 0',
    );
  });

  it('shows ids only where the decision went against the rule', () => {
    const tally = new ReplayTally(rules, null);
    tally.add('x', Actual.rejected, { would: 'ask', rule: 'deploys', matched: [] });
    tally.add('y', Actual.approved, { would: 'allow', rule: 'tests', matched: [] });
    const [tests, , deploys] = tally.report().rules;
    expect(actualText(deploys!.decided)).toBe('approved 0, rejected 1, expired 0');
    expect(actualText(tests!.decided)).toBe('approved 1, rejected 0, expired 0');
  });
});
