import { describe, expect, it } from 'vitest';
import { grantPatternProblem, RememberSchema } from './policy.js';
import { checkResponseFits } from './response-check.js';
import type { SignoffRequest } from './request.js';

describe('grantPatternProblem', () => {
  it('takes the command itself and a prefix of it ending in one *', () => {
    expect(grantPatternProblem('npm run test:unit', 'npm run test:unit')).toBeNull();
    expect(grantPatternProblem('npm run test:unit', 'npm run test:*')).toBeNull();
    expect(grantPatternProblem('git status --short', 'git status*')).toBeNull();
  });

  it.each([
    ['npm run test:unit', '*', 'bare wildcard'],
    ['npm run test:unit', '  *  ', 'bare wildcard'],
    ['npm run test:unit', 'npm *', 'at least'],
    ['rm -rf build', 'rm *', 'never widened'],
    ['bash -c "npm test"', 'bash *', 'never widened'],
    ['sh -c x', 'sh -c *', 'never widened'],
    ['python scripts/build.py', 'python *', 'never widened'],
    ['node build.js', 'node *', 'never widened'],
    ['env FOO=1 npm test', 'env *', 'never widened'],
    ['sudo apt update', 'sudo *', 'never widened'],
    ['/usr/bin/python3 x.py', '/usr/bin/python3 *', 'never widened'],
    ['npm run test:unit', 'npm run *:unit', 'at its end'],
    ['npm run test:unit', 'yarn test*', 'start like the command'],
    ['npm run test:unit', 'npm run test; rm -rf ~*', 'shell operators'],
    ['npm run test:unit', 'npm run $(x)*', 'shell operators'],
    ['npm run test:unit', 'npm run lint', 'the command itself'],
  ])('refuses %j widened to %j (%s)', (command, pattern, words) => {
    expect(grantPatternProblem(command, pattern)).toContain(words);
  });
});

describe('remember in an approval', () => {
  const request = (overrides: Partial<Extract<SignoffRequest, { kind: 'approval' }>> = {}) =>
    ({
      kind: 'approval',
      id: 'r1',
      agentId: 'a',
      title: 'Run tests',
      severity: 'medium',
      createdAt: 0,
      expiresAt: null,
      status: 'pending',
      onTimeout: 'reject',
      action: { name: 'Bash', args: { command: 'npm run test:unit' } },
      alternatives: [{ id: 'lint', description: 'Lint instead' }],
      ...overrides,
    }) as SignoffRequest;
  const remember = { for: '1h', scope: 'agent' } as const;

  it('parses the three durations and two scopes, and nothing else', () => {
    expect(RememberSchema.safeParse({ for: 'today', scope: 'run', pattern: 'npm run test:*' }).success).toBe(true);
    expect(RememberSchema.safeParse({ for: 'forever', scope: 'run' }).success).toBe(false);
    expect(RememberSchema.safeParse({ for: '1h', scope: 'everyone' }).success).toBe(false);
    expect(RememberSchema.safeParse({ for: '1h', scope: 'run', extra: 1 }).success).toBe(false);
  });

  it('fits a plain approval of a repeatable request, with a checked pattern', () => {
    expect(checkResponseFits(request(), { approved: true, remember })).toBeNull();
    expect(checkResponseFits(request(), { approved: true, remember: { ...remember, pattern: 'npm run test:*' } })).toBeNull();
    expect(checkResponseFits(request(), { approved: true, remember: { ...remember, pattern: 'npm *' } })).toMatchObject({ path: 'remember.pattern' });
  });

  it.each([
    ['a rejection', request(), { approved: false, remember }, 'only an approval'],
    ['an alternative', request(), { approved: true, alternativeId: 'lint', remember }, 'alternative'],
    ['edited arguments', request(), { approved: true, editedArgs: { command: 'npm test' }, remember }, 'edited'],
    ['a critical request', request({ severity: 'critical' }), { approved: true, remember }, 'critical'],
    ['an irreversible request', request({ reversible: false }), { approved: true, remember }, 'irreversible'],
    ['a pattern without a command', request({ action: { name: 'deploy', args: { env: 'prod' } } }), { approved: true, remember: { ...remember, pattern: 'x*' } }, 'no command'],
  ])('is refused with %s', (_label, req, response, words) => {
    expect(checkResponseFits(req, response)).toMatchObject({ path: expect.stringMatching(/^remember/), message: expect.stringContaining(words) });
  });
});
