import type { AnyResponse, SignoffRequest } from '@signoff/shared';
import { ApproverConnection, explainRefusal, keyCredential, type ApproverConnectionStatus } from '@signoff/shared/approver';
import type { DeviceRecord, SignoffStore } from './db.js';
import type { ConnectionStatus, GrantsReply, RevokeGrantReply } from './messages.js';

export interface HubLinkEvents {
  /** IndexedDB or the connection changed. */
  changed(): void;
  /** A new pending request arrived (once per request: a repeated `request:new` only updates it). */
  arrived(request: SignoffRequest, surfaces: Record<string, number>): void;
  /** A request left the queue (decided anywhere, expired, cancelled). */
  left(request: SignoffRequest): void;
  /** Storing an arrival or a departure failed (IndexedDB); the ones after it are still handled. */
  failed?(error: unknown): void;
}

/** What became of unpairing at the hub. */
export type RevokeOutcome =
  /** The hub revoked this device: it no longer accepts it anywhere. */
  | 'revoked'
  /** The hub had already refused this device (revoked elsewhere, or another hub). */
  | 'refused-already'
  /** The hub could not be asked (not running, something else on the port, no answer). */
  | 'unreachable';

export const NOT_PAIRED = 'Not paired: open the options page and enter a code from `npx signoff pair`.';

/**
 * The worker's `/approver` connection: the shared {@link ApproverConnection} (both-way
 * handshake with the device key, reconnects, impostor detection, snapshot paging) plus
 * what is the extension's own: the IndexedDB mirror, the outbox and its notices. Every
 * (re)connect replaces the mirror with the complete pending list (the first page at once,
 * then all of it) and then sends what the outbox holds. Nothing here lives only in memory
 * that cannot be rebuilt from IndexedDB and the next connect.
 */
export class HubLink {
  private connection_: ApproverConnection | null = null;
  private status: ConnectionStatus;
  private settledWaiters: (() => void)[] = [];
  /** Queued decisions being sent now: the hub's `request:resolved` for them arrives before our ack. */
  private readonly sending = new Set<string>();
  private flushing = false;
  /**
   * While the queue beyond the snapshot's first page is being fetched, what was pushed
   * meanwhile: the complete list was read before these, and must not undo them.
   */
  private paging: { arrived: Map<string, SignoffRequest>; left: Set<string> } | null = null;
  /**
   * Live arrivals and departures, handled one after another in the order the hub sent
   * them: a request and its repeat (a reviewer's verdict, pushed at once) must not both
   * find it unknown, nor may a departure be undone by an arrival still being stored.
   */
  private live: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: SignoffStore,
    private readonly events: HubLinkEvents,
    hubUrl: string,
    /** What "Not paired" says (why pairing is needed again, when there is a reason). */
    private readonly unpairedDetail = NOT_PAIRED,
  ) {
    this.status = { state: 'unpaired', hubUrl, detail: unpairedDetail, surfaces: {}, device: null };
  }

  get connection(): ConnectionStatus {
    return this.status;
  }

  /** Connects as `device`, replacing any earlier connection; `null`: unpaired. */
  connect(device: DeviceRecord | null): void {
    this.connection_?.close();
    this.connection_ = null;
    if (!device) {
      this.setStatus({ state: 'unpaired', detail: this.unpairedDetail, device: null });
      return;
    }
    const connection = new ApproverConnection(
      { url: device.hubUrl, credential: keyCredential(device), surface: 'extension' },
      {
        status: (status) => this.onStatus(status),
        pending: (requests, { complete }) => void this.onPending(connection, requests, complete),
        arrived: (request) => this.inOrder(() => this.onNew(request)),
        left: (request) => this.inOrder(() => this.onLeft(request)),
        presence: (surfaces) => {
          this.status = { ...this.status, surfaces };
          this.events.changed();
        },
        // Nothing is kept here (the worker may stop at any time): pages ask again on CHANGED.
        grants: () => this.events.changed(),
      },
    );
    this.connection_ = connection;
    this.status = { ...this.status, hubUrl: device.hubUrl, surfaces: {}, device: { id: device.deviceId, hubFingerprint: device.hubFingerprint } };
    this.onStatus(connection.status);
    connection.start();
  }

  /** Resolves once the connection is up or has failed (or after `ms`). */
  whenSettled(ms: number): Promise<void> {
    if (this.status.state !== 'connecting') return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.settledWaiters.push(done);
    });
  }

  /**
   * Sends a decision now, or queues it in IndexedDB when the hub cannot be reached (not
   * running, or something else answering in its place). A refusal (already decided
   * elsewhere, expired) comes back as a message.
   */
  async submit(id: string, response: AnyResponse): Promise<{ ok: true; queued: boolean } | { ok: false; message: string }> {
    await this.whenSettled(3000);
    if (this.status.state === 'unpaired' || this.status.state === 'rejected') return { ok: false, message: this.status.detail };
    if (this.status.state === 'connected' && this.connection_) {
      const outcome = await this.connection_.respond(id, response);
      if (outcome.ok) return { ok: true, queued: false };
      if (outcome.reason === 'refused') return { ok: false, message: outcome.message };
    }
    const request = await this.store.getPending(id);
    await this.store.queue({ requestId: id, title: request?.title ?? id, response, queuedAt: Date.now() });
    this.events.changed();
    return { ok: true, queued: true };
  }

  /** The hub's grants, for the popup's "Allowed" list; a failure in words when not connected. */
  async listGrants(): Promise<GrantsReply> {
    const connection = await this.connectedOrWhy();
    if (typeof connection === 'string') return { ok: false, message: connection };
    try {
      return { ok: true, grants: await connection.listGrants() };
    } catch (error) {
      return { ok: false, message: `The grants could not be listed: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  /** Revokes a grant at the hub (never queued: revoking later would allow meanwhile). */
  async revokeGrant(id: string): Promise<RevokeGrantReply> {
    const connection = await this.connectedOrWhy();
    if (typeof connection === 'string') return { ok: false, message: connection };
    try {
      return { ok: true, ...(await connection.revokeGrant(id)) };
    } catch (error) {
      return { ok: false, message: error instanceof Error ? error.message : String(error) };
    }
  }

  /** The connection when it is up, else the status's words. */
  private async connectedOrWhy(): Promise<ApproverConnection | string> {
    await this.whenSettled(3000);
    if (this.status.state === 'connected' && this.connection_) return this.connection_;
    return this.status.detail;
  }

  /**
   * Unpairing, the hub's half: revokes this device there, so its key is worthless even
   * to someone who copied the browser profile. Closes the connection either way.
   */
  async revokeAtHub(): Promise<RevokeOutcome> {
    const connection = this.connection_;
    if (!connection) return 'unreachable';
    await this.whenSettled(3000);
    if (this.status.state === 'rejected') {
      connection.close();
      return 'refused-already';
    }
    if (this.status.state !== 'connected') {
      connection.close();
      return 'unreachable';
    }
    try {
      return (await connection.revokeSelf()).revoked ? 'revoked' : 'refused-already';
    } catch {
      return 'unreachable';
    }
  }

  close(): void {
    this.connection_?.close();
    this.connection_ = null;
  }

  private onStatus({ state, detail }: ApproverConnectionStatus): void {
    if (state !== 'connected') this.paging = null;
    const words =
      state === 'offline'
        ? `${detail} Decisions you make are queued and sent when it is back.`
        : state === 'impostor'
          ? `${detail} Decisions you make wait here until your hub is back.`
          : detail;
    this.setStatus({ state, detail: words });
  }

  /** The queue after a (re)connect: the first page at once, then the complete list replaces the mirror. */
  private async onPending(connection: ApproverConnection, requests: SignoffRequest[], complete: boolean): Promise<void> {
    if (!complete) {
      this.paging = { arrived: new Map(), left: new Set() };
      await this.store.putPendingMany(requests);
      this.events.changed();
      return;
    }
    let all = requests;
    if (this.paging) {
      const { arrived, left } = this.paging;
      const listed = new Set(requests.map((r) => r.id));
      all = [...requests.filter((r) => !left.has(r.id)), ...[...arrived.values()].filter((r) => !listed.has(r.id) && !left.has(r.id))];
      this.paging = null;
    }
    await this.store.replacePending(all);
    this.events.changed();
    // The snapshot may land just before the hub's accepting the proof does.
    await connection.whenConnected(5000).catch(() => undefined);
    if (connection === this.connection_) await this.flushOutbox(connection);
  }

  /** Sends queued decisions; the hub's first-decision-wins rule makes a late one harmless, and we say why it was refused. */
  private async flushOutbox(connection: ApproverConnection): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      for (const queued of await this.store.outbox()) {
        this.sending.add(queued.requestId);
        const outcome = await connection.respond(queued.requestId, queued.response).finally(() => this.sending.delete(queued.requestId));
        if (!outcome.ok && outcome.reason !== 'refused') return; // offline again: keep the rest for the next connect
        await this.store.unqueue(queued.requestId);
        if (!outcome.ok) {
          await this.store.addNotice({
            id: `outbox:${queued.requestId}`,
            text: `Your decision on “${queued.title}” was not sent: ${explainRefusal(outcome.error ?? { code: 'invalid', message: outcome.message })}.`,
            at: Date.now(),
          });
        }
        this.events.changed();
      }
    } finally {
      this.flushing = false;
    }
  }

  private inOrder(handle: () => Promise<void>): void {
    this.live = this.live.then(handle).catch((error: unknown) => this.events.failed?.(error));
  }

  private async onNew(request: SignoffRequest): Promise<void> {
    if (request.status === 'pending') {
      this.paging?.arrived.set(request.id, request);
      // The hub repeats `request:new` when a reviewer's verdict is attached: the stored
      // request takes it, but the person was told about this request already.
      const known = (await this.store.getPending(request.id)) !== undefined;
      await this.store.putPending(request);
      if (!known) this.events.arrived(request, this.status.surfaces);
    } else {
      await this.store.settle(request); // notify: recorded, shown in the feed
    }
    this.events.changed();
  }

  private async onLeft(request: SignoffRequest): Promise<void> {
    const ours = this.sending.has(request.id); // read before any await: the ack may land meanwhile
    this.paging?.left.add(request.id);
    await this.store.settle(request);
    // Decided elsewhere while our decision waited in the outbox: drop ours and say so.
    if (!ours && (await this.store.outbox()).some((q) => q.requestId === request.id)) {
      await this.store.unqueue(request.id);
      const decision = request.decision;
      await this.store.addNotice({
        id: `outbox:${request.id}`,
        text: `Your queued decision on “${request.title}” was not sent: ${
          decision ? explainRefusal({ code: 'conflict', message: '', details: decision }) : 'it is no longer pending'
        }.`,
        at: Date.now(),
      });
    }
    this.events.left(request);
    this.events.changed();
  }

  private setStatus(change: Partial<ConnectionStatus>): void {
    this.status = { ...this.status, ...change };
    if (this.status.state !== 'connecting') for (const wake of this.settledWaiters.splice(0)) wake();
    this.events.changed();
  }
}
