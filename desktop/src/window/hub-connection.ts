import type { AnyResponse, ApproverToHub, HubStats, HubToApprover, RequestStatus, Result, SignoffRequest } from '@signoff/shared';
import type { ConnectionState, RespondResult } from '@signoff/shared/ui';
import { io, type Socket } from 'socket.io-client';
import type { WindowSurface } from './approver-credentials.js';
import { applyQueueEvent, EMPTY_QUEUE, MAX_SETTLED, type QueueEvent, type QueueState } from './queue-state.js';
import { NOT_SENT_NO_ANSWER, NOT_SENT_OFFLINE, notSentMessage } from './refusal-text.js';

type ApproverSocket = Socket<HubToApprover, ApproverToHub>;

/** Everything the window shows that comes from the `/approver` socket. */
export interface HubConnectionState {
  connection: ConnectionState;
  queue: QueueState;
  /** Connected approvers per surface (`extension`, `tray`, `window`, `other`), from `approvers:presence`. */
  surfaces: Readonly<Record<string, number>>;
  /** Goes up with every change to the hub's requests, so views that fetched from it (stats, runs) fetch again. */
  revision: number;
}

/** Where and as whom {@link HubConnection} connects. */
export interface HubConnectionOptions {
  /** The hub's origin (`http://127.0.0.1:7475`); the page's own in the window. */
  url: string;
  token: string;
  surface: WindowSurface;
  /**
   * How long a call waits for the hub's ack.
   * @default 5000
   */
  ackTimeoutMs?: number;
}

const SETTLED_STATUSES = ['resolved', 'expired', 'cancelled', 'blocked'] as const satisfies readonly RequestStatus[];

/** Delay before re-opening a connection the hub closed on purpose (it stopped, or restarts). */
const REOPEN_DELAY_MS = 500;

/**
 * The window's one `/approver` connection: the queue from `snapshot` and the
 * pushes, recent history from `request:list` on every (re)connect, decisions sent
 * through `request:respond`. socket.io-client reconnects with backoff; a refused
 * token is final (`rejected`). There is no outbox: a decision made while offline
 * is refused with "Not sent" and stays on screen to send again.
 */
export class HubConnection {
  private socket: ApproverSocket | null = null;
  private current: HubConnectionState = { connection: 'connecting', queue: EMPTY_QUEUE, surfaces: {}, revision: 0 };
  private readonly listeners = new Set<(state: HubConnectionState) => void>();
  private readonly ackTimeoutMs: number;
  private reopenTimer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;

  constructor(private readonly options: HubConnectionOptions) {
    this.ackTimeoutMs = options.ackTimeoutMs ?? 5000;
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
    if (this.socket || this.closed) return;
    const socket: ApproverSocket = io(`${this.options.url.replace(/\/$/, '')}/approver`, {
      auth: { token: this.options.token, surface: this.options.surface },
      transports: ['websocket'],
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000, // a local hub that comes back should be seen within seconds
    });
    this.socket = socket;
    socket.on('connect', () => {
      this.update({ connection: 'connected' });
      void this.loadHistory(socket);
    });
    socket.on('disconnect', (reason) => {
      if (this.closed) return;
      this.update({ connection: 'offline' });
      // The hub closed us on purpose (it is stopping): socket.io will not retry by itself.
      if (reason === 'io server disconnect') this.reopenTimer = setTimeout(() => socket.connect(), REOPEN_DELAY_MS);
    });
    socket.on('connect_error', (error: Error & { data?: { code?: unknown } }) => {
      const code = error.data?.code;
      // A refused token is final: socket.io does not retry middleware refusals.
      this.update({ connection: code === 'unauthorized' || code === 'forbidden' ? 'rejected' : 'offline' });
    });
    socket.on('snapshot', ({ requests }) => this.apply({ type: 'snapshot', requests }));
    socket.on('request:new', (request) => this.apply({ type: 'new', request }));
    socket.on('request:resolved', (request) => this.apply({ type: 'left', request }));
    socket.on('request:updated', (request) => this.apply({ type: 'left', request }));
    socket.on('approvers:presence', ({ surfaces }) => this.update({ surfaces: { ...surfaces } }));
  }

  /**
   * Sends a decision. `{ ok: false, message }` says in plain words why it was not
   * sent: offline, no answer in time, or refused (already decided, expired…).
   */
  async respond(id: string, response: AnyResponse): Promise<RespondResult> {
    const socket = this.socket;
    if (!socket?.connected) return { ok: false, message: NOT_SENT_OFFLINE };
    let result: Result<unknown>;
    try {
      result = (await socket.timeout(this.ackTimeoutMs).emitWithAck('request:respond', { id, response })) as Result<unknown>;
    } catch {
      return { ok: false, message: socket.connected ? NOT_SENT_NO_ANSWER : NOT_SENT_OFFLINE };
    }
    return result.ok ? { ok: true } : { ok: false, message: notSentMessage(result.error) };
  }

  /** The hub's statistics (`stats:get`); rejects with a readable error when offline or refused. */
  async stats(): Promise<HubStats> {
    const socket = this.socket;
    if (!socket?.connected) throw new Error('The hub is not reachable.');
    const result = (await socket.timeout(this.ackTimeoutMs).emitWithAck('stats:get', {})) as Result<HubStats>;
    if (!result.ok) throw new Error(result.error.message);
    return result.data;
  }

  /** Closes the connection for good. */
  close(): void {
    this.closed = true;
    if (this.reopenTimer) clearTimeout(this.reopenTimer);
    this.socket?.close();
    this.socket = null;
    this.listeners.clear();
  }

  /**
   * Recently settled requests, so history survives a reload and decisions made while
   * offline show up. One list per settled status: a long queue must not crowd them out.
   */
  private async loadHistory(socket: ApproverSocket): Promise<void> {
    try {
      const results = (await Promise.all(
        SETTLED_STATUSES.map((status) => socket.timeout(this.ackTimeoutMs).emitWithAck('request:list', { status, limit: MAX_SETTLED })),
      )) as Result<{ requests: SignoffRequest[] }>[];
      const requests = results.flatMap((result) => (result.ok ? result.data.requests : []));
      if (requests.length > 0) this.apply({ type: 'history', requests });
    } catch {
      // Offline again: the next connect asks again.
    }
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
