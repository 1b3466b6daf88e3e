import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadApproverToken, saveApproverToken } from './approver-token.js';

describe('approver token file', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'signoff-token-'));
    dirs.push(dir);
    return dir;
  };

  it('saves with mode 0600, also over an older world-readable file, and loads it back', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'approver.token'), 'old\n', { mode: 0o644 });
    const file = saveApproverToken(dir, 'tok-123');
    expect(file).toBe(join(dir, 'approver.token'));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadApproverToken(dir, {})).toBe('tok-123');
  });

  it('prefers SIGNOFF_APPROVER_TOKEN, and says how to pair when there is none', () => {
    const dir = tempDir();
    expect(loadApproverToken(dir, { SIGNOFF_APPROVER_TOKEN: 'from-env' })).toBe('from-env');
    expect(() => loadApproverToken(join(dir, 'missing'), {})).toThrow('run `signoff pair --save` while the hub runs');
  });
});
