import { storage } from 'wxt/utils/storage';

/**
 * Everything the extension keeps in `browser.storage`, as WXT storage items: one typed
 * item per key, defined here only. Nothing here grants power; the device key lives in
 * IndexedDB (see `db.ts`).
 */

/**
 * Earlier versions kept `{ hubUrl, token }` here (`storage.local`, key `pairing`): a bearer
 * token that grants an approver's power to whoever receives it. It is only ever read to be
 * discarded.
 */
export const legacyPairingItem = storage.defineItem<unknown>('local:pairing');

/** The request a notification click asked the popup to open (`storage.session`: gone when the browser closes). */
export const openRequestItem = storage.defineItem<string>('session:openRequestId');

/**
 * Nothing that grants power lives in `browser.storage` any more: an old pairing is
 * discarded (never sent anywhere) and the person pairs again. True when one was found.
 */
export async function discardLegacyPairing(): Promise<boolean> {
  if ((await legacyPairingItem.getValue()) === null) return false;
  await legacyPairingItem.removeValue();
  return true;
}

/** Leaves `requestId` for the popup that opens next (a notification was clicked). */
export function rememberRequestToOpen(requestId: string): Promise<void> {
  return openRequestItem.setValue(requestId);
}

/** The request a notification click left for the popup, once: reading it removes it. */
export async function takeRequestToOpen(): Promise<string | null> {
  const requestId = await openRequestItem.getValue();
  if (requestId !== null) await openRequestItem.removeValue();
  return requestId;
}
