import { z } from 'zod';

/**
 * Web Push on the wire: an approver device registers the subscription its browser made
 * (`PushManager.subscribe`), and the hub sends it content-free notifications. The hub
 * makes an outbound HTTPS request to every endpoint an approver registers, so endpoints
 * are checked here before anything is stored.
 */

/** Longest endpoint URL accepted (the push services' are well under 1 KB). */
export const MAX_PUSH_ENDPOINT_LENGTH = 2048;
/** Subscriptions one device may hold (a browser profile makes one; reinstalls and several browsers add a few). */
export const MAX_PUSH_SUBSCRIPTIONS_PER_DEVICE = 5;

/**
 * Why an endpoint's host is refused, or null. Push services are public HTTPS hosts
 * (fcm.googleapis.com, updates.push.services.mozilla.com, web.push.apple.com, …): an IP
 * literal, `localhost`, a single-label name or a local-only suffix is never one, and would
 * point the hub's requests into the person's own machine or network.
 */
export function refusedPushHost(hostname: string): string | null {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host.startsWith('[') || /^[\d.]+$/.test(host)) return 'must name a push service, not an IP address';
  if (!host.includes('.')) return 'must name a push service by its full DNS name';
  if (host === 'localhost' || /\.(localhost|local|internal|lan|home\.arpa)$/.test(host)) return 'must name a public push service, not a local name';
  return null;
}

const PushEndpointSchema = z
  .string()
  .max(MAX_PUSH_ENDPOINT_LENGTH, `must be at most ${MAX_PUSH_ENDPOINT_LENGTH} characters`)
  .superRefine((text, ctx) => {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a URL' });
      return;
    }
    if (url.protocol !== 'https:') ctx.addIssue({ code: 'custom', message: 'must be an https:// URL' });
    else if (url.username || url.password) ctx.addIssue({ code: 'custom', message: 'must not hold a user name or password' });
    else {
      const refused = refusedPushHost(url.hostname);
      if (refused) ctx.addIssue({ code: 'custom', message: refused });
    }
  });

/** Base64url of exactly `bytes` bytes, with or without `=` padding; the padding is dropped. */
function base64urlOf(bytes: number, what: string) {
  const chars = Math.ceil((bytes * 4) / 3);
  const padding = (4 - (chars % 4)) % 4;
  return z
    .string()
    .regex(new RegExp(`^[A-Za-z0-9_-]{${chars}}={0,${padding}}$`), `must be the base64url of ${bytes} bytes (${what})`)
    .transform((text) => text.replace(/=+$/, ''));
}

/** What `PushSubscription.toJSON()` gives; other fields a browser adds are dropped. */
export const PushSubscriptionSchema = z.object({
  endpoint: PushEndpointSchema,
  expirationTime: z.number().nullable().optional(),
  keys: z.object({
    /** The browser's P-256 public key, uncompressed (65 bytes, first byte 0x04). */
    p256dh: base64urlOf(65, 'an uncompressed P-256 public key').refine((text) => text.startsWith('B'), 'must be an uncompressed P-256 public key (first byte 0x04)'),
    /** The 16-byte authentication secret. */
    auth: base64urlOf(16, 'the authentication secret'),
  }),
});
export type PushSubscriptionInput = z.input<typeof PushSubscriptionSchema>;
export type PushSubscriptionData = z.output<typeof PushSubscriptionSchema>;

/** `push:subscribe`, `POST /push/subscriptions`. */
export const PushSubscribeSchema = z.strictObject({ subscription: PushSubscriptionSchema });
/** `push:unsubscribe`, `DELETE /push/subscriptions?endpoint=…`. */
export const PushUnsubscribeSchema = z.strictObject({ endpoint: z.string().min(1).max(MAX_PUSH_ENDPOINT_LENGTH) });

/** `push:key`, `GET /push/key`. */
export interface PushKey {
  /** The hub's VAPID public key (base64url), the `applicationServerKey` a browser subscribes with. */
  publicKey: string;
  /** Whether the hub can send pushes now: it knows its public URL (a push whose link opens nothing is not sent). */
  sending: boolean;
}

/** Answer of `push:subscribe`. */
export interface PushSubscribed {
  endpoint: string;
  /** False when this device had registered the endpoint already (its keys are refreshed). */
  created: boolean;
}
