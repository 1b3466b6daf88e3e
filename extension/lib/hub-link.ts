import { io, type Socket } from 'socket.io-client';
import type { AnyResponse, ApproverToHub, HubToApprover, Result, SignoffRequest } from '@signoff/shared';
import { explainRefusal } from './conflict.js';
import type { SignoffStore } from './db.js';
import type { ConnectionState, ConnectionStatus } from './messages.js';
import type { Pairing } from './settings.js';

type ApproverSocket = Socket<HubToApprover, ApproverToHub>;

export interface HubLinkEvents {
  /** IndexedDB or the connection changed. */
  changed(): void;
  /** A new pending request arrived. */
  arrived(request: SignoffRequest, surfaces: Record<string, number>): void;
  /** A request left the queue (decided anywhere, expired, cancelled). */
  left(request: SignoffRequest): void;
}

const ACK_TIMEOUT_MS = 5000;

/**
 * The worker's one `/approver` connection. socket.io-client reconnects with
 * backoff; every (re)connect brings a fresh snapshot, which replaces the mirror
 * and then sends what the outbox holds. Nothing here lives only in memory that
 * cannot be rebuilt from IndexedDB and the next snapshot.
 */
export class HubLink {
  private socket: ApproverSocket | null = null;
  private status: ConnectionStatus;
  private settledWaiters: (() => void)[] = [];
  /** Queued decisions being sent now: the hub's `request:resolved` for them arrives before our ack. */
  private readonly sending = new Set<string>();

  constructor(
    private readonly store: SignoffStore,
    private readonly events: HubLinkEvents,
    hubUrl: string,
  ) {
    this.status = { state: 'unpaired', hubUrl, detail: 'Not paired: open the options page and enter a code from `npx signoff pair`.', surfaces: {} };
  }

  get connection(): ConnectionStatus {
    return this.status;
  }

  /** Connects with a pairing, replacing any earlier connection. */
  connect(pairing: Pairing | null): void {
    this.socket?.close();
    this.socket = null;
    if (!pairing) {
      this.setState('unpaired', 'Not paired: open the options page and enter a code from `npx signoff pair`.', undefined);
      return;
    }
    this.setState('connecting', `Connecting to ${pairing.hubUrl}…`, pairing.hubUrl);
    // From an MV3 worker only WebSocket works (no XMLHttpRequest for polling).
    const socket: ApproverSocket = io(`${pairing.hubUrl}/approver`, {
      auth: { token: pairing.token, surface: 'extension' },
      transports: ['websocket'],
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000, // a local hub that comes back should be seen within seconds
    });
    this.socket = socket;
    socket.on('connect', () => this.setState('connected', `Connected to ${pairing.hubUrl}`));
    socket.on('disconnect', () => this.setState('offline', this.offlineDetail(pairing.hubUrl)));
    socket.on('connect_error', (error: Error & { data?: { code?: string } }) => {
      if (error.data?.code === 'unauthorized' || error.data?.code === 'forbidden') {
        // A refused token is final: socket.io does not retry middleware errors.
        this.setState('rejected', 'The hub rejected this browser’s token: pair again with a new code from `npx signoff pair`.');
      } else {
        this.setState('offline', this.offlineDetail(pairing.hubUrl));
      }
    });
    socket.on('snapshot', ({ requests }) => void this.onSnapshot(requests));
    socket.on('request:new', (request) => void this.onNew(request));
    socket.on('request:resolved', (request) => void this.onLeft(request));
    socket.on('request:updated', (request) => void this.onLeft(request));
    socket.on('approvers:presence', ({ surfaces }) => {
      this.status = { ...this.status, surfaces };
      this.events.changed();
    });
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
   * Sends a decision now, or queues it in IndexedDB when the hub is unreachable.
   * A refusal (already decided elsewhere, expired) comes back as a message.
   */
  async submit(id: string, response: AnyResponse): Promise<{ ok: true; queued: boolean } | { ok: false; message: string }> {
    await this.whenSettled(3000);
    if (this.status.state === 'unpaired' || this.status.state === 'rejected') return { ok: false, message: this.status.detail };
    if (this.status.state === 'connected') {
      const result = await this.respond(id, response);
      if (result !== 'no-answer') return result.ok ? { ok: true, queued: false } : { ok: false, message: `Not sent: ${explainRefusal(result.error)}.` };
    }
    const request = await this.store.getPending(id);
    await this.store.queue({ requestId: id, title: request?.title ?? id, response, queuedAt: Date.now() });
    this.events.changed();
    return { ok: true, queued: true };
  }

  close(): void {
    this.socket?.close();
    this.socket = null;
  }

  private async respond(id: string, response: AnyResponse): Promise<Result<unknown> | 'no-answer'> {
    const socket = this.socket;
    if (!socket?.connected) return 'no-answer';
    try {
      return (await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('request:respond', { id, response })) as Result<unknown>;
    } catch {
      return 'no-answer';
    }
  }

  private async onSnapshot(requests: SignoffRequest[]): Promise<void> {
    await this.store.replacePending(requests);
    this.events.changed();
    await this.flushOutbox();
  }

  /** Sends queued decisions; the hub's first-decision-wins rule makes a late one harmless, and we say why it was refused. */
  private async flushOutbox(): Promise<void> {
    for (const queued of await this.store.outbox()) {
      this.sending.add(queued.requestId);
      const result = await this.respond(queued.requestId, queued.response).finally(() => this.sending.delete(queued.requestId));
      if (result === 'no-answer') return; // offline again: keep the rest for the next connect
      await this.store.unqueue(queued.requestId);
      if (!result.ok) {
        await this.store.addNotice({
          id: `outbox:${queued.requestId}`,
          text: `Your decision on “${queued.title}” was not sent: ${explainRefusal(result.error)}.`,
          at: Date.now(),
        });
      }
      this.events.changed();
    }
  }

  private async onNew(request: SignoffRequest): Promise<void> {
    if (request.status === 'pending') {
      await this.store.putPending(request);
      this.events.arrived(request, this.status.surfaces);
    } else {
      await this.store.settle(request); // notify: recorded, shown in the feed
    }
    this.events.changed();
  }

  private async onLeft(request: SignoffRequest): Promise<void> {
    const ours = this.sending.has(request.id); // read before any await: the ack may land meanwhile
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

  private offlineDetail(hubUrl: string): string {
    return `Hub not reachable at ${hubUrl}: start it with \`npm start\` or \`npx signoff hub\`. Decisions you make are queued and sent when it is back.`;
  }

  private setState(state: ConnectionState, detail: string, hubUrl = this.status.hubUrl): void {
    this.status = { ...this.status, state, detail, hubUrl };
    if (state !== 'connecting') for (const wake of this.settledWaiters.splice(0)) wake();
    this.events.changed();
  }
}
