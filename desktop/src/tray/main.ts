// The Electron main process: wires the pure modules (settings, single-hub, tray-model,
// notify-policy) to `app`, `Tray`, `Menu` and `Notification` (the window is in
// approval-window.ts). Decisions live in those modules; this file only carries them out.
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Menu, Notification, Tray, app, clipboard, dialog, nativeImage, powerMonitor, safeStorage } from 'electron';
import { createLogger, toError, type Logger } from '@signoff/shared';
import { ApproverLink } from './approver-link.js';
import { ApprovalWindow } from './approval-window.js';
import { APP_ID, NOTIFICATION_ICON_FILE, notificationOptions, toMenuTemplate, trayIconPath } from './electron-mapping.js';
import { loadInProcessBackend, nodeProcessBackend } from './hub-backends.js';
import { autostartFile, setLinuxAutostart } from './login-item.js';
import type { NotificationPlan } from '../notify/notify-policy.js';
import { SettingsStore, resolveDataDir, resolvePort, resolvePublicUrl } from './settings.js';
import { HubUnavailableError, startOrAttach, type HubBackend, type HubConnection } from './single-hub.js';
import { TrayController, type TrayView } from './tray-controller.js';
import type { SecretCodec, TrayDevice } from './tray-device.js';
import { pairingDialog, type IconState, type TrayAction } from './tray-model.js';

export interface TrayApp {
  connection: HubConnection;
  controller: TrayController;
  link: ApproverLink;
  openWindow(requestId: string | null): void;
}

export interface StartTrayOptions {
  /** @default process.env */
  env?: NodeJS.ProcessEnv;
  /** @default `[tray]` and `[hub]` console loggers */
  logger?: Logger;
  /** @default process.platform */
  platform?: NodeJS.Platform;
}

/**
 * Starts the tray: one instance per data dir, the hub (own or attached), the icon and
 * menu, notifications and the window. Resolves with the running parts, or `null` when
 * this instance gave way to another one or could not get a hub (it said why).
 */
export async function startTray(options: StartTrayOptions = {}): Promise<TrayApp | null> {
  const env = options.env ?? process.env;
  const logger = options.logger ?? createLogger('tray');
  const hubLogger = options.logger ?? createLogger('hub');
  const platform = options.platform ?? process.platform;
  const dataDir = resolveDataDir(env, homedir());
  const settings = new SettingsStore(dataDir, logger);
  const port = resolvePort(env, settings.get(), logger);

  app.setName('Signoff');
  // One tray per data dir: Electron's lock lives in the profile, which lives in the data dir.
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  app.setPath('userData', join(dataDir, 'tray-profile'));
  if (!app.requestSingleInstanceLock()) {
    logger.info('Signoff is already running for this data dir: showing it there');
    app.quit();
    return null;
  }
  app.dock?.hide();
  if (platform === 'win32') app.setAppUserModelId(APP_ID);
  // A tray app lives on with no window open.
  app.on('window-all-closed', () => {});
  await app.whenReady();

  let connection: HubConnection;
  try {
    connection = await startOrAttach({
      dataDir,
      port,
      publicUrl: resolvePublicUrl(env, settings.get(), logger),
      backend: await chooseBackend(env, hubLogger),
      logger,
      codec: safeStorageCodec(platform),
    });
  } catch (error) {
    const message = error instanceof HubUnavailableError ? error.message : `The hub did not start: ${toError(error).message}`;
    logger.error(message);
    dialog.showErrorBox('Signoff cannot start', message);
    app.exit(1);
    return null;
  }

  const icons = app.isPackaged ? join(process.resourcesPath, 'tray') : fileURLToPath(new URL('../../build/tray/', import.meta.url));
  const iconImage = (state: IconState) => nativeImage.createFromPath(trayIconPath(state, platform, icons));
  const tray = new Tray(iconImage('idle'));
  const notifications = new Map<string, Notification>();
  let device: TrayDevice = connection.device;
  // The window's page answers its hub challenge through the tray: one device for the tray and its window.
  const window = new ApprovalWindow({ hubUrl: connection.url, platform, logger, credential: () => device.credential });
  const openWindow = (requestId: string | null) => window.open(requestId);

  const view: TrayView = {
    render(model) {
      tray.setImage(iconImage(model.icon));
      tray.setToolTip(model.tooltip);
      if (platform === 'darwin') tray.setTitle(model.title);
      tray.setContextMenu(Menu.buildFromTemplate(toMenuTemplate(model.menu, dispatch, platform)));
    },
    showNotification(plan) {
      if (!Notification.isSupported()) return;
      // Out of the map first: the old one's 'close' must not report the new one gone.
      const previous = notifications.get(plan.key);
      notifications.delete(plan.key);
      previous?.close();
      const notification = new Notification(notificationOptions(plan, platform, join(icons, NOTIFICATION_ICON_FILE)));
      notification.on('click', () => openWindow(plan.requestId));
      notification.on('action', (event) => onNotificationAction(plan, event.actionIndex));
      notification.on('close', () => {
        if (notifications.get(plan.key) !== notification) return;
        notifications.delete(plan.key);
        controller.notificationGone(plan.key);
      });
      // Held in the map so the object (and its click handler) outlives garbage collection.
      notifications.set(plan.key, notification);
      notification.show();
    },
    closeNotifications(keys) {
      for (const key of keys) {
        const notification = notifications.get(key);
        notifications.delete(key);
        notification?.close();
      }
    },
  };
  const controller = new TrayController({ settings, hub: { mode: connection.mode, port: connection.port }, view, logger });
  const link = new ApproverLink(
    {
      url: connection.url,
      credential: device.credential,
      // The saved device was revoked while the tray was not running: pair once more.
      renew: async () => {
        device = await connection.renewDevice();
        return device.credential;
      },
      logger,
    },
    controller,
  );

  function dispatch(action: TrayAction): void {
    switch (action.type) {
      case 'open-window':
        return openWindow(null);
      case 'open-request':
        return openWindow(action.requestId);
      case 'pair-browser':
        return void showPairingCode();
      case 'do-not-disturb':
        return controller.setDoNotDisturb(action.choice);
      case 'toggle-high-notifications':
        return void controller.toggleHighNotifications();
      case 'toggle-start-at-login':
        return applyStartAtLogin(controller.toggleStartAtLogin());
      case 'quit':
        return app.quit();
    }
  }

  function onNotificationAction(plan: NotificationPlan, index: number): void {
    const action = plan.actions[index];
    if (action?.id === 'approve' && plan.requestId) {
      const id = plan.requestId;
      void link.respond(id, { approved: true }).then((result) => {
        // Decided elsewhere, expired, or offline: show the request rather than fail silently.
        if (!result.ok) {
          logger.warn(`approve from the notification failed: ${result.message}`);
          openWindow(id);
        }
      });
    } else {
      openWindow(plan.requestId);
    }
  }

  async function showPairingCode(): Promise<void> {
    try {
      // createPairingCode asks the hub to prove its key first: no code is shown for anything else on the port.
      const { code, expiresAt } = await connection.createPairingCode();
      const text = pairingDialog(code, expiresAt, Date.now());
      const { response } = await dialog.showMessageBox({ type: 'info', title: text.title, message: text.message, detail: text.detail, buttons: text.buttons, defaultId: 0, cancelId: 1 });
      if (response === 0) await clipboard.writeText(code);
    } catch (error) {
      dialog.showErrorBox('Signoff', `No pairing code: ${toError(error).message}`);
    }
  }

  function applyStartAtLogin(enabled: boolean): void {
    // In a checkout, the login item would start a bare Electron: only the packaged app registers.
    if (!app.isPackaged) return logger.info('"Start at login" takes effect in the packaged app');
    if (platform === 'linux') {
      setLinuxAutostart(enabled, { file: autostartFile(env, homedir()), exec: env.APPIMAGE || process.execPath });
    } else {
      app.setLoginItemSettings({ openAtLogin: enabled });
    }
  }

  let stopped = false;
  let stopping = false;
  app.on('before-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    if (stopping) return;
    stopping = true;
    controller.dispose();
    link.close();
    view.closeNotifications([...notifications.keys()]);
    tray.destroy();
    void connection
      .stop()
      .catch((error: unknown) => logger.error('the hub did not stop cleanly', toError(error).message))
      .finally(() => {
        stopped = true;
        app.quit();
      });
  });
  app.on('second-instance', () => openWindow(null));
  // Timers may have slept with the machine: redraw ("until 15:30" may have passed).
  powerMonitor.on('resume', () => controller.render());
  if (platform === 'win32') tray.on('click', () => openWindow(null));

  applyStartAtLogin(settings.get().startAtLogin);
  controller.render();
  link.connect();
  return { connection, controller, link, openWindow };
}

/**
 * Electron's `safeStorage` for the tray's device key: the macOS Keychain, DPAPI on
 * Windows, libsecret or KWallet on Linux. On Linux without a keyring Electron falls
 * back to a fixed password ("basic_text"), which protects nothing: the tray then says
 * so and keeps a plain 0600 file rather than pretend.
 */
function safeStorageCodec(platform: NodeJS.Platform): SecretCodec {
  const backend = () => (platform === 'linux' ? safeStorage.getSelectedStorageBackend() : null);
  return {
    get name() {
      const which = backend();
      return which ? `safeStorage (${which})` : 'safeStorage';
    },
    async available() {
      if (!(await safeStorage.isAsyncEncryptionAvailable())) return false;
      return backend() !== 'basic_text';
    },
    encrypt: (plain) => safeStorage.encryptStringAsync(plain),
    async decrypt(data) {
      const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(Buffer.from(data));
      return { plain: result, reEncrypt: shouldReEncrypt };
    },
  };
}

/**
 * The hub in this process when better-sqlite3 loads here (the packaged app has it
 * rebuilt for Electron); from a checkout it is built for Node, so the hub runs under
 * the Node that `npm start` used (`SIGNOFF_NODE`).
 */
async function chooseBackend(env: NodeJS.ProcessEnv, logger: Logger): Promise<HubBackend> {
  try {
    return await loadInProcessBackend(logger);
  } catch (error) {
    const node = env.SIGNOFF_NODE || 'node';
    logger.warn(`the hub cannot run inside Electron here (${toError(error).message.split('\n')[0]}); running it with ${node} instead`);
    return nodeProcessBackend({ node, logger });
  }
}

// Electron runs this file as its main script; tests import it with `electron` mocked and call startTray().
if (process.versions.electron && process.type === 'browser') {
  startTray().catch((error: unknown) => {
    const message = toError(error).message;
    console.error('[tray]', message);
    dialog.showErrorBox('Signoff', message);
    app.exit(1);
  });
}
