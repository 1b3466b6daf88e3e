import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@signoff/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../test/support/hub.js';
import { pendingRequest } from '../../../test/support/tray-requests.js';
import type { NotificationPlan } from '../notify/notify-policy.js';
import { SettingsStore } from './settings.js';
import { TrayController, type TrayView } from './tray-controller.js';
import type { TrayModel } from './tray-model.js';

let dir: string;
let clock: FakeClock;
let view: TrayView & { models: TrayModel[]; shown: NotificationPlan[]; closed: string[][] };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'signoff-controller-'));
  clock = new FakeClock(new Date(2026, 0, 5, 10, 0).getTime());
  const models: TrayModel[] = [];
  const shown: NotificationPlan[] = [];
  const closed: string[][] = [];
  view = {
    models,
    shown,
    closed,
    render: (model) => void models.push(model),
    showNotification: (plan) => void shown.push(plan),
    closeNotifications: (keys) => void closed.push([...keys]),
  };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function controller(mode: 'own' | 'attached' = 'own') {
  return new TrayController({
    settings: new SettingsStore(dir, silentLogger),
    hub: { mode, port: 7475 },
    view,
    logger: silentLogger,
    now: () => clock.now(),
    timers: clock,
  });
}

describe('TrayController', () => {
  it('renders the pending list, presence and connection the link reports', () => {
    const c = controller('attached');
    c.changed({ pending: [pendingRequest({ id: 'c1', severity: 'critical' })], presence: { extension: 1 }, connection: 'connected' });
    const model = view.models.at(-1)!;
    expect(model).toMatchObject({ icon: 'critical', tooltip: 'Signoff: 1 pending (1 critical)', title: '1' });
    expect(JSON.stringify(model.menu)).toContain('Attached to the hub on port 7475');
  });

  it('raises a notification for a critical arrival and none for a medium one', () => {
    const c = controller();
    c.arrived(pendingRequest({ id: 'm1' }));
    c.arrived(pendingRequest({ id: 'c1', severity: 'critical', agentId: 'ops' }));
    expect(view.shown.map((plan) => plan.key)).toEqual(['request:c1']);
    expect(view.shown[0]!.title).toBe('Critical: ops asks');
  });

  it('closes a request’s notification when the request leaves the queue', () => {
    const c = controller();
    c.arrived(pendingRequest({ id: 'c1', severity: 'critical' }));
    c.left('c1');
    c.left('m-never-shown');
    expect(view.closed).toEqual([['request:c1']]);
  });

  it('does not close what the person already dismissed', () => {
    const c = controller();
    c.arrived(pendingRequest({ id: 'c1', severity: 'critical' }));
    c.notificationGone('request:c1');
    c.left('c1');
    expect(view.closed).toEqual([]);
  });

  it('folds a storm: the summary replaces the single notifications on screen', () => {
    const c = controller();
    for (let i = 0; i < 4; i++) c.arrived(pendingRequest({ id: `c${i}`, severity: 'critical' }));
    expect(view.shown.map((plan) => plan.key)).toEqual(['request:c0', 'request:c1', 'summary', 'summary']);
    expect(view.shown.at(-1)!.title).toBe('4 new requests from build-agent');
    // The singles go once; the summary replaces itself.
    expect(view.closed).toEqual([['request:c0', 'request:c1']]);
  });

  it('turns Do Not Disturb on and off, saves it, and silences high but not critical', () => {
    const c = controller();
    c.setDoNotDisturb('hour');
    expect(new SettingsStore(dir, silentLogger).get().doNotDisturbUntil).toBe(clock.now() + 60 * 60_000);
    expect(JSON.stringify(view.models.at(-1)!.menu)).toContain('Do not disturb (until 11:00)');
    c.arrived(pendingRequest({ id: 'h1', severity: 'high' }));
    c.arrived(pendingRequest({ id: 'c1', severity: 'critical' }));
    expect(view.shown.map((plan) => plan.key)).toEqual(['request:c1']);
    c.setDoNotDisturb('off');
    expect(new SettingsStore(dir, silentLogger).get().doNotDisturbUntil).toBeNull();
  });

  it('redraws the menu when Do Not Disturb ends by itself', () => {
    const c = controller();
    c.setDoNotDisturb('hour');
    const before = view.models.length;
    clock.advance(60 * 60_000);
    expect(view.models.length).toBe(before + 1);
    expect(JSON.stringify(view.models.at(-1)!.menu)).toContain('"label":"Do not disturb"');
    c.dispose();
  });

  it('picks up a Do Not Disturb saved by an earlier run', () => {
    const earlier = controller();
    earlier.setDoNotDisturb('hour');
    earlier.dispose();
    const next = controller();
    const before = view.models.length;
    clock.advance(60 * 60_000);
    expect(view.models.length).toBe(before + 1);
    next.dispose();
  });

  it('flips the two checkboxes and saves them', () => {
    const c = controller();
    expect(c.toggleHighNotifications()).toBe(false);
    expect(c.toggleStartAtLogin()).toBe(true);
    expect(new SettingsStore(dir, silentLogger).get()).toMatchObject({ notifications: { high: false }, startAtLogin: true });
    c.arrived(pendingRequest({ id: 'h1', severity: 'high' }));
    expect(view.shown).toEqual([]);
  });
});
