import type { PushSubscriptionInput } from '@signoff/shared';
import { describe, expect, it } from 'vitest';
import { base64urlBytes, currentPushState, pushSupported, turnPushOff, turnPushOn, type PushHub, type PushScope } from './push-subscription.js';

const HUB_KEY = `B${'A'.repeat(86)}`;
const OTHER_KEY = `B${'Q'.repeat(86)}`;

/** A browser with a service worker whose PushManager keeps one subscription in memory. */
function fakeBrowser(options: { permission?: NotificationPermission; answer?: NotificationPermission; subscribedWith?: string } = {}) {
  const calls: string[] = [];
  let current: PushSubscription | null = null;
  const makeSubscription = (key: Uint8Array, endpoint: string): PushSubscription =>
    ({
      endpoint,
      options: { applicationServerKey: key.buffer, userVisibleOnly: true },
      toJSON: () => ({ endpoint, keys: { p256dh: 'p256dh-of-browser', auth: 'auth-of-browser' } }),
      unsubscribe: async () => {
        calls.push(`browser unsubscribe ${endpoint}`);
        current = null;
        return true;
      },
    }) as unknown as PushSubscription;
  if (options.subscribedWith) current = makeSubscription(base64urlBytes(options.subscribedWith), 'https://push.example/old');
  const pushManager = {
    getSubscription: async () => current,
    subscribe: async ({ applicationServerKey }: PushSubscriptionOptionsInit) => {
      calls.push('browser subscribe');
      current = makeSubscription(applicationServerKey as Uint8Array, 'https://push.example/new');
      return current;
    },
  } as unknown as PushManager;
  const scope: PushScope = {
    isSecureContext: true,
    navigator: { serviceWorker: { ready: Promise.resolve({ pushManager }) } },
    Notification: {
      permission: options.permission ?? 'default',
      requestPermission: async () => {
        calls.push('permission asked');
        return options.answer ?? 'granted';
      },
    },
    PushManager: class {},
  };
  const hub: PushHub & { sent: PushSubscriptionInput[] } = {
    sent: [],
    pushKey: async () => ({ publicKey: HUB_KEY, sending: true }),
    pushSubscribe: async (subscription) => {
      hub.sent.push(subscription);
      calls.push('hub subscribe');
      return { endpoint: subscription.endpoint, created: true };
    },
    pushUnsubscribe: async (endpoint) => {
      calls.push(`hub unsubscribe ${endpoint}`);
      return { removed: true };
    },
  };
  return { scope, hub, calls };
}

describe('push-subscription', () => {
  it('is offered only in a secure context with a service worker, PushManager and Notification', () => {
    const { scope } = fakeBrowser();
    expect(pushSupported(scope)).toBe(true);
    expect(pushSupported({ ...scope, isSecureContext: false })).toBe(false);
    expect(pushSupported({ ...scope, PushManager: undefined })).toBe(false);
    expect(pushSupported({ ...scope, navigator: {} })).toBe(false);
  });

  it('turns on: asks permission, subscribes with the hub key, registers the browser’s keys with the hub', async () => {
    const { scope, hub, calls } = fakeBrowser();
    expect(await currentPushState(scope)).toEqual({ kind: 'off' });
    expect(await turnPushOn(scope, hub)).toEqual({ kind: 'on', endpoint: 'https://push.example/new' });
    expect(calls).toEqual(['permission asked', 'browser subscribe', 'hub subscribe']);
    expect(hub.sent).toEqual([{ endpoint: 'https://push.example/new', keys: { p256dh: 'p256dh-of-browser', auth: 'auth-of-browser' } }]);
    expect(await currentPushState(scope)).toEqual({ kind: 'on', endpoint: 'https://push.example/new' });
  });

  it('replaces a subscription made for another key, keeps one made for this hub’s', async () => {
    const stale = fakeBrowser({ subscribedWith: OTHER_KEY });
    await turnPushOn(stale.scope, stale.hub);
    expect(stale.calls).toEqual(['permission asked', 'browser unsubscribe https://push.example/old', 'browser subscribe', 'hub subscribe']);
    const kept = fakeBrowser({ subscribedWith: HUB_KEY });
    expect(await turnPushOn(kept.scope, kept.hub)).toEqual({ kind: 'on', endpoint: 'https://push.example/old' });
    expect(kept.calls).toEqual(['permission asked', 'hub subscribe']);
  });

  it('says blocked when the person refused, and subscribes nothing', async () => {
    const { scope, hub, calls } = fakeBrowser({ answer: 'denied' });
    expect(await turnPushOn(scope, hub)).toEqual({ kind: 'blocked' });
    expect(calls).toEqual(['permission asked']);
    expect(await currentPushState(fakeBrowser({ permission: 'denied' }).scope)).toEqual({ kind: 'blocked' });
  });

  it('turns off: the hub forgets the endpoint, then the browser drops it', async () => {
    const { scope, hub, calls } = fakeBrowser({ subscribedWith: HUB_KEY });
    expect(await turnPushOff(scope, hub)).toEqual({ kind: 'off' });
    expect(calls).toEqual(['hub unsubscribe https://push.example/old', 'browser unsubscribe https://push.example/old']);
  });

  it('decodes the base64url key to its 65 bytes', () => {
    const bytes = base64urlBytes(HUB_KEY);
    expect(bytes).toHaveLength(65);
    expect(bytes[0]).toBe(4);
  });
});
