import type { Grant } from '@signoff/shared';
import { describe, expect, it } from 'vitest';
import { evaluatePolicy, type PolicyRequest } from './evaluate.js';
import { compileGrant } from './grant-match.js';
import { checkGuardrails } from './guardrails.js';
import { validatePolicy } from './policy-schema.js';
import { RequestFacts } from './request-facts.js';
import { lexCommand } from './shell-lexer.js';

const env = { home: '/home/me' };
const request: PolicyRequest = { kind: 'approval', agentId: 'claude-code', action: { name: 'Bash', args: { command: 'npm test' } }, context: { cwd: '/home/me/app' } };
const checked = validatePolicy({ rules: [{ name: 'tests', when: { action: 'Bash', command: 'npm test*' }, then: 'allow' }] });
if (!checked.ok) throw new Error('policy');
const policy = checked.policy;
const grant = compileGrant(
  {
    id: 'g1',
    createdBy: 'Ada',
    requestId: 'r1',
    agentId: 'claude-code',
    scope: 'agent',
    runId: null,
    match: { type: 'command', action: 'Bash', pattern: 'npm test*', exact: false },
    createdAt: 0,
    expiresAt: null,
    uses: 0,
    lastUsedAt: null,
  } satisfies Grant,
  'owner',
);
const ALL_ON = { 'code-safety': true, pii: true };

describe('RequestFacts: one reading of a request for the rules, the grants and the guardrails', () => {
  it('lexes the command once, and takes the project directory only when absolute', () => {
    const facts = RequestFacts.of(request, env);
    expect(facts.reading).toBe(facts.reading);
    expect(facts.commandAnalysis).toBe(facts.commandAnalysis);
    expect(facts.context).toEqual({ cwd: '/home/me/app', home: '/home/me' });
    expect(RequestFacts.of({ ...request, context: { cwd: 'app' } }, env).context).toEqual({ home: '/home/me' });
  });

  it('is what every piece reads: a part planted in the shared reading is seen by the rules, the grants and the guardrails', () => {
    // As read on their own, all three let `npm test` through.
    expect(evaluatePolicy(policy, request, env).effect).toBe('allow');
    expect(grant.matches(RequestFacts.of(request, env))).toBe(true);
    expect(checkGuardrails({ name: 'Bash', args: request.action!.args }, ALL_ON)).toBeNull();

    // Given the same facts, each sees the one reading, planted part included (a command the guardrails have not read before).
    const planted: PolicyRequest = { ...request, action: { name: 'Bash', args: { command: 'npm test -- --planted' } } };
    const facts = RequestFacts.of(planted, env);
    facts.reading!.parts.push(lexCommand('rm -rf /').parts[0]!);
    expect(evaluatePolicy(policy, planted, env, facts).effect).toBe('none');
    expect(grant.matches(facts)).toBe(false);
    expect(checkGuardrails({ name: 'Bash', args: planted.action!.args }, ALL_ON, facts)?.id).toBe('code-safety');
  });

  it('is not used for a string other than the command it read (an edited command is read afresh)', () => {
    const facts = RequestFacts.of(request, env);
    facts.reading!.parts.push(lexCommand('rm -rf /').parts[0]!);
    expect(checkGuardrails({ name: 'Bash', args: { command: 'npm test -- --edited' } }, ALL_ON, facts)).toBeNull();
  });

  it('applies the rules’ limits to grants too: a command too long to read whole is never allowed by either', () => {
    const long: PolicyRequest = { ...request, action: { name: 'Bash', args: { command: `npm test ${'x'.repeat(20_001)}` } } };
    const facts = RequestFacts.of(long, env);
    expect(evaluatePolicy(policy, long, env, facts).effect).toBe('none');
    expect(grant.matches(facts)).toBe(false);
  });
});
