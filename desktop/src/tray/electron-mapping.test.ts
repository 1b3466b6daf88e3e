import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import {
  isExternalLink,
  isHubPage,
  menuLabel,
  notificationOptions,
  toMenuTemplate,
  trayIconPath,
  windowOptions,
  windowUrl,
} from './electron-mapping.js';
import type { NotificationPlan } from '../notify/notify-policy.js';
import type { MenuItemModel, TrayAction } from './tray-model.js';

const menu: MenuItemModel[] = [
  { kind: 'label', id: 'count', label: '1 pending request' },
  { kind: 'action', id: 'request:r1', label: 'Critical: R&D budget (ops)', action: { type: 'open-request', requestId: 'r1' }, enabled: true },
  { kind: 'separator' },
  {
    kind: 'submenu',
    id: 'dnd',
    label: 'Do not disturb',
    items: [{ kind: 'action', id: 'dnd-hour', label: 'For 1 hour', action: { type: 'do-not-disturb', choice: 'hour' }, enabled: true }],
  },
  { kind: 'checkbox', id: 'start-at-login', label: 'Start at login', checked: true, action: { type: 'toggle-start-at-login' } },
];

/** Electron calls `click(menuItem, window, event)`; the mapping ignores the arguments. */
const click = (item: MenuItemConstructorOptions | undefined) => (item?.click as (() => void) | undefined)?.();

describe('toMenuTemplate', () => {
  it('maps each kind of entry, and every click dispatches its action', () => {
    const dispatched: TrayAction[] = [];
    const template = toMenuTemplate(menu, (action) => dispatched.push(action), 'linux');
    expect(template.map(({ click: _click, submenu: _submenu, ...rest }) => rest)).toEqual([
      { id: 'count', label: '1 pending request', enabled: false },
      { id: 'request:r1', label: 'Critical: R&D budget (ops)', enabled: true },
      { type: 'separator' },
      { id: 'dnd', label: 'Do not disturb' },
      { id: 'start-at-login', type: 'checkbox', label: 'Start at login', checked: true },
    ]);
    click(template[1]);
    click((template[3]!.submenu as MenuItemConstructorOptions[])[0]);
    click(template[4]);
    expect(dispatched).toEqual([{ type: 'open-request', requestId: 'r1' }, { type: 'do-not-disturb', choice: 'hour' }, { type: 'toggle-start-at-login' }]);
  });

  it('on Windows shows an agent’s "&" as text, not as an accelerator', () => {
    const template = toMenuTemplate(menu, () => {}, 'win32');
    expect(template[1]!.label).toBe('Critical: R&&D budget (ops)');
    expect(menuLabel('a & b', 'darwin')).toBe('a & b');
  });
});

describe('notificationOptions', () => {
  const plan: NotificationPlan = {
    key: 'request:r1',
    requestId: 'r1',
    title: 'Critical: ops asks',
    subtitle: 'Irreversible: review the details before deciding',
    body: 'Drop the database\nAnswer within 15 min',
    urgency: 'critical',
    sticky: true,
    actions: [{ id: 'open', label: 'Open' }],
    closes: [],
  };

  it('macOS: subtitle apart, buttons from the plan', () => {
    expect(notificationOptions(plan, 'darwin', '/icons/n.png')).toEqual({
      title: 'Critical: ops asks',
      subtitle: 'Irreversible: review the details before deciding',
      body: 'Drop the database\nAnswer within 15 min',
      urgency: 'critical',
      timeoutType: 'never',
      silent: false,
      actions: [{ type: 'button', text: 'Open' }],
      icon: '/icons/n.png',
    });
  });

  it('Linux and Windows: the subtitle leads the body, no buttons (a click opens the window)', () => {
    const options = notificationOptions({ ...plan, sticky: false, urgency: 'normal' }, 'linux');
    expect(options).toEqual({
      title: 'Critical: ops asks',
      body: 'Irreversible: review the details before deciding\nDrop the database\nAnswer within 15 min',
      urgency: 'normal',
      timeoutType: 'default',
      silent: false,
      actions: [],
    });
  });
});

describe('the approval window', () => {
  it('is isolated, sandboxed, without Node, with the preload bridge', () => {
    const options = windowOptions('/app/dist/tray/preload.cjs');
    expect(options.webPreferences).toMatchObject({
      preload: '/app/dist/tray/preload.cjs',
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      webSecurity: true,
      allowRunningInsecureContent: false,
    });
    expect(options.show).toBe(false);
  });

  it('loads the hub’s own page, optionally at a request', () => {
    expect(windowUrl('http://127.0.0.1:7475')).toBe('http://127.0.0.1:7475/?surface=tray');
    expect(windowUrl('http://127.0.0.1:7475', 'a b/c')).toBe('http://127.0.0.1:7475/?surface=tray&request=a+b%2Fc');
  });

  it('trusts only pages of the hub’s origin', () => {
    expect(isHubPage('http://127.0.0.1:7475/?surface=tray#x', 'http://127.0.0.1:7475')).toBe(true);
    expect(isHubPage('http://127.0.0.1:7476/', 'http://127.0.0.1:7475')).toBe(false);
    expect(isHubPage('http://localhost:7475/', 'http://127.0.0.1:7475')).toBe(false);
    expect(isHubPage('https://evil.example/', 'http://127.0.0.1:7475')).toBe(false);
    expect(isHubPage('not a url', 'http://127.0.0.1:7475')).toBe(false);
  });

  it('hands only web and mail links to the system', () => {
    expect(isExternalLink('https://example.com/docs')).toBe(true);
    expect(isExternalLink('mailto:ops@example.com')).toBe(true);
    expect(isExternalLink('file:///etc/passwd')).toBe(false);
    expect(isExternalLink('javascript:alert(1)')).toBe(false);
  });
});

describe('trayIconPath', () => {
  it('uses template images on macOS, coloured ones elsewhere', () => {
    expect(trayIconPath('critical', 'darwin', '/r/tray')).toBe('/r/tray/criticalTemplate.png');
    expect(trayIconPath('pending', 'win32', '/r/tray')).toBe('/r/tray/pending.png');
    expect(trayIconPath('idle', 'linux', '/r/tray')).toBe('/r/tray/idle-linux.png');
  });
});
