import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode, KEY_ALGORITHM, SignoffError } from '@signoff/shared';
import type { DeviceKey } from '@signoff/shared/approver';
import { z } from 'zod';
import { ensureDataDir } from '../hub/auth.js';

/** Where `signoff pair --save` keeps this terminal's device key (mode 0600). */
export const APPROVER_KEY_FILE = 'approver.key';
/** A bearer approver token for `signoff list` / `respond` over REST (a person's own scripts); wins over the key file. */
export const APPROVER_TOKEN_ENV = 'SIGNOFF_APPROVER_TOKEN';
/** What older versions saved; `pair --save` revokes its device and removes it. */
export const LEGACY_APPROVER_TOKEN_FILE = 'approver.token';

const JwkSchema = z.looseObject({ kty: z.literal('EC'), crv: z.literal('P-256'), d: z.string(), x: z.string(), y: z.string() });
const ApproverKeyFileSchema = z.strictObject({
  version: z.literal(1),
  deviceId: z.uuid(),
  /** The hub this terminal paired with (for the person reading the file). */
  hubUrl: z.string(),
  /** The hub key pinned at pairing: the hub must prove it on every connection. */
  hubPublicKey: z.string().min(1),
  /** The device's private key, as a JWK. */
  privateKey: JwkSchema,
});

export interface SavedApproverKey {
  deviceId: string;
  hubUrl: string;
  hubPublicKey: string;
  privateKey: JsonWebKey;
}

/** Writes the key readable by its owner only; returns the file's path. */
export function saveApproverKey(dataDir: string, key: SavedApproverKey): string {
  ensureDataDir(dataDir);
  const file = join(dataDir, APPROVER_KEY_FILE);
  const body = { version: 1, deviceId: key.deviceId, hubUrl: key.hubUrl, hubPublicKey: key.hubPublicKey, privateKey: JwkSchema.parse(key.privateKey) };
  writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
  // `mode` only applies when the file is created; an older file keeps its bits otherwise.
  chmodSync(file, 0o600);
  return file;
}

/** The saved file's device id, if there is a readable one (to revoke it when pairing anew). */
export function savedDeviceId(dataDir: string): string | null {
  try {
    return ApproverKeyFileSchema.parse(JSON.parse(readFileSync(join(dataDir, APPROVER_KEY_FILE), 'utf8'))).deviceId;
  } catch {
    return null;
  }
}

/** `<dataDir>/approver.key` as a device key (private key non-extractable), or `null` when there is none. */
export async function loadApproverKey(dataDir: string): Promise<(DeviceKey & { hubUrl: string }) | null> {
  const file = join(dataDir, APPROVER_KEY_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const parsed = ApproverKeyFileSchema.safeParse(JSON.parse(text.trim() || 'null'));
  if (!parsed.success) throw new SignoffError(ErrorCode.unauthorized, `${file} is not a Signoff device key: run \`signoff pair --save\` again`);
  const { deviceId, hubUrl, hubPublicKey, privateKey } = parsed.data;
  return { deviceId, hubUrl, hubPublicKey, privateKey: await globalThis.crypto.subtle.importKey('jwk', privateKey as JsonWebKey, KEY_ALGORITHM, false, ['sign']) };
}

/** How a person answers from this terminal: a bearer token from the environment, or this terminal's device key. */
export type ApproverCredentialSource = { kind: 'token'; token: string } | { kind: 'key'; key: DeviceKey & { hubUrl: string } };

/** `SIGNOFF_APPROVER_TOKEN`, else `<dataDir>/approver.key`; says how to get one when neither exists. */
export async function loadApproverCredential(dataDir: string, env: NodeJS.ProcessEnv = process.env): Promise<ApproverCredentialSource> {
  const token = env[APPROVER_TOKEN_ENV];
  if (token) return { kind: 'token', token };
  const key = await loadApproverKey(dataDir);
  if (key) return { kind: 'key', key };
  throw new SignoffError(
    ErrorCode.unauthorized,
    `this terminal is not paired: run \`signoff pair --save\` while the hub runs (it writes ${join(dataDir, APPROVER_KEY_FILE)}), or set ${APPROVER_TOKEN_ENV}`,
  );
}
