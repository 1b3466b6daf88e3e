import type { SignoffRequest } from '@signoff/shared';
import { describe, expect, it } from 'vitest';
import { pendingRequest } from '../../../test/support/tray-requests.js';
import { DEFAULT_SETTINGS, type TraySettings } from './settings.js';
import {
  DND_MORNING_HOUR,
  MENU_REQUEST_LIMIT,
  doNotDisturbUntil,
  formatUntil,
  pairingDialog,
  trayModel,
  type HubStatus,
  type MenuItemModel,
  type TrayModelInput,
} from './tray-model.js';

const NOW = new Date(2026, 0, 5, 10, 0).getTime(); // local time: the menu shows local clocks
const own: HubStatus = { mode: 'own', port: 7475, connection: 'connected' };

function model(changes: Partial<TrayModelInput> = {}) {
  return trayModel({ pending: [], settings: DEFAULT_SETTINGS, hub: own, presence: {}, now: NOW, ...changes });
}

const find = (menu: MenuItemModel[], id: string): MenuItemModel | undefined => {
  for (const item of menu) {
    if ('id' in item && item.id === id) return item;
    if (item.kind === 'submenu') {
      const inner = find(item.items, id);
      if (inner) return inner;
    }
  }
  return undefined;
};
const labels = (menu: MenuItemModel[]) => menu.map((item) => (item.kind === 'separator' ? '---' : item.label));
const requests = (count: number, severity: SignoffRequest['severity'] = 'medium') =>
  Array.from({ length: count }, (_, i) => pendingRequest({ id: `r${i}`, severity, title: `Task ${i}`, createdAt: NOW + i * 1000 }));

describe('icon, tooltip and count', () => {
  it('idle with nothing pending', () => {
    expect(model()).toMatchObject({ icon: 'idle', tooltip: 'Signoff: no pending requests', title: '' });
  });

  it('pending with the count', () => {
    expect(model({ pending: requests(3) })).toMatchObject({ icon: 'pending', tooltip: 'Signoff: 3 pending', title: '3' });
  });

  it('critical as soon as one critical request waits, and says how many', () => {
    const pending = [...requests(2), pendingRequest({ id: 'c', severity: 'critical' })];
    expect(model({ pending })).toMatchObject({ icon: 'critical', tooltip: 'Signoff: 3 pending (1 critical)', title: '3' });
  });

  it('ignores requests that are no longer pending', () => {
    const pending = [pendingRequest({ id: 'done', severity: 'critical', status: 'resolved' })];
    expect(model({ pending })).toMatchObject({ icon: 'idle', title: '' });
  });

  it('says in the tooltip when the hub cannot be reached or refused the tray', () => {
    expect(model({ hub: { ...own, connection: 'offline' } }).tooltip).toBe('Signoff: no pending requests; hub not reachable on port 7475');
    expect(model({ hub: { ...own, connection: 'rejected' } }).tooltip).toBe('Signoff: no pending requests; the hub refused the tray');
  });
});

describe('menu', () => {
  it('has the entries of the issue, in order, with Quit last', () => {
    expect(labels(model().menu)).toEqual([
      'No pending requests',
      '---',
      'Open Signoff',
      'Pair a browser…',
      '---',
      'Do not disturb',
      'Notify for high-severity requests',
      'Start at login',
      '---',
      'Hub running on port 7475',
      '---',
      'Quit Signoff',
    ]);
    expect(find(model().menu, 'quit')).toMatchObject({ kind: 'action', action: { type: 'quit' } });
    expect(find(model().menu, 'open')).toMatchObject({ kind: 'action', action: { type: 'open-window' } });
    expect(find(model().menu, 'pair')).toMatchObject({ kind: 'action', action: { type: 'pair-browser' }, enabled: true });
  });

  it('lists the newest pending requests first; a click opens the window at that request', () => {
    const menu = model({ pending: [pendingRequest({ id: 'old', title: 'Old', createdAt: NOW - 5000 }), pendingRequest({ id: 'new', title: 'New', severity: 'critical', agentId: 'ops' })] }).menu;
    expect(labels(menu).slice(0, 3)).toEqual(['2 pending requests', 'Critical: New (ops)', 'Old (build-agent)']);
    expect(find(menu, 'request:new')).toMatchObject({ kind: 'action', action: { type: 'open-request', requestId: 'new' } });
  });

  it('names the machine a request came from when another machine\'s agent sent it', () => {
    const menu = model({ pending: [pendingRequest({ id: 'remote', title: 'Deploy', agentId: 'ci', machine: 'build-box' })] }).menu;
    expect(labels(menu)[1]).toBe('Deploy (ci from build-box)');
  });

  it(`names at most ${MENU_REQUEST_LIMIT} and offers the rest in the window`, () => {
    const menu = model({ pending: requests(8) }).menu;
    const listed = menu.filter((item) => 'id' in item && item.id.startsWith('request:'));
    expect(listed).toHaveLength(MENU_REQUEST_LIMIT);
    expect(listed.map((item) => (item.kind === 'action' && item.action.type === 'open-request' ? item.action.requestId : ''))).toEqual(['r7', 'r6', 'r5', 'r4', 'r3']);
    expect(find(menu, 'pending-more')).toMatchObject({ label: '…and 3 more', action: { type: 'open-window' } });
  });

  it('says "1 pending request" in the singular', () => {
    expect(labels(model({ pending: requests(1) }).menu)[0]).toBe('1 pending request');
  });

  it('shows the checkboxes in their current state', () => {
    const settings: TraySettings = { ...DEFAULT_SETTINGS, startAtLogin: true, notifications: { high: false } };
    const menu = model({ settings }).menu;
    expect(find(menu, 'start-at-login')).toMatchObject({ kind: 'checkbox', checked: true, action: { type: 'toggle-start-at-login' } });
    expect(find(menu, 'notify-high')).toMatchObject({ kind: 'checkbox', checked: false, action: { type: 'toggle-high-notifications' } });
  });

  it('says when the tray is attached to a hub another process runs', () => {
    const menu = model({ hub: { mode: 'attached', port: 8100, connection: 'connected' } }).menu;
    expect(find(menu, 'hub')).toEqual({ kind: 'label', id: 'hub', label: 'Attached to the hub on port 8100' });
  });

  it('says when the hub is unreachable or refused the tray, and then offers no pairing', () => {
    expect(find(model({ hub: { ...own, connection: 'offline' } }).menu, 'hub-state')).toMatchObject({ label: 'Hub not reachable; reconnecting…' });
    const rejected = model({ hub: { ...own, connection: 'rejected' } }).menu;
    expect(find(rejected, 'hub-state')).toMatchObject({ label: 'The hub refused the tray; restart Signoff to pair again' });
    expect(find(rejected, 'pair')).toMatchObject({ enabled: false });
  });

  it('offers a pairing code only while the hub has proved its key, and names an impostor on the port', () => {
    for (const connection of ['connecting', 'offline', 'rejected', 'impostor'] as const) {
      expect(find(model({ hub: { ...own, connection } }).menu, 'pair')).toMatchObject({ enabled: false });
    }
    expect(find(model({ hub: own }).menu, 'pair')).toMatchObject({ enabled: true });
    const impostor = model({ hub: { ...own, connection: 'impostor' } });
    expect(find(impostor.menu, 'hub-state')).toMatchObject({ label: 'Something else is answering on 127.0.0.1:7475 — not your Signoff hub' });
    expect(impostor.tooltip).toBe('Signoff: no pending requests; something else is answering on port 7475');
  });

  it('mentions connected browser extensions from presence', () => {
    expect(find(model({ presence: { extension: 1, tray: 1 } }).menu, 'presence')).toMatchObject({ label: 'A browser extension is connected' });
    expect(find(model({ presence: { extension: 2 } }).menu, 'presence')).toMatchObject({ label: '2 browser extensions are connected' });
    expect(find(model({ presence: { extension: 0, tray: 1 } }).menu, 'presence')).toBeUndefined();
  });
});

describe('Do not disturb', () => {
  it('when off: says so, offers 1 hour and until tomorrow, and "Turn off" is disabled', () => {
    const dnd = find(model().menu, 'dnd');
    expect(dnd?.kind).toBe('submenu');
    if (dnd?.kind !== 'submenu') return;
    expect(dnd.label).toBe('Do not disturb');
    expect(labels(dnd.items)).toEqual(['Currently off', 'Critical requests still notify', '---', 'For 1 hour', `Until tomorrow (${DND_MORNING_HOUR}:00)`, 'Turn off']);
    expect(find(dnd.items, 'dnd-hour')).toMatchObject({ action: { type: 'do-not-disturb', choice: 'hour' }, enabled: true });
    expect(find(dnd.items, 'dnd-tomorrow')).toMatchObject({ action: { type: 'do-not-disturb', choice: 'tomorrow' } });
    expect(find(dnd.items, 'dnd-off')).toMatchObject({ action: { type: 'do-not-disturb', choice: 'off' }, enabled: false });
  });

  it('when on: shows until when, and "Turn off" is enabled', () => {
    const settings = { ...DEFAULT_SETTINGS, doNotDisturbUntil: new Date(2026, 0, 5, 11, 30).getTime() };
    const dnd = find(model({ settings }).menu, 'dnd');
    expect(dnd).toMatchObject({ label: 'Do not disturb (until 11:30)' });
    expect(find(model({ settings }).menu, 'dnd-state')).toMatchObject({ label: 'Currently on, until 11:30' });
    expect(find(model({ settings }).menu, 'dnd-off')).toMatchObject({ enabled: true });
  });

  it('once its time has passed, reads as off', () => {
    const settings = { ...DEFAULT_SETTINGS, doNotDisturbUntil: NOW - 1 };
    expect(find(model({ settings }).menu, 'dnd')).toMatchObject({ label: 'Do not disturb' });
  });

  it('computes the end of each choice', () => {
    expect(doNotDisturbUntil('hour', NOW)).toBe(NOW + 60 * 60_000);
    expect(doNotDisturbUntil('tomorrow', NOW)).toBe(new Date(2026, 0, 6, DND_MORNING_HOUR, 0).getTime());
    // Late in the evening "tomorrow" is still the next morning, not the one after.
    expect(doNotDisturbUntil('tomorrow', new Date(2026, 0, 31, 23, 59).getTime())).toBe(new Date(2026, 1, 1, DND_MORNING_HOUR, 0).getTime());
    expect(doNotDisturbUntil('off', NOW)).toBeNull();
  });

  it('formats the end as a clock today and with the weekday otherwise', () => {
    expect(formatUntil(new Date(2026, 0, 5, 9, 5).getTime(), NOW)).toBe('09:05');
    expect(formatUntil(new Date(2026, 0, 6, 8, 0).getTime(), NOW)).toBe('Tue 08:00');
  });
});

describe('pairingDialog', () => {
  it('shows the code to type into the extension and how long it lives', () => {
    const dialog = pairingDialog('K7QX-M2PD', NOW + 5 * 60_000, NOW);
    expect(dialog.message).toBe('K7QX-M2PD');
    expect(dialog.detail).toContain('"Pairing code"');
    expect(dialog.detail).toContain('5 minutes');
    expect(dialog.buttons).toEqual(['Copy code', 'Close']);
  });
});
