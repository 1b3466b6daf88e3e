import { browser } from 'wxt/browser';

/** Where the options page proposes to pair when nothing says otherwise. */
export const DEFAULT_HUB_URL = 'http://127.0.0.1:7475';

/** The notice that tells the person their old pairing was dropped; while it stands, "Not paired" says why. */
export const LEGACY_PAIRING_NOTICE = 'pairing:legacy-token';

/**
 * Earlier versions kept `{ hubUrl, token }` in extension storage: a bearer token that
 * grants an approver's power to whoever receives it, sent to whatever answered on the
 * port. Nothing that grants power lives in `browser.storage` any more; an old pairing is
 * discarded (never sent anywhere) and the person pairs again. True when one was found.
 */
export async function discardLegacyPairing(): Promise<boolean> {
  const { pairing } = (await browser.storage.local.get('pairing')) as { pairing?: unknown };
  if (pairing === undefined) return false;
  await browser.storage.local.remove('pairing');
  return true;
}
