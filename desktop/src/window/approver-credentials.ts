import type { ApproverCredential, PairedDevice } from '@signoff/shared/approver';
import { keyCredential } from '@signoff/shared/approver';
import type { DesktopBridge } from './desktop-bridge.js';

/** The approver surface this page announces in its handshake: `tray` inside the tray app, else `window`. */
export type WindowSurface = 'window' | 'tray';

/** The name a pairing from this page records at the hub (shown as "by Browser window via socket"). */
export const PAIRING_NAMES: Readonly<Record<WindowSurface, string>> = { window: 'Browser window', tray: 'Tray window' };

/**
 * How this page proves itself to the hub. On loopback it never keeps a credential that
 * outlives the tab: `http://127.0.0.1:PORT` belongs to whoever holds the port next, and any
 * page served there could read the origin's storage. So either the tray's device answers
 * through the preload (its key stays in the tray), or a device paired by code in this tab
 * answers with a non-extractable key held in memory only; a reload pairs again. At the hub's
 * https public URL (a phone through the proxy) the device's non-extractable key is kept in
 * IndexedDB (`device-store.ts`) so the installed app stays paired: `stored`.
 */
export interface WindowCredentials {
  credential: ApproverCredential;
  surface: WindowSurface;
  /** `bridge`: the tray's device; `tab`: an ephemeral device paired in this tab; `stored`: a device kept in this origin's IndexedDB. */
  source: 'bridge' | 'tab' | 'stored';
  /** The fingerprint of the hub key pinned at pairing, when this page knows it (a tab pairing). */
  hubFingerprint: string | null;
  /** Tells one pairing from the next (a key for the connected view). */
  session: number;
}

let sessions = 0;

/** The tray's device, answering through the preload. */
export function bridgeCredentials(bridge: DesktopBridge): WindowCredentials {
  return {
    credential: { answer: (challenge, context) => bridge.answerChallenge(challenge, context) },
    surface: 'tray',
    source: 'bridge',
    hubFingerprint: null,
    session: ++sessions,
  };
}

/** A device paired by code in this tab (its key in this object only, gone with the tab), or one kept in IndexedDB (`stored`). */
export function tabCredentials(device: PairedDevice, surface: WindowSurface, source: 'tab' | 'stored' = 'tab'): WindowCredentials {
  return {
    credential: keyCredential(device),
    surface,
    source,
    hubFingerprint: device.hubFingerprint || null,
    session: ++sessions,
  };
}
