import type { SignoffRequest } from '@signoff/shared';
import { describe, expect, it } from 'vitest';
import { criticalNotification, shouldNotify } from './notifications.js';

const critical = {
  kind: 'approval',
  id: 'r1',
  title: 'Delete 5,000 accounts',
  severity: 'critical',
  agentId: 'cleanup-agent',
  context: { apiKey: 'sk-secret-123' },
  createdAt: 0,
  expiresAt: 900_000,
  status: 'pending',
  onTimeout: 'expire',
} as SignoffRequest;

describe('critical notifications', () => {
  it('notify for pending critical requests unless the tray is connected', () => {
    expect(shouldNotify(critical, {})).toBe(true);
    expect(shouldNotify(critical, { extension: 1, tray: 0 })).toBe(true);
    expect(shouldNotify(critical, { extension: 1, tray: 1 })).toBe(false);
    expect(shouldNotify({ ...critical, severity: 'high' } as SignoffRequest, {})).toBe(false);
    expect(shouldNotify({ ...critical, status: 'resolved' } as SignoffRequest, {})).toBe(false);
  });

  it('name the agent, title and deadline, and never the context', () => {
    const { id, options } = criticalNotification(critical, 'chrome-extension://x/icon/128.png');
    expect(id).toBe('request:r1');
    expect(options.title).toBe('Critical: cleanup-agent asks');
    expect(options.message).toBe('Delete 5,000 accounts');
    expect(options.contextMessage).toMatch(/^Answer by /);
    expect(JSON.stringify(options)).not.toContain('sk-secret');
  });

  it('say which machine sent it, and show bidi and invisible characters as markers', () => {
    const { options } = criticalNotification({ ...critical, agentId: 'ci\u202E', title: 'Tidy \u202Etxt.sgol', machine: 'build-box' }, 'x');
    expect(options.title).toBe('Critical: ci⟨U+202E⟩ from build-box asks');
    expect(options.message).toBe('Tidy ⟨U+202E⟩txt.sgol');
  });
});
