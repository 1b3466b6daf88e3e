import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from './clock.js';
import type { MachineInfo } from '@signoff/shared';
import type { DeviceRecord } from './device-store.js';
import type { Route } from './origin-guard.js';
import type { RequestStore } from './request-store.js';

/** How long a pairing code printed by `signoff pair` stays valid. */
export const PAIRING_CODE_TTL_MS = 5 * 60 * 1000;
// No 0/O, 1/I/L: codes are read off one screen and typed into another.
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export const AGENT_TOKEN_FILE = 'agent.token';

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Creates the data dir (0700) if needed. */
export function ensureDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
}

/**
 * Reads `<dataDir>/agent.token`, creating it (mode 0600) on first start.
 * The `wx` flag makes two processes racing on a fresh data dir agree on one token.
 */
export function loadOrCreateAgentToken(dataDir: string): string {
  ensureDataDir(dataDir);
  const file = join(dataDir, AGENT_TOKEN_FILE);
  try {
    writeFileSync(file, `${newToken()}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  chmodSync(file, 0o600);
  return readFileSync(file, 'utf8').trim();
}

/** Normalises what a person typed: case and separators do not matter. */
export function normalizePairingCode(code: string): string {
  return code.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/** Makes a one-time pairing code (`ABCD-EFGH`), storing only its hash. */
export function createPairingCode(store: Pick<RequestStore, 'pairing'>, clock: Clock): { code: string; expiresAt: number } {
  let raw = '';
  for (let i = 0; i < 8; i++) raw += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  const expiresAt = clock.now() + PAIRING_CODE_TTL_MS;
  store.pairing.addCode(hashSecret(raw), expiresAt);
  return { code: `${raw.slice(0, 4)}-${raw.slice(4)}`, expiresAt };
}

/** Who is calling: the agent identity (its owner id) or a paired approver device (its name). */
export interface Identity {
  role: 'agent' | 'approver';
  principal: string;
  /** Approvers: the device whose credential this is, so revoking it ends its power at once. */
  deviceId?: string;
  /** Agents of another machine: its machine token's id (revoking it ends its power at once)… */
  machineId?: string;
  /** …and name, which the hub sets on every request the agent creates. */
  machine?: string;
}

/** Who a token belongs to, or why it is refused (said to the caller as is: it never holds the token). */
export type Identification = { ok: true; identity: Identity } | { ok: false; reason: string };

/** The refusal for a token nobody holds (or an empty, oversized or non-string one). */
export const UNKNOWN_TOKEN = 'missing or unknown token';
/** A machine token that was revoked: its holder needs a new one, not a typo fixed. */
export const MACHINE_TOKEN_REVOKED = 'this machine token was revoked; make a new one on the hub\'s machine with `signoff token create NAME`';
/** The local agent token, sent through the public URL. */
export const LOCAL_TOKEN_ON_PUBLIC_ROUTE =
  "this machine's agent token works only on this machine; for another machine create a machine token with `signoff token create NAME`";

export interface PairOptions {
  code: string;
  name: string;
  /** Present: a device that authenticates by challenge, and gets no bearer token. */
  publicKey?: string | undefined;
  ephemeral?: boolean | undefined;
}

/** Maps a bearer token to who holds it, and pairs new approver devices. */
export class Authenticator {
  private readonly agentHash: Buffer;
  /** The agent token's owner id: requests it creates are "own". */
  readonly agentPrincipal: string;

  constructor(
    agentToken: string,
    private readonly store: Pick<RequestStore, 'pairing' | 'devices' | 'machines'>,
    private readonly now: () => number = Date.now,
  ) {
    this.agentHash = Buffer.from(hashSecret(agentToken), 'hex');
    this.agentPrincipal = `agent-${hashSecret(agentToken).slice(0, 12)}`;
  }

  /**
   * Identifies a bearer token on the route it came by. The local agent token
   * (`agent.token`) never works through the public URL: it is a file on this machine,
   * and a leak of it must not reach the hub from elsewhere. A live machine token is an
   * agent on either route (looked up each time: a revoked one fails at once); approver
   * tokens work on both.
   */
  identify(token: unknown, route: Route): Identification {
    if (typeof token !== 'string' || token.length === 0 || token.length > 200) return { ok: false, reason: UNKNOWN_TOKEN };
    const hash = hashSecret(token);
    if (timingSafeEqual(Buffer.from(hash, 'hex'), this.agentHash)) {
      if (route === 'public') return { ok: false, reason: LOCAL_TOKEN_ON_PUBLIC_ROUTE };
      return { ok: true, identity: { role: 'agent', principal: this.agentPrincipal } };
    }
    const machine = this.store.machines.byTokenHash(hash);
    if (machine) {
      this.store.machines.touch(machine.id, this.now());
      return { ok: true, identity: machineIdentity(machine) };
    }
    const device = this.store.devices.byTokenHash(hash);
    if (device) return { ok: true, identity: approverIdentity(device) };
    return { ok: false, reason: this.store.machines.isRevokedToken(hash) ? MACHINE_TOKEN_REVOKED : UNKNOWN_TOKEN };
  }

  /** Whether the credential behind `identity` still works: a long wait must not outlive a revocation. */
  stillHolds(identity: Identity): boolean {
    if (identity.machineId !== undefined) return this.store.machines.isLive(identity.machineId);
    if (identity.deviceId !== undefined) return this.store.devices.isActive(identity.deviceId);
    return true;
  }

  /** Exchanges a pairing code for a new device (with a bearer token unless it brought a key), or says why not. */
  pair(options: PairOptions, now: number): { device: DeviceRecord; token?: string } | { error: 'invalid' | 'expired' } {
    const attempt = this.store.pairing.tryCode(hashSecret(normalizePairingCode(options.code)), now);
    if (!attempt.ok) return { error: attempt.reason };
    if (options.publicKey) {
      return { device: this.store.devices.add({ name: options.name, publicKey: options.publicKey, ephemeral: options.ephemeral ?? false }, now) };
    }
    const token = newToken();
    return { device: this.store.devices.add({ name: options.name, tokenHash: hashSecret(token), ephemeral: options.ephemeral ?? false }, now), token };
  }
}

/** The agent identity of another machine: its own owner id, so its requests and limits are its own. */
export function machineIdentity(machine: Pick<MachineInfo, 'id' | 'name'>): Identity {
  return { role: 'agent', principal: `machine-${machine.id}`, machineId: machine.id, machine: machine.name };
}

/** The identity a paired device acts as. */
export function approverIdentity(device: Pick<DeviceRecord, 'id' | 'name'>): Identity {
  return { role: 'approver', principal: device.name, deviceId: device.id };
}
