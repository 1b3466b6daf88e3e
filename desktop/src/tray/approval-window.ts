import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BrowserWindow, app, ipcMain, shell } from 'electron';
import { NonceSchema, toError, type HubChallenge, type Logger } from '@signoff/shared';
import type { ApproverCredential } from '@signoff/shared/approver';
import { IpcChannel, isExternalLink, isHubPage, windowOptions, windowUrl } from './electron-mapping.js';

/** Compiled beside this file (preload.cts → preload.cjs). */
const PRELOAD = join(dirname(fileURLToPath(import.meta.url)), 'preload.cjs');

/**
 * The approval window: the hub's own page (`/?surface=tray`), one window at a time.
 * Through the preload it may ask the tray to answer its hub challenge with the tray's
 * device key (which never leaves this process), and nothing else of the tray.
 */
export class ApprovalWindow {
  private window: BrowserWindow | null = null;

  constructor(
    private readonly options: {
      hubUrl: string;
      platform: NodeJS.Platform;
      logger: Logger;
      /** The tray's current device credential (it changes when the tray pairs anew). */
      credential: () => ApproverCredential;
    },
  ) {
    // The host the tray itself dials: a page served by whatever holds the port gets a signature for this host or none.
    const dialedHost = new URL(options.hubUrl).host.toLowerCase();
    ipcMain.handle(IpcChannel.answerChallenge, async (event, challenge: unknown, context: unknown) => {
      // Only this window, showing the hub's own page, gets an answer.
      if (!this.window || event.sender !== this.window.webContents || !isHubPage(event.senderFrame?.url ?? '', options.hubUrl)) {
        throw new Error('not allowed');
      }
      const clientNonce = NonceSchema.safeParse((context as { clientNonce?: unknown } | null)?.clientNonce);
      if (!clientNonce.success) throw new Error('no valid client nonce');
      // The page's own `dialedHost` is ignored on purpose: the credential checks that the
      // pinned hub key signed the challenge for the address the tray knows.
      return options.credential().answer(challenge as HubChallenge, { clientNonce: clientNonce.data, dialedHost });
    });
  }

  /** Shows the window, at a request when given one (a new window loads it, an open one is told). */
  open(requestId: string | null): void {
    const current = this.window;
    if (current && !current.isDestroyed()) {
      if (requestId) current.webContents.send(IpcChannel.openRequest, requestId);
      if (current.isMinimized()) current.restore();
      current.show();
      current.focus();
    } else {
      this.create(requestId);
    }
    // A tray-only app on macOS is never frontmost by itself.
    if (this.options.platform === 'darwin') app.focus({ steal: true });
  }

  private create(requestId: string | null): void {
    const { hubUrl, logger } = this.options;
    const created = new BrowserWindow(windowOptions(PRELOAD));
    this.window = created;
    lockDown(created, hubUrl);
    created.once('ready-to-show', () => created.show());
    created.on('closed', () => {
      if (this.window === created) this.window = null;
    });
    created.loadURL(windowUrl(hubUrl, requestId)).catch((error: unknown) => {
      // Show Chromium's error page rather than nothing at all.
      logger.error('the window did not load', toError(error).message);
      created.show();
    });
  }
}

/** The window shows the hub's pages only; other links go to the system browser; no permissions but copying. */
function lockDown(window: BrowserWindow, hubUrl: string): void {
  const contents = window.webContents;
  contents.on('will-navigate', (event, url) => {
    if (isHubPage(url, hubUrl)) return;
    event.preventDefault();
    if (isExternalLink(url)) void shell.openExternal(url);
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalLink(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.session.setPermissionRequestHandler((_contents, permission, callback) => callback(permission === 'clipboard-sanitized-write'));
}
