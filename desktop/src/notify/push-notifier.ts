import type { Agent } from 'node:https';
import { toError, type Logger, type SignoffRequest } from '@signoff/shared';
import type WebPush from 'web-push';
import type { PushTarget } from '../hub/push-store.js';
import type { RequestStore } from '../hub/request-store.js';
import { decideNotification, pruneHistory, SUMMARY_KEY, type NotifiedArrival } from './notify-policy.js';
import type { NotifySettings, NtfySettings } from './notify-settings.js';
import { ntfyHeaders, pushMessage, pushPayload, type PushMessage } from './push-message.js';
import type { VapidKeys } from './vapid-keys.js';

/** How long one push or ntfy publish may stay silent before it is given up (socket idle for Web Push, the whole call for ntfy). */
export const SEND_TIMEOUT_MS = 10_000;
/** Sends in flight at once, over all subscriptions and ntfy. */
export const MAX_CONCURRENT_SENDS = 4;

export interface PushNotifierOptions {
  store: Pick<RequestStore, 'push' | 'requests'>;
  vapid: VapidKeys;
  /** The notification settings as they are now (the tray's file, followed). */
  settings: () => NotifySettings;
  /** The hub's public URL (`https://name[:port]`), or null: then nothing is sent, since no link could open. */
  publicUrl: () => string | null;
  logger: Logger;
  now: () => number;
  /** Environment for `ntfy.tokenEnv`. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** HTTPS agent for the push services (a test trusts its own CA and resolves its own name through it). @default Node's global agent */
  agent?: Agent;
}

/** One destination's sending: at most one message in flight, and only the newest one waiting behind it (with the newest way to send it: keys or settings may have changed). */
interface Slot {
  next: { message: PushMessage; send: (message: PushMessage) => Promise<void> } | null;
}

/**
 * Sends content-free notifications of new pending requests to every subscribed phone
 * (Web Push, RFC 8030/8291/8292 through `web-push`) and to ntfy when configured, under
 * the same policy as the tray's notifications (`notify-policy.ts`: critical always, high by
 * setting and not in Do Not Disturb, storms folded). Never blocks the lifecycle: sends run
 * in the background, {@link MAX_CONCURRENT_SENDS} at a time, each bounded by
 * {@link SEND_TIMEOUT_MS}; a destination still busy keeps only the newest message (they all
 * share one tag, so the phone would show only that one anyway). A subscription the push
 * service says is gone (404, 410) is deleted; other failures are logged without the
 * endpoint's path (its secret) and keep it.
 */
export class PushNotifier {
  /** `web-push`, loaded at the first push: it costs the hub's start tens of milliseconds, and most hubs never push. */
  private webPush: Promise<typeof WebPush> | null = null;
  private history: NotifiedArrival[] = [];
  private readonly slots = new Map<string, Slot>();
  private readonly queue: (() => void)[] = [];
  private running = 0;
  private stopped = false;
  private saidNoPublicUrl = false;

  constructor(private readonly options: PushNotifierOptions) {}

  /** A new request (the lifecycle's `created`): decide, and send if the policy says so. Never throws. */
  created(request: SignoffRequest): void {
    if (this.stopped) return;
    try {
      this.decide(request);
    } catch (error) {
      this.options.logger.warn(`push: not sent (${toError(error).message})`);
    }
  }

  /** Sends nothing more; sends in flight end by their own timeout and touch nothing after. */
  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
  }

  private decide(request: SignoffRequest): void {
    if (request.status !== 'pending') return;
    const now = this.options.now();
    const settings = this.options.settings();
    this.history = pruneHistory(this.history, now);
    const decision = decideNotification(request, settings, this.history, now);
    if (!decision.notify) return;
    const summary = decision.notification.key === SUMMARY_KEY;
    const arrivals = summary ? [...this.history.filter((arrival) => arrival.requestId !== request.id), decision.record] : [decision.record];
    this.history.push(decision.record);
    const targets = this.options.store.push.targets();
    if (targets.length === 0 && !settings.ntfy) return;
    const publicUrl = this.options.publicUrl();
    if (publicUrl === null) {
      if (!this.saidNoPublicUrl) this.options.logger.warn('push: no public URL (--public-url), so no pushes are sent: a phone could not open their link');
      this.saidNoPublicUrl = true;
      return;
    }
    const message = pushMessage({
      arrivals,
      summary,
      waiting: this.options.store.requests.countByStatus('pending'),
      publicUrl,
      expiresAt: request.expiresAt ?? null,
      now,
    });
    for (const target of targets) this.offer(`push:${target.endpoint}`, message, (m) => this.sendPush(target, m));
    const ntfy = settings.ntfy;
    if (ntfy) this.offer('ntfy', message, (m) => this.publishNtfy(ntfy, m));
  }

  /** Queues `message` for one destination, replacing a message still waiting there. */
  private offer(key: string, message: PushMessage, send: (message: PushMessage) => Promise<void>): void {
    const waiting = this.slots.get(key);
    if (waiting) {
      waiting.next = { message, send };
      return;
    }
    const slot: Slot = { next: { message, send } };
    this.slots.set(key, slot);
    const drain = async (): Promise<void> => {
      while (slot.next && !this.stopped) {
        const next = slot.next;
        slot.next = null;
        await this.limited(() => next.send(next.message));
      }
      this.slots.delete(key);
    };
    void drain();
  }

  /**
   * Runs `task` when fewer than {@link MAX_CONCURRENT_SENDS} run; never rejects. A task
   * gives its place up after {@link SEND_TIMEOUT_MS} even if it goes on (a push service
   * that answers a byte at a time keeps its socket's idle timer alive), so a slow service
   * cannot hold back the others; its own destination still waits for it to end, so it
   * never has more than one request open.
   */
  private async limited(task: () => Promise<void>): Promise<void> {
    // A finishing task hands its place to the first waiter, so the bound holds exactly.
    if (this.running >= MAX_CONCURRENT_SENDS) await new Promise<void>((resolve) => this.queue.push(resolve));
    else this.running += 1;
    const run = this.stopped
      ? Promise.resolve()
      : task().catch((error: unknown) => this.options.logger.warn(`push: ${toError(error).message}`));
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([run, new Promise<void>((resolve) => (timer = setTimeout(resolve, SEND_TIMEOUT_MS)))]);
    } finally {
      clearTimeout(timer);
      const next = this.queue.shift();
      if (next) next();
      else this.running -= 1;
    }
    await run;
  }

  private async sendPush(target: PushTarget, message: PushMessage): Promise<void> {
    const { vapid, publicUrl } = this.options;
    const url = publicUrl();
    const where = originOf(target.endpoint);
    this.webPush ??= import('web-push').then((module) => module.default);
    const webPush = await this.webPush;
    try {
      await webPush.sendNotification({ endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } }, pushPayload(message), {
        vapidDetails: { subject: vapidSubject(url), publicKey: vapid.publicKey, privateKey: vapid.privateKey },
        TTL: message.ttlSeconds,
        urgency: message.urgency,
        topic: message.tag,
        timeout: SEND_TIMEOUT_MS,
        contentEncoding: 'aes128gcm',
        ...(this.options.agent ? { agent: this.options.agent } : {}),
      });
      if (!this.stopped) this.options.store.push.delivered(target.endpoint, this.options.now());
    } catch (error) {
      if (this.stopped) return;
      const status = error instanceof webPush.WebPushError ? error.statusCode : null;
      if (status === 404 || status === 410) {
        this.options.store.push.drop(target.endpoint);
        this.options.logger.info(`push: ${where} says a subscription is gone (${status}); removed it`);
        return;
      }
      // Never the endpoint's path nor the service's answer: the path is the subscription's secret.
      this.options.logger.warn(`push: ${where} refused or failed (${status ?? describeFailure(error)}); the subscription is kept`);
    }
  }

  private async publishNtfy(ntfy: NtfySettings, message: PushMessage): Promise<void> {
    const headers: Record<string, string> = { ...ntfyHeaders(message), 'Content-Type': 'text/plain; charset=utf-8' };
    const token = ntfy.tokenEnv ? (this.options.env ?? process.env)[ntfy.tokenEnv] : undefined;
    if (token) headers.Authorization = `Bearer ${token}`;
    const where = `${originOf(ntfy.url)}/${ntfy.topic}`;
    try {
      const response = await fetch(`${ntfy.url}/${encodeURIComponent(ntfy.topic)}`, {
        method: 'POST',
        headers,
        body: message.body,
        redirect: 'error',
        signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
      });
      await response.body?.cancel();
      if (!response.ok && !this.stopped) this.options.logger.warn(`ntfy: ${where} answered ${response.status}`);
    } catch (error) {
      if (!this.stopped) this.options.logger.warn(`ntfy: ${where} failed (${describeFailure(error)})`);
    }
  }
}

/** `https://host[:port]` of a URL: what a log may say about an endpoint. */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(invalid URL)';
  }
}

/** VAPID's contact (`sub`): the hub's public URL when it is https, else a mailto no one reads. */
function vapidSubject(publicUrl: string | null): string {
  return publicUrl?.startsWith('https://') ? publicUrl : 'mailto:signoff@localhost.invalid';
}

/** A failure in words without URLs (a TLS or socket error names no path; a timeout says so). */
function describeFailure(error: unknown): string {
  const e = toError(error);
  const code = (e as NodeJS.ErrnoException).code;
  if (e.name === 'TimeoutError' || /timeout/i.test(e.message)) return 'timed out';
  return code ?? e.name;
}
