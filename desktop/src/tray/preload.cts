/**
 * The approval window's preload: the one bridge between the hub's page and the tray.
 *
 * CommonJS (`.cts`) on purpose: a sandboxed preload cannot be an ES module, and it may
 * `require` nothing but `electron` (and a few Node shims), so this file stands alone;
 * the channel names repeat `IpcChannel` of `electron-mapping.ts` (a test keeps them equal).
 */
import electron = require('electron');
import type { IpcRendererEvent } from 'electron';

const CHANNEL_ANSWER_CHALLENGE = 'signoff:answer-challenge';
const CHANNEL_OPEN_REQUEST = 'signoff:open-request';

/** The hub's `auth:challenge` (`HubChallenge` in shared; repeated here: a sandboxed preload imports nothing). */
interface HubChallenge {
  hubNonce: string;
  host: string;
  signature: string;
}
/** `ChallengeContext` in shared. The tray ignores `dialedHost`: it signs only for the hub address it knows itself. */
interface ChallengeContext {
  clientNonce: string;
  dialedHost: string;
}
/** `auth:prove`'s payload (`DeviceProof` in shared). */
interface DeviceProof {
  deviceId: string;
  signature: string;
}

const api = {
  /**
   * Answers the page's hub challenge with the tray's device key, which stays in the
   * tray's main process. The tray checks the challenge against the hub key it pinned
   * and the hub address it knows (not the page's word for it), and rejects otherwise.
   */
  answerChallenge(challenge: HubChallenge, context: ChallengeContext): Promise<DeviceProof> {
    // Plain copies of the fields the tray reads: nothing else of the page's objects crosses.
    const payload = { hubNonce: challenge?.hubNonce, host: challenge?.host, signature: challenge?.signature };
    return electron.ipcRenderer.invoke(CHANNEL_ANSWER_CHALLENGE, payload, { clientNonce: context?.clientNonce }) as Promise<DeviceProof>;
  },
  /** Calls back with a request id when the tray asks to show it (menu, notification). Returns an unsubscribe. */
  onOpenRequest(callback: (requestId: string) => void): () => void {
    const listener = (_event: IpcRendererEvent, requestId: unknown): void => {
      if (typeof requestId === 'string') callback(requestId);
    };
    electron.ipcRenderer.on(CHANNEL_OPEN_REQUEST, listener);
    return () => {
      electron.ipcRenderer.removeListener(CHANNEL_OPEN_REQUEST, listener);
    };
  },
};

electron.contextBridge.exposeInMainWorld('signoffDesktop', api);

/** `window.signoffDesktop` in the approval window. */
export type DesktopApi = typeof api;
