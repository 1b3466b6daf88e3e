import type { DeviceProof, HubChallenge } from '@signoff/shared';
import type { ChallengeContext } from '@signoff/shared/approver';

/**
 * The tray app's preload bridge as the window sees it. The window is the hub's own
 * page in a browser too, where there is no bridge; in the tray's Electron window
 * the preload exposes `window.signoffDesktop` (see `desktop/src/tray/preload.cts`,
 * whose `DesktopApi` this mirrors: the window may import only `shared`).
 */

/** What the tray's preload exposes on `window.signoffDesktop`. */
export interface DesktopBridge {
  /**
   * Answers the hub's challenge with the tray's device key, which never enters the page:
   * the tray checks the challenge against the hub key it pinned, and signs only then.
   */
  answerChallenge(challenge: HubChallenge, context: ChallengeContext): Promise<DeviceProof>;
  /** Calls back with a request id when the tray asks to show it (menu, notification). Returns an unsubscribe. */
  onOpenRequest?(callback: (requestId: string) => void): () => void;
}

declare global {
  interface Window {
    signoffDesktop?: DesktopBridge;
  }
}

/** The bridge when running inside the tray app, else `null` (a plain browser tab). */
export function desktopBridge(scope: { signoffDesktop?: unknown } = window): DesktopBridge | null {
  const candidate = scope.signoffDesktop as Partial<DesktopBridge> | undefined;
  return candidate && typeof candidate.answerChallenge === 'function' ? (candidate as DesktopBridge) : null;
}
