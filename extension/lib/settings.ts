import { browser } from 'wxt/browser';

/** Where the hub is and the approver token it gave us. Lives in extension storage, never in a page. */
export interface Pairing {
  hubUrl: string;
  token: string;
}

export const DEFAULT_HUB_URL = 'http://127.0.0.1:7475';

export async function loadPairing(): Promise<Pairing | null> {
  const { pairing } = (await browser.storage.local.get('pairing')) as { pairing?: Pairing };
  return pairing ?? null;
}

export async function savePairing(pairing: Pairing): Promise<void> {
  await browser.storage.local.set({ pairing });
}

export async function clearPairing(): Promise<void> {
  await browser.storage.local.remove('pairing');
}
