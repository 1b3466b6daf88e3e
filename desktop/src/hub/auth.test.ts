import { mkdtempSync, rmSync, statSync, writeFileSync, chmodSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../test/support/hub.js';
import {
  AGENT_TOKEN_FILE,
  Authenticator,
  LOCAL_TOKEN_ON_PUBLIC_ROUTE,
  PAIRING_CODE_TTL_MS,
  MACHINE_TOKEN_REVOKED,
  UNKNOWN_TOKEN,
  createPairingCode,
  hashSecret,
  loadOrCreateAgentToken,
  normalizePairingCode,
  type Identity,
} from './auth.js';
import { SqliteStore } from './sqlite-store.js';

const CODE_FORMAT = /^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{4}-[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{4}$/;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'signoff-auth-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('loadOrCreateAgentToken', () => {
  it('creates the data dir and a 0600 token file on first start', () => {
    const dataDir = join(dir, 'nested', 'home');
    const token = loadOrCreateAgentToken(dataDir);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const file = join(dataDir, AGENT_TOKEN_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(readFileSync(file, 'utf8')).toBe(`${token}\n`);
  });

  it('reuses the token on later starts', () => {
    const first = loadOrCreateAgentToken(dir);
    expect(loadOrCreateAgentToken(dir)).toBe(first);
    expect(loadOrCreateAgentToken(dir)).toBe(first);
  });

  it('keeps an existing token and tightens a too-open file to 0600', () => {
    const file = join(dir, AGENT_TOKEN_FILE);
    writeFileSync(file, '  my-own-token \n');
    chmodSync(file, 0o644);
    expect(loadOrCreateAgentToken(dir)).toBe('my-own-token');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('makes a different token for each data dir', () => {
    expect(loadOrCreateAgentToken(join(dir, 'a'))).not.toBe(loadOrCreateAgentToken(join(dir, 'b')));
  });
});

describe('normalizePairingCode', () => {
  it.each([
    ['abcd efgh', 'ABCDEFGH'],
    ['abcd-efgh', 'ABCDEFGH'],
    ['ABCD-EFGH', 'ABCDEFGH'],
    ['  AbCd_eFgH\n', 'ABCDEFGH'],
    ['ab cd.ef:gh', 'ABCDEFGH'],
    ['k7m2 p9x3', 'K7M2P9X3'],
  ])('%j → %s', (typed, normal) => {
    expect(normalizePairingCode(typed)).toBe(normal);
  });
});

describe('pairing and identity', () => {
  let store: SqliteStore;
  let clock: FakeClock;
  let auth: Authenticator;
  const agentToken = 'agent-token-for-tests-0123456789abcdefghijk';

  beforeEach(() => {
    store = new SqliteStore(join(dir, 'signoff.db'));
    clock = new FakeClock();
    auth = new Authenticator(agentToken, store);
  });
  afterEach(() => store.close());

  it('makes codes like ABCD-EFGH from an unambiguous alphabet, valid for five minutes', () => {
    const codes = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const { code, expiresAt } = createPairingCode(store, clock);
      expect(code).toMatch(CODE_FORMAT);
      expect(expiresAt).toBe(clock.now() + PAIRING_CODE_TTL_MS);
      codes.add(code);
    }
    expect(PAIRING_CODE_TTL_MS).toBe(5 * 60 * 1000);
    expect(codes.size).toBe(50);
  });

  it('identifies the agent token', () => {
    expect(auth.identify(agentToken, 'local')).toEqual({ ok: true, identity: { role: 'agent', principal: `agent-${hashSecret(agentToken).slice(0, 12)}` } });
    expect(auth.agentPrincipal).toMatch(/^agent-[0-9a-f]{12}$/);
    expect(new Authenticator(agentToken, store).agentPrincipal).toBe(auth.agentPrincipal);
    expect(new Authenticator('another-token', store).agentPrincipal).not.toBe(auth.agentPrincipal);
  });

  it('refuses unknown, empty, oversized and non-string tokens on either route', () => {
    for (const route of ['local', 'public'] as const) {
      for (const token of ['not-a-token', '', 'x'.repeat(201), undefined, 42, { token: agentToken }]) {
        expect(auth.identify(token, route)).toEqual({ ok: false, reason: UNKNOWN_TOKEN });
      }
    }
  });

  it('accepts a live machine token on both routes as its own agent, and refuses it once revoked', () => {
    const { machine, token } = store.machines.create('build-box', clock.now());
    const identity = { role: 'agent', principal: `machine-${machine.id}`, machineId: machine.id, machine: 'build-box' };
    expect(auth.identify(token, 'public')).toEqual({ ok: true, identity });
    expect(auth.identify(token, 'local')).toEqual({ ok: true, identity });
    expect(identity.principal).not.toBe(auth.agentPrincipal);
    expect(auth.stillHolds(identity as Identity)).toBe(true);
    store.machines.revoke('build-box', clock.now());
    expect(auth.stillHolds(identity as Identity)).toBe(false);
    expect(auth.stillHolds({ role: 'agent', principal: auth.agentPrincipal })).toBe(true);
    expect(auth.identify(token, 'public')).toEqual({ ok: false, reason: MACHINE_TOKEN_REVOKED });
    expect(auth.identify(token, 'local')).toEqual({ ok: false, reason: MACHINE_TOKEN_REVOKED });
  });

  it('refuses the local agent token on the public route, saying to create a machine token', () => {
    expect(auth.identify(agentToken, 'public')).toEqual({ ok: false, reason: LOCAL_TOKEN_ON_PUBLIC_ROUTE });
    expect(LOCAL_TOKEN_ON_PUBLIC_ROUTE).toContain('signoff token create NAME');
  });

  it('pairs an approver with a code typed in lower case with a space', () => {
    const { code } = createPairingCode(store, clock);
    const typed = code.toLowerCase().replace('-', ' ');
    const result = auth.pair({ code: typed, name: 'Alice laptop' }, clock.now());
    expect(result).toMatchObject({ token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), device: { name: 'Alice laptop', credential: 'token' } });
    const { token, device } = result as { token: string; device: { id: string } };
    for (const route of ['local', 'public'] as const) {
      expect(auth.identify(token, route)).toEqual({ ok: true, identity: { role: 'approver', principal: 'Alice laptop', deviceId: device.id } });
    }
    expect(token).not.toBe(agentToken);
  });

  it('stores only hashes of codes and tokens', () => {
    const { code } = createPairingCode(store, clock);
    const { token } = auth.pair({ code, name: 'Alice' }, clock.now()) as { token: string };
    const approver = store.devices.byTokenHash(hashSecret(token));
    expect(approver).toMatchObject({ name: 'Alice', createdAt: clock.now() });
    expect(store.devices.byTokenHash(token)).toBeUndefined();
  });

  it('lets a code pair only once', () => {
    const { code } = createPairingCode(store, clock);
    expect(auth.pair({ code, name: 'Alice' }, clock.now())).toHaveProperty('token');
    expect(auth.pair({ code, name: 'Mallory' }, clock.now())).toEqual({ error: 'invalid' });
  });

  it('refuses a code that never existed', () => {
    createPairingCode(store, clock);
    expect(auth.pair({ code: 'ZZZZ-ZZZZ', name: 'Mallory' }, clock.now())).toEqual({ error: 'invalid' });
  });

  it('refuses an expired code', () => {
    const { code, expiresAt } = createPairingCode(store, clock);
    clock.advance(PAIRING_CODE_TTL_MS);
    expect(clock.now()).toBe(expiresAt);
    expect(auth.pair({ code, name: 'Alice' }, clock.now())).toEqual({ error: 'expired' });
  });

  it('accepts a code until just before it expires', () => {
    const { code } = createPairingCode(store, clock);
    clock.advance(PAIRING_CODE_TTL_MS - 1);
    expect(auth.pair({ code, name: 'Alice' }, clock.now())).toHaveProperty('token');
  });

  it('lets no number of wrong codes lock a live one (they are limited per connection instead)', () => {
    const { code } = createPairingCode(store, clock);
    for (let i = 0; i < 1000; i++) {
      expect(auth.pair({ code: `WRNG-${String(i).padStart(4, 'A')}`, name: 'Mallory' }, clock.now())).toEqual({ error: 'invalid' });
    }
    expect(auth.pair({ code, name: 'Alice' }, clock.now())).toHaveProperty('token');
  });

  it('forgets a revoked approver', () => {
    const { code } = createPairingCode(store, clock);
    const { token } = auth.pair({ code, name: 'Old phone' }, clock.now()) as { token: string };
    const { id } = store.devices.byTokenHash(hashSecret(token))!;
    expect(store.devices.revoke(id, clock.now())).toBe(true);
    expect(auth.identify(token, 'local')).toEqual({ ok: false, reason: UNKNOWN_TOKEN });
    expect(store.devices.revoke(id, clock.now())).toBe(false);
  });
});
