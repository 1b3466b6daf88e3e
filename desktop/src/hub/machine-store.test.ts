import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashSecret } from './auth.js';
import { SqliteStore } from './sqlite-store.js';

describe('MachineStore', () => {
  let dir: string;
  let store: SqliteStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'signoff-machines-'));
    store = new SqliteStore(join(dir, 'signoff.db'));
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('returns the token once and keeps only its SHA-256', () => {
    const { machine, token } = store.machines.create('build-box', 1000);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(machine).toEqual({ id: expect.any(String), name: 'build-box', createdAt: 1000, lastUsedAt: null, revokedAt: null });
    expect(store.machines.byTokenHash(hashSecret(token))).toEqual(machine);
    expect(store.machines.byTokenHash(token)).toBeUndefined();
    const db = new Database(join(dir, 'signoff.db'), { readonly: true });
    try {
      expect(db.prepare('SELECT token_hash FROM machine_tokens').pluck().all()).toEqual([hashSecret(token)]);
    } finally {
      db.close();
    }
  });

  it.each(['build-box', 'Alice laptop 2', 'ci_runner.eu-1', 'Büro', 'x'.repeat(64)])('accepts the name %j', (name) => {
    expect(store.machines.create(name, 1).machine.name).toBe(name);
  });

  it.each([
    ['', /name: must not be empty/],
    ['x'.repeat(65), /name: must be at most 64 characters/],
    ['build\u202Ebox', /name: must not hold control, bidi or other invisible characters/],
    ['build\nbox', /name: must not hold control/],
    ['build\u200Bbox', /name: must not hold control/],
    ['box/../etc', /name: may hold only letters, digits/],
    ['<b>box</b>', /name: may hold only letters, digits/],
    [' box', /name: must not start or end with a space/],
    [42, /name: /],
  ])('refuses the name %j, saying why', (name, why) => {
    expect(() => store.machines.create(name, 1)).toThrow(why);
    expect(store.machines.list()).toEqual([]);
  });

  it('allows one live token per name; a revoked name may be issued again', () => {
    const first = store.machines.create('build-box', 1);
    expect(() => store.machines.create('build-box', 2)).toThrow(/already has a token/);
    expect(store.machines.revoke('build-box', 3)).toEqual({ ...first.machine, revokedAt: 3 });
    const second = store.machines.create('build-box', 4);
    expect(second.machine.id).not.toBe(first.machine.id);
    expect(store.machines.list().map((m) => [m.name, m.revokedAt])).toEqual([
      ['build-box', 3],
      ['build-box', null],
    ]);
  });

  it('revokes by id or by name, once; a revoked token is no longer found', () => {
    const a = store.machines.create('a', 1);
    const b = store.machines.create('b', 1);
    expect(store.machines.revoke(a.machine.id, 5)?.revokedAt).toBe(5);
    expect(store.machines.revoke(a.machine.id, 6)).toBeUndefined();
    expect(store.machines.revokeById('b', 6)).toBeUndefined(); // by id only: a name is not an id
    expect(store.machines.revoke('b', 6)?.id).toBe(b.machine.id);
    expect(store.machines.revoke('nobody', 7)).toBeUndefined();
    expect(store.machines.byTokenHash(hashSecret(a.token))).toBeUndefined();
    expect(store.machines.isLive(a.machine.id)).toBe(false);
    expect(store.machines.byId(a.machine.id)?.revokedAt).toBe(5);
  });

  it('notes when a token was last used, at most once a minute', () => {
    const { machine } = store.machines.create('a', 0);
    store.machines.touch(machine.id, 100_000);
    store.machines.touch(machine.id, 130_000);
    expect(store.machines.byId(machine.id)?.lastUsedAt).toBe(100_000);
    store.machines.touch(machine.id, 160_000);
    expect(store.machines.byId(machine.id)?.lastUsedAt).toBe(160_000);
  });
});
