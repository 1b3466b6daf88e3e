import type { SignoffRequest } from '@signoff/shared';
import { describe, expect, it } from 'vitest';
import { requestLine, shortSpan, terminalText } from './request-lines.js';

describe('shortSpan', () => {
  it('rounds to the largest unit', () => {
    expect(shortSpan(-5)).toBe('0s');
    expect(shortSpan(45_000)).toBe('45s');
    expect(shortSpan(150_000)).toBe('3m');
    expect(shortSpan(4 * 3_600_000 - 400)).toBe('4h');
    expect(shortSpan(3 * 86_400_000)).toBe('3d');
  });
});

describe('requestLine', () => {
  const base = {
    id: '7976b7f8-460a-435a-a020-f2a53e914e6e',
    kind: 'approval',
    title: 'Deploy\nto production',
    severity: 'critical',
    agentId: 'release-bot',
    createdAt: 1_000_000,
    expiresAt: 1_000_000 + 15 * 60_000,
    status: 'pending',
    onTimeout: 'expire',
  } as SignoffRequest;

  it('shows id, severity, kind, age, time left, agent and a one-line title', () => {
    expect(requestLine(base, 1_000_000 + 120_000)).toBe(
      '7976b7f8-460a-435a-a020-f2a53e914e6e  critical  approval        2m ago  13m left   release-bot: Deploy to production',
    );
  });

  it('shows the status of settled requests and a dash for an unnamed agent', () => {
    const { agentId: _, ...anonymous } = base;
    expect(requestLine({ ...anonymous, status: 'expired' } as SignoffRequest, 1_000_000 + 3_600_000)).toBe(
      '7976b7f8-460a-435a-a020-f2a53e914e6e  critical  approval        1h ago  expired    -: Deploy to production',
    );
  });

  it('names the machine a machine token sent it from, as the approver UI does', () => {
    expect(requestLine({ ...base, machine: 'build-box' }, 1_000_000 + 120_000)).toBe(
      '7976b7f8-460a-435a-a020-f2a53e914e6e  critical  approval        2m ago  13m left   release-bot from build-box: Deploy to production',
    );
  });

  it('shows escape sequences, bidi controls and other hidden characters as markers, never raw', () => {
    const title = 'Delete prod\u001b[2K\rrelease-bot: Run the tests invoice\u202Efdp.exe';
    const line = requestLine({ ...base, agentId: 'bot\u200B', title }, 1_000_000 + 120_000);
    expect(line).toBe(
      '7976b7f8-460a-435a-a020-f2a53e914e6e  critical  approval        2m ago  13m left   bot⟨U+200B⟩: Delete prod⟨U+001B⟩[2K release-bot: Run the tests invoice⟨U+202E⟩fdp.exe',
    );
    expect(terminalText('a\u0007b\u009bc')).toBe('a⟨U+0007⟩b⟨U+009B⟩c');
  });
});
