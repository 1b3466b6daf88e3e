import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import webPush from 'web-push';
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
 * Reads `<dataDir>/vapid.json`, creating it on first start (`wx`: two processes racing on a
 * fresh data dir agree on one pair). The keys are kept for good: every browser subscription
 * is bound to the public key, so new keys would silence every subscribed phone.
 * @throws Error naming the file when it holds no valid key pair (delete it to start over; phones then subscribe again)
 */
export function loadOrCreateVapidKeys(dataDir: string): VapidKeys {
  const file = join(dataDir, VAPID_FILE);
  try {
    writeFileSync(file, `${JSON.stringify(webPush.generateVAPIDKeys(), null, 2)}\n`, { flag: 'wx', mode: 0o600 });
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
