import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode, SignoffError } from '@signoff/shared';
import { checkHubIdentity, impostorMessage } from '@signoff/shared/approver';
import { HUB_KEY_FILE, readHubPublicKey } from '../hub/hub-identity.js';

/**
 * Proves that the hub at `url` is the data dir's own (it signs a fresh nonce with
 * `hub.key`) before a command writes a pairing code or pairs with it: a code shown
 * for, or sent to, a program holding the port would help nobody but that program.
 * Returns the hub's public key; throws a {@link SignoffError} (exit 2) with a sentence
 * for the person otherwise.
 */
export async function verifiedHub(dataDir: string, url: string): Promise<string> {
  const none = new SignoffError(ErrorCode.unavailable, `no Signoff hub at ${url}; start it first (codes are only good for the running hub): npx signoff hub`);
  // No key: no hub ever ran on this data dir, so whatever answers is not ours (an empty key verifies nothing).
  const hubPublicKey = existsSync(join(dataDir, HUB_KEY_FILE)) ? readHubPublicKey(dataDir) : '';
  const check = await checkHubIdentity(url, hubPublicKey);
  if (check.kind === 'none') throw none;
  if (check.kind === 'other' || !hubPublicKey) {
    throw new SignoffError(
      ErrorCode.forbidden,
      `${impostorMessage(url)} It cannot prove the key in ${join(dataDir, HUB_KEY_FILE)}: another program, or a Signoff hub with another data dir.`,
    );
  }
  return hubPublicKey;
}
