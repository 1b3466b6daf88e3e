import type { NotifiedArrival } from './notify-policy.js';

/** The tag every push carries: the phone shows one Signoff notification, replaced by the newest. */
export const PUSH_TAG = 'signoff';
/** Bounds of a push's time to live: a push service keeps it at most this long for an offline phone. */
export const MIN_TTL_SECONDS = 60;
export const MAX_TTL_SECONDS = 24 * 60 * 60;
/** Time to live of a push for requests without a deadline. */
export const DEFAULT_TTL_SECONDS = 60 * 60;

/**
 * What a push (and an ntfy message) says: counts and severity, never content. Push services
 * (Google, Mozilla, Apple) and ntfy servers carry it, phones show it on a locked screen, and
 * the agent wrote everything in a request (title, body, arguments, its own name), so none
 * of it goes here. The link opens the hub's window, where the person sees the request after
 * the device proved itself.
 */
export interface PushMessage {
  title: string;
  body: string;
  /** `<public URL>/#request=<id>` for one request, `<public URL>/` (the queue) for a summary. */
  url: string;
  tag: string;
  /** How many requests this message is about (1, or a storm's). */
  count: number;
  /** How many of them are critical. */
  critical: number;
  /** How many requests wait in all. */
  waiting: number;
  /** The highest severity among them: only `critical` or `high` ever notify. */
  severity: 'critical' | 'high';
  ttlSeconds: number;
  /** RFC 8030 urgency: `high` wakes a phone in power saving, for critical requests only. */
  urgency: 'high' | 'normal';
}

export interface PushMessageInput {
  /** The requests the message is about: one, or every arrival a storm folded (the newest last). */
  arrivals: readonly NotifiedArrival[];
  /** Whether the policy folded them into a summary. */
  summary: boolean;
  /** Pending requests in all. */
  waiting: number;
  /** The hub's public URL (`https://name[:port]`), without a trailing slash. */
  publicUrl: string;
  /** The newest request's deadline (epoch ms), or null. */
  expiresAt: number | null;
  now: number;
}

/** Builds the content-free message for a notification the shared policy decided on. */
export function pushMessage(input: PushMessageInput): PushMessage {
  const { arrivals, summary, waiting, now } = input;
  const newest = arrivals.at(-1);
  if (!newest) throw new Error('pushMessage: no arrivals');
  const critical = arrivals.filter((arrival) => arrival.severity === 'critical').length;
  const severity = critical > 0 ? 'critical' : 'high';
  const base = input.publicUrl.replace(/\/+$/, '');
  const inAll = `${waiting} waiting in all`;
  const ttl = input.expiresAt === null ? DEFAULT_TTL_SECONDS : Math.ceil((input.expiresAt - now) / 1000);
  return {
    title: summary ? `Signoff: ${arrivals.length} new requests` : `Signoff: ${severity === 'critical' ? 'a critical' : 'a high-severity'} request`,
    body: summary ? `${critical > 0 ? `${critical} critical · ` : ''}${inAll}` : `${inAll}. Open Signoff to see it.`,
    url: summary ? `${base}/` : `${base}/#request=${encodeURIComponent(newest.requestId)}`,
    tag: PUSH_TAG,
    count: arrivals.length,
    critical,
    waiting,
    severity,
    ttlSeconds: Math.min(MAX_TTL_SECONDS, Math.max(MIN_TTL_SECONDS, ttl)),
    urgency: critical > 0 ? 'high' : 'normal',
  };
}

/** The JSON a Web Push carries, as the window's service worker reads it (`{title, body, url, tag}` and the counts). */
export function pushPayload(message: PushMessage): string {
  const { title, body, url, tag, count, critical, waiting, severity } = message;
  return JSON.stringify({ title, body, url, tag, count, critical, waiting, severity });
}

/** ntfy's headers for the message (https://docs.ntfy.sh/publish/): title, priority 5 for critical, the link to open, tags. */
export function ntfyHeaders(message: PushMessage): Record<string, string> {
  return {
    Title: message.title,
    Priority: message.severity === 'critical' ? '5' : '4',
    Click: message.url,
    Tags: message.severity === 'critical' ? 'rotating_light' : 'bell',
  };
}
