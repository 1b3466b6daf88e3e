import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensurePrivateFile, securePrivateDir } from './private-files.js';

const modeOf = (path: string) => statSync(path).mode & 0o777;

function recorder() {
  const warnings: string[] = [];
  return { warnings, logger: { info() {}, error() {}, warn: (message: string) => void warnings.push(message) } };
}

describe('private files', () => {
  let root: string;
  let umask: number;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'signoff-private-'));
    // The usual loose default, so every mode below is set by the code and not the umask.
    umask = process.umask(0o022);
  });
  afterEach(() => {
    process.umask(umask);
    rmSync(root, { recursive: true, force: true });
  });

  it('creates a missing data dir 0700 and says nothing', () => {
    const dir = join(root, 'new', 'signoff');
    const { warnings, logger } = recorder();
    securePrivateDir(dir, logger);
    expect(modeOf(dir)).toBe(0o700);
    expect(warnings).toEqual([]);
  });

  it('tightens a 0755 data dir and its secret files, and says so', () => {
    const dir = join(root, 'loose');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    for (const name of ['signoff.db', 'signoff.db-wal', 'signoff.db-shm', 'agent.token', 'hub.key', 'tray.token', 'notes.txt']) {
      writeFileSync(join(dir, name), 'x', { mode: 0o644 });
    }
    const { warnings, logger } = recorder();
    securePrivateDir(dir, logger);
    expect(modeOf(dir)).toBe(0o700);
    for (const name of ['signoff.db', 'signoff.db-wal', 'signoff.db-shm', 'agent.token', 'hub.key', 'tray.token']) {
      expect(modeOf(join(dir, name)), name).toBe(0o600);
    }
    // Not Signoff's secret: left as it is.
    expect(modeOf(join(dir, 'notes.txt'))).toBe(0o644);
    expect(warnings[0]).toBe(`data dir ${dir} was 0755; tightened it to 0700 (owner only)`);
    expect(warnings).toHaveLength(7);
  });

  it('never follows a symlink in the data dir', () => {
    const dir = join(root, 'links');
    mkdirSync(dir, { mode: 0o700 });
    const outside = join(root, 'outside.txt');
    writeFileSync(outside, 'x', { mode: 0o644 });
    symlinkSync(outside, join(dir, 'evil.token'));
    securePrivateDir(dir);
    expect(modeOf(outside)).toBe(0o644);
  });

  it('creates a file 0600 under a 022 umask, and tightens an existing one with its WAL and SHM', () => {
    const fresh = join(root, 'fresh.db');
    ensurePrivateFile(fresh);
    expect(modeOf(fresh)).toBe(0o600);

    const old = join(root, 'old.db');
    for (const path of [old, `${old}-wal`, `${old}-shm`]) writeFileSync(path, 'x', { mode: 0o644 });
    ensurePrivateFile(old);
    for (const path of [old, `${old}-wal`, `${old}-shm`]) expect(modeOf(path), path).toBe(0o600);
  });
});
