import { toError, type AnyResponse, type Logger, type SignoffRequest } from '@signoff/shared';
import { ApproverConnection, type ApproverConnectionStatus, type ApproverCredential, type RespondOutcome } from '@signoff/shared/approver';
import type { HubStatus } from './tray-model.js';

export interface LinkState {
  pending: readonly SignoffRequest[];
  presence: Readonly<Record<string, number>>;
  connection: HubStatus['connection'];
}

export interface ApproverLinkEvents {
  /** Pending list, presence or connection changed. */
  changed(state: LinkState): void;
  /** A request became pending that this tray had not seen (live, or in a snapshot after a reconnect). */
  arrived(request: SignoffRequest): void;
  /** A request left the queue (decided anywhere, expired, cancelled), or vanished from a snapshot. */
  left(requestId: string): void;
}

export interface ApproverLinkOptions {
  url: string;
  credential: ApproverCredential;
  /**
   * Called once, the first time the hub refuses the device before it ever connected
   * (revoked while the tray was not running): pairs anew and returns the new
   * credential. A refusal after that, or while running, stays a refusal: a person who
   * revokes the tray's device while it runs means it.
   */
  renew?: () => Promise<ApproverCredential>;
  logger?: Logger;
  /** @default 5000 */
  reconnectDelayMaxMs?: number;
}

/**
 * The tray's `/approver` connection: a thin adapter over the shared
 * {@link ApproverConnection} (`surface: 'tray'`, so the extension knows a tray raises
 * the native notifications) that keeps the pending list the menu and the
 * notifications need, and turns the connection's events into arrivals and departures.
 */
export class ApproverLink {
  private connection: ApproverConnection | null = null;
  private readonly pending: PendingList;
  private presence: Record<string, number> = {};
  private state_: HubStatus['connection'] = 'connecting';
  private everConnected = false;
  private renewed = false;
  private closed = false;
  private credential: ApproverCredential;

  constructor(
    private readonly options: ApproverLinkOptions,
    private readonly events: ApproverLinkEvents,
  ) {
    this.credential = options.credential;
    this.pending = new PendingList(events);
  }

  state(): LinkState {
    return { pending: this.pending.list(), presence: { ...this.presence }, connection: this.state_ };
  }

  connect(): void {
    this.connection?.close();
    this.connection = new ApproverConnection(
      { url: this.options.url, credential: this.credential, surface: 'tray', reconnectDelayMaxMs: this.options.reconnectDelayMaxMs ?? 5000 },
      {
        status: (status) => this.onStatus(status),
        pending: (requests, info) => {
          this.pending.snapshot(requests, info.complete);
          this.emitChanged();
        },
        arrived: (request) => {
          if (this.pending.arrive(request)) this.emitChanged();
        },
        left: (request) => {
          if (this.pending.leave(request.id)) this.emitChanged();
        },
        presence: (surfaces) => {
          this.presence = surfaces;
          this.emitChanged();
        },
      },
    );
    this.connection.start();
  }

  /** Answers a request (e.g. "Approve" on a notification); never throws. */
  respond(id: string, response: AnyResponse): Promise<RespondOutcome> {
    if (!this.connection) return Promise.resolve({ ok: false, reason: 'offline', message: 'Not sent: the tray is not connected to the hub.' });
    return this.connection.respond(id, response);
  }

  close(): void {
    this.closed = true;
    this.connection?.close();
    this.connection = null;
  }

  private onStatus(status: ApproverConnectionStatus): void {
    if (status.state === 'connected') this.everConnected = true;
    // Paging stops with the connection; the next connect brings a new snapshot.
    else this.pending.stopPaging();
    if (status.state === 'rejected' && !this.everConnected && !this.renewed && this.options.renew) {
      this.renewed = true;
      this.setConnection('connecting');
      void this.renewAndReconnect(this.options.renew);
      return;
    }
    this.setConnection(status.state);
  }

  private async renewAndReconnect(renew: () => Promise<ApproverCredential>): Promise<void> {
    try {
      this.credential = await renew();
    } catch (error) {
      this.options.logger?.error('the hub refused the tray’s device and pairing again failed', toError(error).message);
      if (!this.closed) this.setConnection('rejected');
      return;
    }
    if (!this.closed) this.connect();
  }

  private setConnection(connection: HubStatus['connection']): void {
    if (this.state_ === connection) return;
    this.state_ = connection;
    this.emitChanged();
  }

  private emitChanged(): void {
    this.events.changed(this.state());
  }
}

/**
 * The pending requests the tray knows, kept from the connection's snapshots and live
 * events, announcing each request that arrives or leaves once.
 */
export class PendingList {
  private readonly pending = new Map<string, SignoffRequest>();
  /** While a snapshot is paged: what arrived and left live meanwhile, which the fetched pages may miss or still hold. */
  private paging: { arrived: Map<string, SignoffRequest>; left: Set<string> } | null = null;

  constructor(private readonly events: Pick<ApproverLinkEvents, 'arrived' | 'left'>) {}

  list(): SignoffRequest[] {
    return [...this.pending.values()];
  }

  /**
   * A snapshot: the first page (`complete: false` while the rest is fetched), then all
   * of it. A first page only adds; the whole queue replaces the list, keeping what
   * arrived and dropping what left while the pages were fetched.
   */
  snapshot(requests: readonly SignoffRequest[], complete: boolean): void {
    // Oldest first, so a storm summary and the history see them in arrival order.
    const page = requests.filter(waitsForHuman).sort((a, b) => a.createdAt - b.createdAt);
    if (!complete) {
      this.paging = { arrived: new Map(), left: new Set() };
      for (const request of page) this.add(request);
      return;
    }
    const fresh = new Map(page.map((r) => [r.id, r]));
    if (this.paging) {
      for (const [id, request] of this.paging.arrived) fresh.set(id, request);
      for (const id of this.paging.left) fresh.delete(id);
      this.paging = null;
    }
    for (const id of [...this.pending.keys()].filter((known) => !fresh.has(known))) {
      this.pending.delete(id);
      this.events.left(id);
    }
    for (const request of [...fresh.values()].sort((a, b) => a.createdAt - b.createdAt)) this.add(request);
  }

  /** A live `request:new`; true when the list changed. */
  arrive(request: SignoffRequest): boolean {
    if (!waitsForHuman(request)) return false;
    this.paging?.arrived.set(request.id, request);
    this.paging?.left.delete(request.id);
    return this.add(request);
  }

  /** A request left the queue; true when the list changed. */
  leave(id: string): boolean {
    this.paging?.arrived.delete(id);
    this.paging?.left.add(id);
    if (!this.pending.delete(id)) return false;
    this.events.left(id);
    return true;
  }

  /** The connection dropped mid-snapshot: the next one brings a whole new snapshot. */
  stopPaging(): void {
    this.paging = null;
  }

  /** Adds a request, announcing an unseen one. True when it was new. */
  private add(request: SignoffRequest): boolean {
    const known = this.pending.has(request.id);
    this.pending.set(request.id, request);
    if (!known) this.events.arrived(request);
    return !known;
  }
}

/**
 * Pending and not a `notify` record. The hub announces a `notify` request as created
 * (pending) an instant before it settles it: it is audit only, nothing waits on it.
 */
function waitsForHuman(request: SignoffRequest): boolean {
  return request.status === 'pending' && request.kind !== 'notify';
}
