import { agentLabel, type SignoffRequest } from '@signoff/shared';
import { agentName, doNotDisturbActive, plainText } from '../notify/notify-policy.js';
import type { TraySettings } from './settings.js';

/** The three tray icons. */
export const IconState = { idle: 'idle', pending: 'pending', critical: 'critical' } as const;
export type IconState = (typeof IconState)[keyof typeof IconState];

/** The "Do not disturb" submenu's choices. */
export const DndChoice = { hour: 'hour', tomorrow: 'tomorrow', off: 'off' } as const;
export type DndChoice = (typeof DndChoice)[keyof typeof DndChoice];

/** Do Not Disturb "until tomorrow" ends at this local hour. */
export const DND_MORNING_HOUR = 8;

/** What a menu click asks for; `main.ts` carries it out. */
export type TrayAction =
  | { type: 'open-window' }
  | { type: 'open-request'; requestId: string }
  | { type: 'pair-browser' }
  | { type: 'do-not-disturb'; choice: DndChoice }
  | { type: 'toggle-start-at-login' }
  | { type: 'toggle-high-notifications' }
  | { type: 'quit' };

/** A menu entry as plain data (not an Electron object), so the menu is tested without Electron. */
export type MenuItemModel =
  | { kind: 'action'; id: string; label: string; action: TrayAction; enabled: boolean }
  | { kind: 'label'; id: string; label: string }
  | { kind: 'checkbox'; id: string; label: string; checked: boolean; action: TrayAction }
  | { kind: 'submenu'; id: string; label: string; items: MenuItemModel[] }
  | { kind: 'separator' };

/** How the tray reaches its hub. */
export interface HubStatus {
  /** `own`: this tray started the hub; `attached`: another process runs it (e.g. `signoff hub`). */
  mode: 'own' | 'attached';
  port: number;
  /**
   * The tray's `/approver` connection. `rejected`: the hub refused the tray's device
   * (revoked); `impostor`: something else answers on the port (it was sent nothing).
   */
  connection: 'connecting' | 'connected' | 'offline' | 'rejected' | 'impostor';
}

export interface TrayModelInput {
  pending: readonly SignoffRequest[];
  settings: TraySettings;
  hub: HubStatus;
  /** Connected approvers per surface, from `approvers:presence`. */
  presence: Readonly<Record<string, number>>;
  now: number;
}

export interface TrayModel {
  icon: IconState;
  /** Hover text, with the count. */
  tooltip: string;
  /** Text beside the icon in the macOS menu bar: the count, or empty. */
  title: string;
  menu: MenuItemModel[];
}

/** How many pending requests the menu lists by name. */
export const MENU_REQUEST_LIMIT = 5;
const MENU_TITLE_MAX = 60;

/** Newest first; ties by id so the order is stable. */
export function newestFirst(pending: readonly SignoffRequest[]): SignoffRequest[] {
  return [...pending].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function iconState(pending: readonly SignoffRequest[]): IconState {
  if (pending.some((request) => request.severity === 'critical')) return IconState.critical;
  return pending.length > 0 ? IconState.pending : IconState.idle;
}

/** Pending list + settings + hub status → icon, tooltip and menu. Pure. */
export function trayModel(input: TrayModelInput): TrayModel {
  const pending = newestFirst(input.pending.filter((request) => request.status === 'pending'));
  const critical = pending.filter((request) => request.severity === 'critical').length;
  return {
    icon: iconState(pending),
    tooltip: tooltip(pending.length, critical, input.hub),
    title: pending.length > 0 ? String(pending.length) : '',
    menu: [
      ...pendingSection(pending),
      { kind: 'separator' },
      { kind: 'action', id: 'open', label: 'Open Signoff', action: { type: 'open-window' }, enabled: true },
      // A code only while the hub has proved its key on this very connection (and main checks again before minting one).
      { kind: 'action', id: 'pair', label: 'Pair a browser…', action: { type: 'pair-browser' }, enabled: input.hub.connection === 'connected' },
      { kind: 'separator' },
      doNotDisturbMenu(input.settings, input.now),
      {
        kind: 'checkbox',
        id: 'notify-high',
        label: 'Notify for high-severity requests',
        checked: input.settings.notifications.high,
        action: { type: 'toggle-high-notifications' },
      },
      { kind: 'checkbox', id: 'start-at-login', label: 'Start at login', checked: input.settings.startAtLogin, action: { type: 'toggle-start-at-login' } },
      { kind: 'separator' },
      ...hubSection(input.hub, input.presence),
      { kind: 'separator' },
      { kind: 'action', id: 'quit', label: 'Quit Signoff', action: { type: 'quit' }, enabled: true },
    ],
  };
}

function tooltip(count: number, critical: number, hub: HubStatus): string {
  let text = count === 0 ? 'Signoff: no pending requests' : `Signoff: ${count} pending${critical > 0 ? ` (${critical} critical)` : ''}`;
  if (hub.connection === 'offline') text += `; hub not reachable on port ${hub.port}`;
  if (hub.connection === 'rejected') text += '; the hub refused the tray';
  if (hub.connection === 'impostor') text += `; something else is answering on port ${hub.port}`;
  return text;
}

function pendingSection(pending: SignoffRequest[]): MenuItemModel[] {
  if (pending.length === 0) return [{ kind: 'label', id: 'pending-none', label: 'No pending requests' }];
  const items: MenuItemModel[] = [{ kind: 'label', id: 'pending-count', label: pending.length === 1 ? '1 pending request' : `${pending.length} pending requests` }];
  for (const request of pending.slice(0, MENU_REQUEST_LIMIT)) {
    items.push({
      kind: 'action',
      id: `request:${request.id}`,
      label: requestLabel(request),
      action: { type: 'open-request', requestId: request.id },
      enabled: true,
    });
  }
  const more = pending.length - MENU_REQUEST_LIMIT;
  if (more > 0) items.push({ kind: 'action', id: 'pending-more', label: `…and ${more} more`, action: { type: 'open-window' }, enabled: true });
  return items;
}

/** "Critical: Drop the staging database (deploy-bot)", "… (deploy-bot from build-box)" when another machine asked. */
export function requestLabel(request: SignoffRequest): string {
  const severity = request.severity === 'critical' ? 'Critical: ' : request.severity === 'high' ? 'High: ' : '';
  return `${severity}${plainText(request.title, MENU_TITLE_MAX)} (${agentLabel(request, agentName) ?? agentName(undefined)})`;
}

function doNotDisturbMenu(settings: TraySettings, now: number): MenuItemModel {
  const on = doNotDisturbActive(settings, now);
  const state = on ? `Currently on, until ${formatUntil(settings.doNotDisturbUntil!, now)}` : 'Currently off';
  return {
    kind: 'submenu',
    id: 'dnd',
    label: on ? `Do not disturb (until ${formatUntil(settings.doNotDisturbUntil!, now)})` : 'Do not disturb',
    items: [
      { kind: 'label', id: 'dnd-state', label: state },
      { kind: 'label', id: 'dnd-note', label: 'Critical requests still notify' },
      { kind: 'separator' },
      { kind: 'action', id: 'dnd-hour', label: 'For 1 hour', action: { type: 'do-not-disturb', choice: DndChoice.hour }, enabled: true },
      {
        kind: 'action',
        id: 'dnd-tomorrow',
        label: `Until tomorrow (${DND_MORNING_HOUR}:00)`,
        action: { type: 'do-not-disturb', choice: DndChoice.tomorrow },
        enabled: true,
      },
      { kind: 'action', id: 'dnd-off', label: 'Turn off', action: { type: 'do-not-disturb', choice: DndChoice.off }, enabled: on },
    ],
  };
}

function hubSection(hub: HubStatus, presence: Readonly<Record<string, number>>): MenuItemModel[] {
  const items: MenuItemModel[] = [
    hub.mode === 'attached'
      ? { kind: 'label', id: 'hub', label: `Attached to the hub on port ${hub.port}` }
      : { kind: 'label', id: 'hub', label: `Hub running on port ${hub.port}` },
  ];
  if (hub.connection === 'offline') items.push({ kind: 'label', id: 'hub-state', label: 'Hub not reachable; reconnecting…' });
  if (hub.connection === 'connecting') items.push({ kind: 'label', id: 'hub-state', label: 'Connecting to the hub…' });
  if (hub.connection === 'rejected') items.push({ kind: 'label', id: 'hub-state', label: 'The hub refused the tray; restart Signoff to pair again' });
  if (hub.connection === 'impostor') {
    items.push({ kind: 'label', id: 'hub-state', label: `Something else is answering on 127.0.0.1:${hub.port} — not your Signoff hub` });
  }
  const browsers = presence.extension ?? 0;
  if (hub.connection === 'connected' && browsers > 0) {
    items.push({ kind: 'label', id: 'presence', label: browsers === 1 ? 'A browser extension is connected' : `${browsers} browser extensions are connected` });
  }
  return items;
}

/** When Do Not Disturb ends for a menu choice; `null` turns it off. */
export function doNotDisturbUntil(choice: DndChoice, now: number): number | null {
  if (choice === DndChoice.off) return null;
  if (choice === DndChoice.hour) return now + 60 * 60 * 1000;
  const morning = new Date(now);
  morning.setDate(morning.getDate() + 1);
  morning.setHours(DND_MORNING_HOUR, 0, 0, 0);
  return morning.getTime();
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Local "14:05" when `at` is today, else "Tue 08:00". */
export function formatUntil(at: number, now: number): string {
  const then = new Date(at);
  const today = new Date(now);
  const clock = `${String(then.getHours()).padStart(2, '0')}:${String(then.getMinutes()).padStart(2, '0')}`;
  return then.toDateString() === today.toDateString() ? clock : `${WEEKDAYS[then.getDay()]} ${clock}`;
}

/** What "Pair a browser…" shows: a fresh code to type into the extension's options page. */
export function pairingDialog(code: string, expiresAt: number, now: number): { title: string; message: string; detail: string; buttons: string[] } {
  const minutes = Math.max(1, Math.round((expiresAt - now) / 60_000));
  return {
    title: 'Pair a browser',
    message: code,
    detail: `Open Signoff's browser extension options, type this code into "Pairing code" and press Pair. It works once and for ${minutes} minutes.`,
    buttons: ['Copy code', 'Close'],
  };
}
