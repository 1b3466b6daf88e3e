/**
 * The approval window's preload: the one bridge between the hub's page and the tray.
 *
 * CommonJS (`.cts`) on purpose: a sandboxed preload cannot be an ES module, and it may
 * `require` nothing but `electron` (and a few Node shims), so this file stands alone;
 * the channel names repeat `IpcChannel` of `electron-mapping.ts` (a test keeps them equal).
 */
import electron = require('electron');
import type { IpcRendererEvent } from 'electron';

const CHANNEL_APPROVER_TOKEN = 'signoff:approver-token';
const CHANNEL_OPEN_REQUEST = 'signoff:open-request';

const api = {
  /** An approver token for the page to pair its `/approver` socket with (`surface: 'tray'`). */
  getApproverToken(): Promise<string> {
    return electron.ipcRenderer.invoke(CHANNEL_APPROVER_TOKEN) as Promise<string>;
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
