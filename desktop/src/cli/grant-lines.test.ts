import type { Grant } from '@signoff/shared';
import { describe, expect, it } from 'vitest';
import { grantLine, grantWhat, MAX_WHAT_CHARS } from './grant-lines.js';

const grant = (fields: Partial<Grant> = {}): Grant => ({
  id: '5b1c0d2e-0000-4000-8000-000000000001',
  createdBy: 'Ada',
  requestId: 'r1',
  agentId: 'claude-code',
  scope: 'agent',
  runId: null,
  match: { type: 'command', action: 'Bash', pattern: 'npm run test:*', exact: false },
  createdAt: 0,
  expiresAt: null,
  uses: 3,
  lastUsedAt: null,
  ...fields,
});

describe('grant lines', () => {
  it('puts the id first, then who made it, the agent and scope, what it lets through, until when and its uses', () => {
    expect(grantLine(grant())).toBe('5b1c0d2e-0000-4000-8000-000000000001  by Ada  agent "claude-code" (every run)  Bash: "npm run test:*"  until revoked  3 uses');
    const local = new Date(2026, 11, 3, 17, 0).getTime();
    expect(grantLine(grant({ scope: 'run', runId: 'run-7', expiresAt: local, uses: 1 }))).toBe(
      '5b1c0d2e-0000-4000-8000-000000000001  by Ada  agent "claude-code" (run run-7)  Bash: "npm run test:*"  until 2026-12-03 17:00  1 use',
    );
  });

  it('says what a grant lets through: an exact command, a pattern, or an action with its exact arguments', () => {
    expect(grantWhat(grant({ match: { type: 'command', action: 'Bash', pattern: 'npm test', exact: true } }))).toBe('Bash: exactly "npm test"');
    expect(grantWhat(grant({ match: { type: 'exact', action: 'deploy', args: { env: 'staging' } } }))).toBe('deploy {"env":"staging"}');
    expect(grantWhat(grant({ match: { type: 'exact', action: 'sync', args: null } }))).toBe('sync without arguments');
  });

  it('keeps agent text on one visible line and clips long arguments', () => {
    expect(grantWhat(grant({ match: { type: 'command', action: 'Bash', pattern: 'echo "a\nb"', exact: true } }))).toBe('Bash: exactly "echo \\"a\\nb\\""');
    expect(grantLine(grant({ createdBy: 'Ada\u202E' }))).toContain('by Ada⟨U+202E⟩  ');
    const hidden = grantLine(grant({ agentId: 'bot\u200B', match: { type: 'command', action: 'Bash', pattern: 'rm -rf \u202Efdp.exe', exact: true } }));
    expect(hidden).toContain('agent "bot⟨U+200B⟩" (every run)  Bash: exactly "rm -rf ⟨U+202E⟩fdp.exe"');
    expect(grantWhat(grant({ match: { type: 'exact', action: 'say', args: { text: 'a\u2066b' } } }))).toBe('say {"text":"a⟨U+2066⟩b"}');
    const long = grantWhat(grant({ match: { type: 'exact', action: 'write', args: { text: 'x'.repeat(500) } } }));
    expect(long).toHaveLength(MAX_WHAT_CHARS);
    expect(long.endsWith('…')).toBe(true);
  });
});
