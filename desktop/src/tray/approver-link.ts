import { io, type Socket } from 'socket.io-client';
import { ErrorCode, toError, type AnyResponse, type ApproverToHub, type Decision, type HubToApprover, type Result, type SignoffRequest } from '@signoff/shared';
import type { HubStatus } from './tray-model.js';

type ApproverSocket = Socket<HubToApprover, ApproverToHub>;

/** How long an emit waits for the hub's ack. */
export const ACK_TIMEOUT_MS = 5000;

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

/**
 * The tray's `/approver` connection (`surface: 'tray'`, so the extension knows a
 * tray raises the native notifications). Every (re)connect brings a snapshot,
 * which replaces the pending list; socket.io-client reconnects with backoff.
 */
export class ApproverLink {
  private socket: ApproverSocket | null = null;
  private readonly pending = new Map<string, SignoffRequest>();
  private presence: Record<string, number> = {};
  private connection: HubStatus['connection'] = 'connecting';

  constructor(
    private readonly url: string,
    private readonly token: string,
    private readonly events: ApproverLinkEvents,
  ) {}

  state(): LinkState {
    return { pending: [...this.pending.values()], presence: { ...this.presence }, connection: this.connection };
  }

  connect(): void {
    this.socket?.close();
    const socket: ApproverSocket = io(`${this.url}/approver`, {
      auth: { token: this.token, surface: 'tray' },
      // Node has no need for long-polling; the hub accepts either.
      transports: ['websocket'],
      reconnectionDelay: 500,
      reconnectionDelayMax: 10_000,
    });
    this.socket = socket;
    socket.on('connect', () => this.setConnection('connected'));
    socket.on('disconnect', () => this.setConnection('offline'));
    socket.on('connect_error', (error: Error & { data?: { code?: string } }) => {
      // A refused token is final: socket.io does not retry middleware errors.
      const refused = error.data?.code === ErrorCode.unauthorized || error.data?.code === ErrorCode.forbidden;
      this.setConnection(refused ? 'rejected' : 'offline');
    });
    socket.on('snapshot', ({ requests }) => this.onSnapshot(requests));
    socket.on('request:new', (request) => this.onNew(request));
    socket.on('request:resolved', (request) => this.onLeft(request.id));
    socket.on('request:updated', (request) => this.onLeft(request.id));
    socket.on('approvers:presence', ({ surfaces }) => {
      this.presence = { ...surfaces };
      this.emitChanged();
    });
  }

  /** Answers a request (e.g. "Approve" on a notification); the hub's result, or a timeout/offline error. */
  async respond(id: string, response: AnyResponse): Promise<Result<Decision>> {
    const socket = this.socket;
    if (!socket?.connected) return { ok: false, error: { code: ErrorCode.unavailable, message: 'not connected to the hub' } };
    try {
      return await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('request:respond', { id, response });
    } catch (error) {
      return { ok: false, error: { code: ErrorCode.timeout, message: toError(error).message } };
    }
  }

  close(): void {
    this.socket?.close();
    this.socket = null;
  }

  private onSnapshot(requests: SignoffRequest[]): void {
    const fresh = new Map(requests.filter(waitsForHuman).map((r) => [r.id, r]));
    const gone = [...this.pending.keys()].filter((id) => !fresh.has(id));
    const arrived = [...fresh.values()].filter((r) => !this.pending.has(r.id));
    this.pending.clear();
    for (const [id, request] of fresh) this.pending.set(id, request);
    for (const id of gone) this.events.left(id);
    // Oldest first, so a storm summary and the history see them in arrival order.
    for (const request of arrived.sort((a, b) => a.createdAt - b.createdAt)) this.events.arrived(request);
    this.emitChanged();
  }

  private onNew(request: SignoffRequest): void {
    if (!waitsForHuman(request) || this.pending.has(request.id)) return;
    this.pending.set(request.id, request);
    this.events.arrived(request);
    this.emitChanged();
  }

  private onLeft(id: string): void {
    if (!this.pending.delete(id)) return;
    this.events.left(id);
    this.emitChanged();
  }

  private setConnection(connection: HubStatus['connection']): void {
    if (this.connection === connection) return;
    this.connection = connection;
    this.emitChanged();
  }

  private emitChanged(): void {
    this.events.changed(this.state());
  }
}

/**
 * Pending and not a `notify` record. The hub announces a `notify` request as created
 * (pending) an instant before it settles it: it is audit only, nothing waits on it.
 */
function waitsForHuman(request: SignoffRequest): boolean {
  return request.status === 'pending' && request.kind !== 'notify';
}
