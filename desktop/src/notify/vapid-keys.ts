import { createECDH } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** The hub's VAPID key pair (RFC 8292), JSON, mode 0600, made on first start. */
export const VAPID_FILE = 'vapid.json';

/** What {@link VAPID_FILE} holds: base64url keys as `web-push` makes and takes them. */
const VapidKeysSchema = z.strictObject({
  /** Uncompressed P-256 point (65 bytes): the `applicationServerKey` browsers subscribe with. */
  publicKey: z.string().regex(/^B[A-Za-z0-9_-]{86}$/),
  /** The 32-byte private scalar. */
  privateKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});
export type VapidKeys = z.output<typeof VapidKeysSchema>;

/**
 * A new P-256 pair in `web-push`'s format (what its `generateVAPIDKeys` makes), with
 * node:crypto, so the hub's start does not load `web-push` (it is loaded at the first push).
 */
export function generateVapidKeys(): VapidKeys {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  // A scalar with leading zero bytes comes back shorter; VAPID wants all 32 (as web-push pads it).
  const scalar = ecdh.getPrivateKey();
  const privateKey = Buffer.concat([Buffer.alloc(Math.max(0, 32 - scalar.length)), scalar]);
  return { publicKey: ecdh.getPublicKey().toString('base64url'), privateKey: privateKey.toString('base64url') };
}

/**
 * Reads `<dataDir>/vapid.json`, creating it on first start (`wx`: two processes racing on a
 * fresh data dir agree on one pair). The keys are kept for good: every browser subscription
 * is bound to the public key, so new keys would silence every subscribed phone.
 * @throws Error naming the file when it holds no valid key pair (delete it to start over; phones then subscribe again)
 */
export function loadOrCreateVapidKeys(dataDir: string): VapidKeys {
  const file = join(dataDir, VAPID_FILE);
  try {
    writeFileSync(file, `${JSON.stringify(generateVapidKeys(), null, 2)}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  chmodSync(file, 0o600);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    raw = null;
  }
  const parsed = VapidKeysSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`${file} does not hold a VAPID key pair {publicKey, privateKey}; remove it to make a new one (subscribed phones then subscribe again)`);
  }
  return parsed.data;
}
