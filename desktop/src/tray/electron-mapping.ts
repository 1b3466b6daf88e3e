import { join } from 'node:path';
import type { BrowserWindowConstructorOptions, MenuItemConstructorOptions, NotificationConstructorOptions } from 'electron';
import type { NotificationPlan } from '../notify/notify-policy.js';
import type { IconState, MenuItemModel, TrayAction } from './tray-model.js';

/**
 * The pure models mapped onto Electron's option objects. Only types come from
 * `electron` here, so this runs (and is tested) under plain Node.
 */

/** Matches `appId` in electron-builder.yml (Windows needs it for notifications). */
export const APP_ID = 'dev.signoff.app';

/** IPC channels between `main.ts` and `preload.cts` (which repeats them: a sandboxed preload can import nothing). */
export const IpcChannel = {
  /** The window's page asks the tray to answer its hub challenge with the tray's device key. */
  answerChallenge: 'signoff:answer-challenge',
  openRequest: 'signoff:open-request',
} as const;

/** Menu data → Electron's menu template; every click goes through `dispatch`. */
export function toMenuTemplate(items: readonly MenuItemModel[], dispatch: (action: TrayAction) => void, platform: NodeJS.Platform): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    switch (item.kind) {
      case 'separator':
        return { type: 'separator' };
      case 'label':
        return { id: item.id, label: menuLabel(item.label, platform), enabled: false };
      case 'action':
        return { id: item.id, label: menuLabel(item.label, platform), enabled: item.enabled, click: () => dispatch(item.action) };
      case 'checkbox':
        return { id: item.id, type: 'checkbox', label: menuLabel(item.label, platform), checked: item.checked, click: () => dispatch(item.action) };
      case 'submenu':
        return { id: item.id, label: menuLabel(item.label, platform), submenu: toMenuTemplate(item.items, dispatch, platform) };
    }
  });
}

/** On Windows `&` marks a menu accelerator; a title from an agent must show it as text. */
export function menuLabel(label: string, platform: NodeJS.Platform): string {
  return platform === 'win32' ? label.replaceAll('&', '&&') : label;
}

/** A notification plan → Electron's options. Buttons exist on macOS only; elsewhere a click opens the window. */
export function notificationOptions(plan: NotificationPlan, platform: NodeJS.Platform, icon?: string): NotificationConstructorOptions {
  const options: NotificationConstructorOptions = {
    title: plan.title,
    body: plan.subtitle && platform !== 'darwin' ? `${plan.subtitle}\n${plan.body}` : plan.body,
    urgency: plan.urgency,
    timeoutType: plan.sticky ? 'never' : 'default',
    silent: false,
    actions: platform === 'darwin' ? plan.actions.map((action) => ({ type: 'button' as const, text: action.label })) : [],
  };
  if (plan.subtitle && platform === 'darwin') options.subtitle = plan.subtitle;
  if (icon) options.icon = icon;
  return options;
}

/** The approval window: the hub's own UI, with a narrow preload bridge and nothing of Node. */
export function windowOptions(preload: string): BrowserWindowConstructorOptions {
  return {
    width: 1100,
    height: 760,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Signoff',
    autoHideMenuBar: true,
    webPreferences: {
      preload,
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  };
}

/** `http://127.0.0.1:PORT/?surface=tray[&request=ID]`: the page the hub serves for approvers. */
export function windowUrl(hubUrl: string, requestId?: string | null): string {
  const url = new URL('/', hubUrl);
  url.searchParams.set('surface', 'tray');
  if (requestId) url.searchParams.set('request', requestId);
  return url.toString();
}

/** Whether `url` is a page of the hub (same origin): the only pages the window may show and trust. */
export function isHubPage(url: string, hubUrl: string): boolean {
  try {
    return new URL(url).origin === new URL(hubUrl).origin;
  } catch {
    return false;
  }
}

/** Links the window may hand to the system browser. */
export function isExternalLink(url: string): boolean {
  try {
    return ['http:', 'https:', 'mailto:'].includes(new URL(url).protocol);
  } catch {
    return false;
  }
}

/**
 * The tray icon for a state. macOS: black "Template" images the menu bar tints
 * for light and dark (the `@2x` file is picked up beside it). Windows: coloured
 * 16 px (+ `@2x`). Linux: coloured 32 px, which panels scale down.
 */
export function trayIconPath(state: IconState, platform: NodeJS.Platform, dir: string): string {
  if (platform === 'darwin') return join(dir, `${state}Template.png`);
  if (platform === 'win32') return join(dir, `${state}.png`);
  return join(dir, `${state}-linux.png`);
}

/** Every file `trayIconPath` can name, with its pixel size (checked by a test). */
export const TRAY_ICON_FILES: readonly { file: string; size: number }[] = (['idle', 'pending', 'critical'] as const).flatMap((state) => [
  { file: `${state}Template.png`, size: 16 },
  { file: `${state}Template@2x.png`, size: 32 },
  { file: `${state}.png`, size: 16 },
  { file: `${state}@2x.png`, size: 32 },
  { file: `${state}-linux.png`, size: 32 },
]);

/** The icon notifications carry (where the platform shows one). */
export const NOTIFICATION_ICON_FILE = 'notification.png';
