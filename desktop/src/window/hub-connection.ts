import type { AnyResponse, AuditPage, AuditPageQuery, DeviceInfo, Grant, HubStats, PairingCreated, PolicyStatus, PushKey, PushSubscribed, PushSubscriptionInput, RequestStatus, RunDetail, RunSummary, SignoffRequest } from '@signoff/shared';
import { ApproverConnection, type ApproverConnectionState, type ApproverCredential } from '@signoff/shared/approver';
import type { RespondResult } from '@signoff/shared/ui';
import type { WindowSurface } from './approver-credentials.js';
import { applyQueueEvent, EMPTY_QUEUE, MAX_SETTLED, type QueueEvent, type QueueState } from './queue-state.js';

/** Everything the window shows that comes from the `/approver` connection. */
export interface HubConnectionState {
  connection: ApproverConnectionState;
  /** The connection's state in one sentence for the person (the shared wording: impostor, refused, offline). */
  detail: string;
  queue: QueueState;
  /** How many are pending in all while the queue beyond the first page is still loading; else null. */
  pendingTotal: number | null;
  /** Connected approvers per surface (`extension`, `tray`, `window`, `other`), from `approvers:presence`. */
  surfaces: Readonly<Record<string, number>>;
  /** Goes up with every change to the hub's requests, so views that fetched from it (stats, runs) fetch again. */
  revision: number;
  /** The "always allow" grants (listed on every connect, then `grants:changed`); `null` until listed. */
  grants: readonly Grant[] | null;
  /** Why the grants could not be listed (offline, a hub without grants), if so. */
  grantsError: string | null;
  /** The policy file the hub runs on (on every connect, then `policy:changed`); `null` until known. */
  policy: PolicyStatus | null;
}

/** Where and as whom {@link HubConnection} connects. */
export interface HubConnectionOptions {
  /** The hub's origin (`http://127.0.0.1:7475`); the page's own in the window. */
  url: string;
  credential: ApproverCredential;
  surface: WindowSurface;
  /**
   * How long a call waits for the hub's ack.
   * @default 5000
   */
  ackTimeoutMs?: number;
}

const SETTLED_STATUSES = ['resolved', 'expired', 'cancelled', 'blocked'] as const satisfies readonly RequestStatus[];

/** Before the first status: connecting, nothing known. */
export const INITIAL_HUB_STATE: HubConnectionState = {
  connection: 'connecting',
  detail: 'Connecting to the hub…',
  queue: EMPTY_QUEUE,
  pendingTotal: null,
  surfaces: {},
  revision: 0,
  grants: null,
  grantsError: null,
  policy: null,
};

/**
 * The window's view of the shared {@link ApproverConnection}: the queue (snapshot pages and
 * pushes folded by `queue-state`), recent history from `request:list` on every connect, and
 * the dashboard's calls (stats, runs, devices) over the same socket. There is no outbox: a
 * decision made while offline is refused with "Not sent" and stays on screen to send again.
 */
export class HubConnection {
  private readonly connection: ApproverConnection;
  private current: HubConnectionState;
  private readonly listeners = new Set<(state: HubConnectionState) => void>();
  private closed = false;
  /** Requests pushed while the queue beyond the first page loads: the complete list was read before them. */
  private arrivedWhilePaging: Map<string, SignoffRequest> | null = null;

  constructor(options: HubConnectionOptions) {
    this.connection = new ApproverConnection(
      { url: options.url, credential: options.credential, surface: options.surface, ackTimeoutMs: options.ackTimeoutMs ?? 5000 },
      {
        status: ({ state, detail }) => {
          if (state !== 'connected') this.arrivedWhilePaging = null;
          this.update({ connection: state, detail });
          if (state === 'connected') {
            void this.loadHistory();
            void this.loadPolicy();
          }
        },
        pending: (requests, { total, complete }) => this.onPending(requests, total, complete),
        arrived: (request) => {
          if (request.status === 'pending') this.arrivedWhilePaging?.set(request.id, request);
          this.apply({ type: 'new', request });
        },
        left: (request) => this.apply({ type: 'left', request }),
        presence: (surfaces) => this.update({ surfaces }),
        grants: (grants) => this.update({ grants, grantsError: null }),
        policy: (policy) => this.update({ policy }),
      },
    );
    this.current = { ...INITIAL_HUB_STATE, detail: this.connection.status.detail };
  }

  /** The latest state. */
  get state(): HubConnectionState {
    return this.current;
  }

  /** Calls `listener` on every change. Returns an unsubscribe. */
  subscribe(listener: (state: HubConnectionState) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Opens the connection (once). */
  start(): void {
    this.connection.start();
  }

  /** Sends a decision. `{ ok: false, message }` says in plain words why it was not sent (the shared wording). */
  async respond(id: string, response: AnyResponse): Promise<RespondResult> {
    const outcome = await this.connection.respond(id, response);
    return outcome.ok ? { ok: true } : { ok: false, message: outcome.message };
  }

  /** The hub's statistics; rejects with a readable error when offline or refused. */
  stats(): Promise<HubStats> {
    return this.connection.stats();
  }

  /** Runs, newest activity first. */
  async runs(limit = 100): Promise<RunSummary[]> {
    return (await this.connection.runs(limit)).runs;
  }

  /** One run with its timeline. */
  run(runId: string): Promise<RunDetail> {
    return this.connection.run(runId);
  }

  /** The hub's paired devices, and which one this window is (`self`). */
  devices(): Promise<{ devices: DeviceInfo[]; self: string | null }> {
    return this.connection.devices();
  }

  /** Revokes another device: the hub closes its connections at once. */
  revoke(id: string): Promise<{ revoked: boolean }> {
    return this.connection.revoke(id);
  }

  /** Revokes an "always allow" grant; the list follows from the hub's `grants:changed`. */
  async revokeGrant(id: string): Promise<{ ok: true } | { ok: false; message: string }> {
    try {
      const { revoked } = await this.connection.revokeGrant(id);
      // Already gone (revoked elsewhere, expired): list again, so it leaves the screen too.
      if (!revoked) void this.loadPolicy();
      return { ok: true };
    } catch (error) {
      return { ok: false, message: error instanceof Error ? error.message : String(error) };
    }
  }

  /** One page of the hub's decision export (History's Download). */
  auditPage(query: AuditPageQuery): Promise<AuditPage> {
    return this.connection.auditPage(query);
  }

  /** A one-time pairing code and its link for a phone ("Pair a phone" in settings). */
  createPairing(): Promise<PairingCreated> {
    return this.connection.createPairing();
  }

  /** The hub's Web Push key, for this device's notifications (`push-settings.tsx`). */
  pushKey(): Promise<PushKey> {
    return this.connection.pushKey();
  }

  pushSubscribe(subscription: PushSubscriptionInput): Promise<PushSubscribed> {
    return this.connection.pushSubscribe(subscription);
  }

  pushUnsubscribe(endpoint: string): Promise<{ removed: boolean }> {
    return this.connection.pushUnsubscribe(endpoint);
  }

  /** Revokes this window's own device and closes the connection: the session ends. */
  revokeSelf(): Promise<{ revoked: boolean }> {
    return this.connection.revokeSelf();
  }

  /** Closes the connection for good. */
  close(): void {
    this.closed = true;
    this.connection.close();
    this.listeners.clear();
  }

  private onPending(requests: SignoffRequest[], total: number, complete: boolean): void {
    if (!complete) {
      this.arrivedWhilePaging = new Map();
      this.update({ pendingTotal: total });
      this.apply({ type: 'snapshot', requests });
      return;
    }
    const listed = new Set(requests.map((r) => r.id));
    const arrived = [...(this.arrivedWhilePaging?.values() ?? [])].filter((r) => !listed.has(r.id));
    this.arrivedWhilePaging = null;
    this.update({ pendingTotal: null });
    // Anything that left meanwhile is in `settled` already, and the snapshot event drops it.
    this.apply({ type: 'snapshot', requests: [...requests, ...arrived] });
  }

  /**
   * Recently settled requests, so history survives a reload and decisions made while
   * offline show up. One list per settled status: a long queue must not crowd them out.
   */
  private async loadHistory(): Promise<void> {
    try {
      const pages = await Promise.all(SETTLED_STATUSES.map((status) => this.connection.list({ status, limit: MAX_SETTLED })));
      const requests = pages.flatMap((page) => page.requests);
      if (requests.length > 0) this.apply({ type: 'history', requests });
    } catch {
      // Offline again: the next connect asks again.
    }
  }

  /** The grants and the policy status, on every connect (pushes keep them current after). */
  private async loadPolicy(): Promise<void> {
    const [grants, policy] = await Promise.allSettled([this.connection.listGrants(), this.connection.policyStatus()]);
    if (grants.status === 'fulfilled') this.update({ grants: grants.value, grantsError: null });
    else this.update({ grantsError: `The grants could not be listed: ${grants.reason instanceof Error ? grants.reason.message : String(grants.reason)}` });
    if (policy.status === 'fulfilled') this.update({ policy: policy.value });
  }

  private apply(event: QueueEvent): void {
    this.update({ queue: applyQueueEvent(this.current.queue, event), revision: this.current.revision + 1 });
  }

  private update(change: Partial<HubConnectionState>): void {
    if (this.closed) return;
    this.current = { ...this.current, ...change };
    for (const listener of this.listeners) listener(this.current);
  }
}
