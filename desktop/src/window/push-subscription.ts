import type { PushKey, PushSubscribed, PushSubscriptionInput } from '@signoff/shared';

/** What the push control needs from the hub connection. */
export interface PushHub {
  pushKey(): Promise<PushKey>;
  pushSubscribe(subscription: PushSubscriptionInput): Promise<PushSubscribed>;
  pushUnsubscribe(endpoint: string): Promise<{ removed: boolean }>;
}

/** The parts of the page the control uses, so tests can hand it a fake browser. */
export interface PushScope {
  isSecureContext: boolean;
  navigator: { serviceWorker?: { ready: Promise<{ pushManager: PushManager }> } };
  Notification?: { permission: NotificationPermission; requestPermission(): Promise<NotificationPermission> };
  PushManager?: unknown;
}

/** Where this device stands: no Web Push here, the person blocked notifications, off, or on. */
export type PushState = { kind: 'unsupported' } | { kind: 'blocked' } | { kind: 'off' } | { kind: 'on'; endpoint: string };

/**
 * Whether this page can receive Web Push at all: a secure context (the hub's public URL over
 * https; never the tray's loopback window) with a service worker, `PushManager` and
 * `Notification`. iOS offers it only to a page added to the home screen.
 */
export function pushSupported(scope: PushScope): boolean {
  return scope.isSecureContext && scope.navigator.serviceWorker !== undefined && scope.PushManager !== undefined && scope.Notification !== undefined;
}

/** The state now, from the browser alone (its subscription, the permission). */
export async function currentPushState(scope: PushScope): Promise<PushState> {
  if (!pushSupported(scope)) return { kind: 'unsupported' };
  if (scope.Notification!.permission === 'denied') return { kind: 'blocked' };
  const registration = await scope.navigator.serviceWorker!.ready;
  const subscription = await registration.pushManager.getSubscription();
  return subscription ? { kind: 'on', endpoint: subscription.endpoint } : { kind: 'off' };
}

/** Base64url (the hub's key) → bytes, as `applicationServerKey` takes them everywhere. */
export function base64urlBytes(text: string): Uint8Array<ArrayBuffer> {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function sameBytes(a: ArrayBuffer | null | undefined, b: Uint8Array): boolean {
  if (!a || a.byteLength !== b.byteLength) return false;
  const view = new Uint8Array(a);
  return view.every((byte, i) => byte === b[i]);
}

/**
 * Turns notifications on: asks the person's permission (this must run from their click),
 * subscribes the browser with the hub's key (a subscription made for another key, from
 * before the hub's keys changed, is replaced), and registers it with the hub.
 * @throws Error with a sentence for the person when the hub refuses or the browser fails
 */
export async function turnPushOn(scope: PushScope, hub: PushHub): Promise<PushState> {
  if (!pushSupported(scope)) return { kind: 'unsupported' };
  const permission = await scope.Notification!.requestPermission();
  if (permission === 'denied') return { kind: 'blocked' };
  if (permission !== 'granted') return { kind: 'off' };
  const { publicKey } = await hub.pushKey();
  const key = base64urlBytes(publicKey);
  const { pushManager } = await scope.navigator.serviceWorker!.ready;
  let subscription = await pushManager.getSubscription();
  if (subscription && !sameBytes(subscription.options.applicationServerKey, key)) {
    await subscription.unsubscribe();
    subscription = null;
  }
  subscription ??= await pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  const json = subscription.toJSON();
  await hub.pushSubscribe({ endpoint: subscription.endpoint, keys: { p256dh: json.keys?.p256dh ?? '', auth: json.keys?.auth ?? '' } });
  return { kind: 'on', endpoint: subscription.endpoint };
}

/** Turns notifications off: the hub forgets the subscription first, then the browser drops it. */
export async function turnPushOff(scope: PushScope, hub: PushHub): Promise<PushState> {
  if (!pushSupported(scope)) return { kind: 'unsupported' };
  const { pushManager } = await scope.navigator.serviceWorker!.ready;
  const subscription = await pushManager.getSubscription();
  if (subscription) {
    await hub.pushUnsubscribe(subscription.endpoint);
    await subscription.unsubscribe();
  }
  return { kind: 'off' };
}
