import type { DeviceInfo } from '@signoff/shared';
import { describe, expect, it } from 'vitest';
import { deviceLine, deviceName } from './device-lines.js';

const now = Date.UTC(2026, 0, 5, 12);
const device = (fields: Partial<DeviceInfo> = {}): DeviceInfo => ({
  id: '7976b7f8-0000-4000-8000-000000000001',
  name: 'terminal',
  credential: 'key',
  ephemeral: false,
  createdAt: now - 3 * 86_400_000,
  lastSeenAt: now - 5 * 60_000,
  ...fields,
});

describe('device lines', () => {
  it('puts the id first, then name, credential, ephemeral, when paired and when last seen', () => {
    expect(deviceLine(device(), now)).toBe('7976b7f8-0000-4000-8000-000000000001  terminal  key    paired 3d ago  last seen 5m ago');
    expect(deviceLine(device({ name: 'tab', ephemeral: true, lastSeenAt: null }), now, 8, 'this terminal')).toBe(
      '7976b7f8-0000-4000-8000-000000000001  tab       key    ephemeral  paired 3d ago  last seen never  (this terminal)',
    );
    expect(deviceLine(device({ credential: 'token' }), now)).toContain('  token  paired');
  });

  it('shows a name on one line, with invisible characters marked rather than obeyed', () => {
    expect(deviceName('my\n  laptop\t')).toBe('my laptop');
    expect(deviceName('invoice\u202Efdp.exe')).toBe('invoice⟨U+202E⟩fdp.exe');
    expect(deviceName('a\u200Bb\u0007')).toBe('a⟨U+200B⟩b⟨U+0007⟩');
  });
});
