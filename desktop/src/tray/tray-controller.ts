import type { Logger, SignoffRequest } from '@signoff/shared';
import type { ApproverLinkEvents, LinkState } from './approver-link.js';
import { decideNotification, notificationKey, pruneHistory, type NotificationPlan, type NotifiedArrival } from '../notify/notify-policy.js';
import type { SettingsStore } from './settings.js';
import { doNotDisturbUntil, trayModel, type DndChoice, type HubStatus, type TrayModel } from './tray-model.js';

/** What the controller needs from the screen; `main.ts` implements it with Electron. */
export interface TrayView {
  render(model: TrayModel): void;
  /** Shows a notification, replacing any shown under the same key. */
  showNotification(plan: NotificationPlan): void;
  closeNotifications(keys: readonly string[]): void;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface TrayControllerOptions {
  settings: SettingsStore;
  hub: Pick<HubStatus, 'mode' | 'port'>;
  view: TrayView;
  logger: Logger;
  /** @default Date.now */
  now?: () => number;
  /** @default the global timers */
  timers?: Timers;
}

/**
 * Keeps the tray's state (pending list, presence, connection, settings, notification
 * history) and turns each change into a render or a notification through the pure
 * models. Knows nothing of Electron.
 */
export class TrayController implements ApproverLinkEvents {
  private state: LinkState = { pending: [], presence: {}, connection: 'connecting' };
  private history: NotifiedArrival[] = [];
  /** Notification keys on screen, so a request decided elsewhere takes its notification with it. */
  private readonly shown = new Set<string>();
  private dndTimer: unknown = null;
  private readonly now: () => number;
  private readonly timers: Timers;

  constructor(private readonly options: TrayControllerOptions) {
    this.now = options.now ?? Date.now;
    this.timers = options.timers ?? { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };
    this.scheduleDndEnd();
  }

  model(): TrayModel {
    return trayModel({
      pending: this.state.pending,
      settings: this.options.settings.get(),
      hub: { ...this.options.hub, connection: this.state.connection },
      presence: this.state.presence,
      now: this.now(),
    });
  }

  render(): void {
    this.options.view.render(this.model());
  }

  changed(state: LinkState): void {
    this.state = state;
    this.render();
  }

  arrived(request: SignoffRequest): void {
    const now = this.now();
    this.history = pruneHistory(this.history, now);
    const decision = decideNotification(request, this.options.settings.get(), this.history, now);
    if (!decision.notify) return;
    this.history.push(decision.record);
    const plan = decision.notification;
    const replaced = plan.closes.filter((key) => key !== plan.key && this.shown.has(key));
    if (replaced.length > 0) this.close(replaced);
    this.shown.add(plan.key);
    this.options.view.showNotification(plan);
  }

  left(requestId: string): void {
    const key = notificationKey(requestId);
    if (this.shown.has(key)) this.close([key]);
  }

  /** A notification the platform dismissed or the person clicked is no longer ours to close. */
  notificationGone(key: string): void {
    this.shown.delete(key);
  }

  setDoNotDisturb(choice: DndChoice): void {
    const until = doNotDisturbUntil(choice, this.now());
    this.options.settings.update((s) => ({ ...s, doNotDisturbUntil: until }));
    this.options.logger.info(until === null ? 'do not disturb off' : `do not disturb until ${new Date(until).toISOString()}`);
    this.scheduleDndEnd();
    this.render();
  }

  toggleHighNotifications(): boolean {
    const next = this.options.settings.update((s) => ({ ...s, notifications: { ...s.notifications, high: !s.notifications.high } }));
    this.render();
    return next.notifications.high;
  }

  /** Flips the setting and returns the new value; the caller tells the OS. */
  toggleStartAtLogin(): boolean {
    const next = this.options.settings.update((s) => ({ ...s, startAtLogin: !s.startAtLogin }));
    this.render();
    return next.startAtLogin;
  }

  dispose(): void {
    if (this.dndTimer !== null) this.timers.clearTimeout(this.dndTimer);
    this.dndTimer = null;
  }

  private close(keys: string[]): void {
    for (const key of keys) this.shown.delete(key);
    this.options.view.closeNotifications(keys);
  }

  /** The menu says "until 15:30": redraw it when that time comes. */
  private scheduleDndEnd(): void {
    if (this.dndTimer !== null) this.timers.clearTimeout(this.dndTimer);
    this.dndTimer = null;
    const until = this.options.settings.get().doNotDisturbUntil;
    if (until === null || until <= this.now()) return;
    // Timers cap at about 24.8 days; Do Not Disturb never lasts that long.
    this.dndTimer = this.timers.setTimeout(() => {
      this.dndTimer = null;
      this.render();
    }, until - this.now());
  }
}
