import { canonicalJson } from '../protocol/index.js';

/**
 * SHA-256 (lower-case hex) of the canonical JSON of `action`: equal to the hub's
 * `receipt.actionDigest` for the same action. WebCrypto, so it runs in browsers, Node and Deno alike.
 */
export async function actionDigest(action: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(canonicalJson(action));
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
