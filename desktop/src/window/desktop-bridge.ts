/**
 * The tray app's preload bridge as the window sees it. The window is the hub's own
 * page in a browser too, where there is no bridge; in the tray's Electron window
 * the preload exposes `window.signoffDesktop` (see `desktop/src/tray/preload.cts`,
 * whose `DesktopApi` this mirrors: the window may import only `shared`).
 */

/** What the tray's preload exposes on `window.signoffDesktop`. */
export interface DesktopBridge {
  /** An approver token the tray paired for this window. */
  getApproverToken(): Promise<string>;
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
  return candidate && typeof candidate.getApproverToken === 'function' ? (candidate as DesktopBridge) : null;
}
