import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KEY_ALGORITHM, fromBase64url, toBase64url, toError, type Logger } from '@signoff/shared';
import { keyCredential, pairDevice, type ApproverCredential } from '@signoff/shared/approver';
import { z } from 'zod';
import { writeFileAtomic } from './settings.js';

/** The tray's device key and the hub key it pinned (mode 0600). */
export const TRAY_KEY_FILE = 'tray.key';
/** How the hub lists the tray's device. */
export const TRAY_DEVICE_NAME = 'Signoff tray';

/**
 * Keeps a secret for the tray: Electron's `safeStorage` (the OS keychain, DPAPI, or
 * libsecret/kwallet) in `main.ts`; nothing in tests. Injected, so the pure module
 * runs under plain Node.
 */
export interface SecretCodec {
  /** False when the platform has no real store for the secret (then the key is kept as a plain 0600 file). */
  available(): Promise<boolean>;
  encrypt(plain: string): Promise<Uint8Array>;
  /** `reEncrypt`: the store rotated its key; the caller saves the secret again. */
  decrypt(data: Uint8Array): Promise<{ plain: string; reEncrypt?: boolean }>;
  /** For the log line, e.g. "safeStorage (gnome_libsecret)". */
  readonly name: string;
}

/** The tray's one approver device: it answers the hub's challenges, for the tray and for its window. */
export interface TrayDevice {
  deviceId: string;
  /** The hub key pinned at pairing (the data dir's `hub.key`). */
  hubPublicKey: string;
  credential: ApproverCredential;
}

const JwkSchema = z.looseObject({ kty: z.literal('EC'), crv: z.literal('P-256'), d: z.string(), x: z.string(), y: z.string() });
const TrayKeyFileSchema = z.strictObject({
  version: z.literal(1),
  deviceId: z.uuid(),
  hubPublicKey: z.string().min(1),
  /** `sealed`: the private JWK encrypted by the codec (base64url); `jwk`: the private JWK as is. */
  privateKey: z.union([z.strictObject({ sealed: z.string().min(1), by: z.string() }), z.strictObject({ jwk: JwkSchema })]),
});
type TrayKeyFile = z.infer<typeof TrayKeyFileSchema>;

/** What {@link loadTrayDevice} found: a device for this hub key, or why there is none. */
export type LoadedTrayDevice =
  | { kind: 'device'; device: TrayDevice }
  | { kind: 'none' }
  /** A saved device that cannot be used (other hub, unreadable secret); `deviceId` when known, so it can be revoked. */
  | { kind: 'unusable'; why: string; deviceId: string | null };

/**
 * Reads `<dataDir>/tray.key`. The device is usable only for the hub key it pinned:
 * a data dir whose `hub.key` was replaced belongs, for the tray, to another hub.
 */
export async function loadTrayDevice(options: { dataDir: string; hubPublicKey: string; codec: SecretCodec | null; logger: Logger }): Promise<LoadedTrayDevice> {
  const file = join(options.dataDir, TRAY_KEY_FILE);
  let text: string;
  try {
    chmodSync(file, 0o600);
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    throw error;
  }
  let saved: TrayKeyFile;
  try {
    saved = TrayKeyFileSchema.parse(JSON.parse(text));
  } catch {
    return { kind: 'unusable', why: `${TRAY_KEY_FILE} is not a tray key file`, deviceId: null };
  }
  if (saved.hubPublicKey !== options.hubPublicKey) {
    return { kind: 'unusable', why: 'it was paired with another hub key than this data dir’s', deviceId: saved.deviceId };
  }
  let jwk: JsonWebKey;
  if ('jwk' in saved.privateKey) {
    jwk = saved.privateKey.jwk as JsonWebKey;
  } else {
    const codec = options.codec;
    if (!codec || !(await codec.available())) return { kind: 'unusable', why: `its key is sealed by ${saved.privateKey.by}, which is not available now`, deviceId: saved.deviceId };
    try {
      const { plain, reEncrypt } = await codec.decrypt(fromBase64url(saved.privateKey.sealed));
      jwk = JwkSchema.parse(JSON.parse(plain)) as JsonWebKey;
      if (reEncrypt) await saveTrayKey(options.dataDir, { deviceId: saved.deviceId, hubPublicKey: saved.hubPublicKey, jwk }, codec, options.logger);
    } catch (error) {
      return { kind: 'unusable', why: `its key could not be unsealed (${toError(error).message})`, deviceId: saved.deviceId };
    }
  }
  let privateKey: CryptoKey;
  try {
    // Non-extractable from here on: only the file keeps the key's bytes.
    privateKey = await globalThis.crypto.subtle.importKey('jwk', jwk, KEY_ALGORITHM, false, ['sign']);
  } catch {
    return { kind: 'unusable', why: 'its key is damaged', deviceId: saved.deviceId };
  }
  const device = { deviceId: saved.deviceId, privateKey, hubPublicKey: saved.hubPublicKey };
  return { kind: 'device', device: { deviceId: device.deviceId, hubPublicKey: device.hubPublicKey, credential: keyCredential(device) } };
}

/**
 * Pairs the tray as a key device with a code the tray wrote into the data dir's store,
 * pins the data dir's hub key and saves the device to `tray.key`. The caller has
 * checked (with `checkHubIdentity`) that the hub at `hubUrl` holds that key.
 */
export async function pairTrayDevice(options: {
  dataDir: string;
  hubUrl: string;
  hubPublicKey: string;
  code: string;
  codec: SecretCodec | null;
  logger: Logger;
}): Promise<TrayDevice> {
  const paired = await pairDevice({ hubUrl: options.hubUrl, code: options.code, name: TRAY_DEVICE_NAME, extractable: true });
  // The hub answered with the key it proves on every connection; it must be the data dir's.
  if (paired.hubPublicKey !== options.hubPublicKey) throw new Error(`the hub at ${options.hubUrl} paired with another key than the data dir’s hub.key`);
  const jwk = await globalThis.crypto.subtle.exportKey('jwk', paired.privateKey);
  await saveTrayKey(options.dataDir, { deviceId: paired.deviceId, hubPublicKey: options.hubPublicKey, jwk }, options.codec, options.logger);
  const privateKey = await globalThis.crypto.subtle.importKey('jwk', jwk, KEY_ALGORITHM, false, ['sign']);
  const device = { deviceId: paired.deviceId, privateKey, hubPublicKey: options.hubPublicKey };
  return { deviceId: device.deviceId, hubPublicKey: device.hubPublicKey, credential: keyCredential(device) };
}

async function saveTrayKey(dataDir: string, key: { deviceId: string; hubPublicKey: string; jwk: JsonWebKey }, codec: SecretCodec | null, logger: Logger): Promise<void> {
  let privateKey: TrayKeyFile['privateKey'];
  if (codec && (await codec.available())) {
    privateKey = { sealed: toBase64url(await codec.encrypt(JSON.stringify(key.jwk))), by: codec.name };
    logger.info(`the tray's device key is in ${TRAY_KEY_FILE}, sealed by ${codec.name}`);
  } else {
    privateKey = { jwk: JwkSchema.parse(key.jwk) };
    logger.warn(`no OS secret store here: the tray's device key is a plain JWK in ${TRAY_KEY_FILE}, readable by its owner only (0600)`);
  }
  const file: TrayKeyFile = { version: 1, deviceId: key.deviceId, hubPublicKey: key.hubPublicKey, privateKey };
  writeFileAtomic(join(dataDir, TRAY_KEY_FILE), `${JSON.stringify(file, null, 2)}\n`, 0o600);
}
