import { io, type Socket } from 'socket.io-client';
import {
  ErrorCode,
  PROOF_WINDOW_MS,
  newNonce,
  type AnyResponse,
  type ApproverSurface,
  type ApproverToHub,
  type AuditPage,
  type AuditPageQuery,
  type Decision,
  type DeviceInfo,
  type Grant,
  type HubStats,
  type HubToApprover,
  type ListRequestsQuery,
  type PairingCreated,
  type PolicyStatus,
  type PushKey,
  type PushSubscribed,
  type PushSubscriptionInput,
  type RequestPage,
  type RequestStatus,
  type Result,
  type RunDetail,
  type RunSummary,
  type SignoffRequest,
  type WireError,
} from '../protocol/index.js';
import { HubIdentityError, type ApproverCredential } from './credential.js';
import { impostorMessage } from './pairing.js';
import { NOT_SENT_NO_ANSWER, NOT_SENT_OFFLINE, notSentMessage } from './refusal-text.js';

type ApproverSocket = Socket<HubToApprover, ApproverToHub>;

/**
 * - `connecting`: dialing, or proving who we are
 * - `connected`: the hub proved its key and accepted ours
 * - `offline`: nothing answers (socket.io retries with backoff)
 * - `rejected`: the hub refused this device (revoked, or unknown): pair again
 * - `impostor`: something else answers at the hub's address; we sent it nothing and retry slowly
 */
export type ApproverConnectionState = 'connecting' | 'connected' | 'offline' | 'rejected' | 'impostor';

export interface ApproverConnectionStatus {
  state: ApproverConnectionState;
  /** One sentence for the person. */
  detail: string;
}

export interface ApproverConnectionEvents {
  status(status: ApproverConnectionStatus): void;
  /**
   * The pending queue after a (re)connect: first with the snapshot's first page
   * (`complete: false` while more pages are fetched), then with all of it.
   */
  pending(requests: SignoffRequest[], info: { total: number; complete: boolean }): void;
  /** `request:new`: a request arrived (a `notify` arrives already settled). */
  arrived(request: SignoffRequest): void;
  /** A request left the queue: decided by a person anywhere (`resolved`), or ended otherwise. */
  left(request: SignoffRequest, how: 'resolved' | 'updated'): void;
  /** Connected approvers per surface. */
  presence(surfaces: Record<string, number>): void;
  /** `grants:changed`: the "always allow" grants now (made, used, revoked, expired). */
  grants(grants: Grant[]): void;
  /** `policy:changed`: the policy file was (re)loaded, or an edit to it was refused. */
  policy(status: PolicyStatus): void;
}

export interface ApproverConnectionOptions {
  /** The hub's origin, `http://127.0.0.1:7475`. */
  url: string;
  credential: ApproverCredential;
  surface: ApproverSurface;
  /** @default 5000 */
  ackTimeoutMs?: number;
  /** Longest wait between reconnects. @default 5000: a local hub that comes back is seen within seconds */
  reconnectDelayMaxMs?: number;
}

/** What became of a decision: sent and accepted, or why not, in words for the person. */
export type RespondOutcome =
  | { ok: true; decision: Decision }
  | { ok: false; reason: 'offline' | 'no-answer' | 'refused'; message: string; error?: WireError };

/** Requests per page when fetching the queue beyond the snapshot. */
const PAGE_SIZE = 200;
/** How long to wait before dialing again an address held by something else. */
const IMPOSTOR_RETRY_MS = 10_000;

/**
 * The one `/approver` connection, shared by the extension, the tray, the window and the
 * CLI: the two-way handshake (nothing of value is sent before the hub proves its pinned
 * key at the dialed host), reconnects, refusals, snapshot paging, and calls with an ack
 * timeout. Surfaces keep only what is theirs (IndexedDB, menus, views).
 */
export class ApproverConnection {
  private socket: ApproverSocket | null = null;
  private current: ApproverConnectionStatus;
  private readonly ackTimeoutMs: number;
  private readonly dialedHost: string;
  private clientNonce = '';
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private challengeTimer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  private waiters: (() => void)[] = [];
  /** Bumped on every (re)connect, so paging of an older snapshot stops. */
  private generation = 0;

  constructor(
    private readonly options: ApproverConnectionOptions,
    private readonly events: Partial<ApproverConnectionEvents> = {},
  ) {
    this.ackTimeoutMs = options.ackTimeoutMs ?? 5000;
    this.dialedHost = new URL(options.url).host.toLowerCase();
    this.current = { state: 'connecting', detail: `Connecting to ${options.url}…` };
  }

  get status(): ApproverConnectionStatus {
    return this.current;
  }

  get connected(): boolean {
    return this.current.state === 'connected';
  }

  /** Opens the connection (once). */
  start(): void {
    if (this.socket || this.closed) return;
    const socket: ApproverSocket = io(`${this.options.url.replace(/\/+$/, '')}/approver`, {
      // A fresh nonce for every attempt: the hub's signature over it is what proves the hub is live, not replayed.
      auth: (send) => {
        this.clientNonce = newNonce();
        send({ nonce: this.clientNonce, surface: this.options.surface });
      },
      // From an MV3 worker only WebSocket works; everyone else has no need for long-polling.
      transports: ['websocket'],
      reconnectionDelay: 500,
      reconnectionDelayMax: this.options.reconnectDelayMaxMs ?? 5000,
    });
    this.socket = socket;
    socket.on('connect', () => {
      this.generation += 1;
      // A Signoff hub challenges at once; anything that does not is not our hub.
      this.challengeTimer = setTimeout(() => this.distrust(socket, 'it sent no challenge'), PROOF_WINDOW_MS);
    });
    socket.on('auth:challenge', (challenge) => void this.onChallenge(socket, challenge));
    socket.on('disconnect', (reason) => {
      this.clearChallengeTimer();
      if (this.closed || this.current.state === 'impostor' || this.current.state === 'rejected') return;
      this.setStatus('offline', this.offlineDetail());
      // The hub closed us on purpose (it stopped, or restarts): socket.io will not retry by itself.
      if (reason === 'io server disconnect') this.retryLater(500);
    });
    socket.on('connect_error', (error: Error & { data?: { code?: unknown } }) => {
      const code = error.data?.code;
      if (code === ErrorCode.unauthorized || code === ErrorCode.forbidden) {
        // A refused handshake is final: socket.io does not retry middleware refusals.
        this.setStatus('rejected', this.rejectedDetail());
      } else {
        this.setStatus('offline', this.offlineDetail());
      }
    });
    socket.on('snapshot', (snapshot) => void this.onSnapshot(socket, snapshot));
    socket.on('request:new', (request) => this.events.arrived?.(request));
    socket.on('request:resolved', (request) => this.events.left?.(request, 'resolved'));
    socket.on('request:updated', (request) => this.events.left?.(request, 'updated'));
    socket.on('approvers:presence', ({ surfaces }) => this.events.presence?.({ ...surfaces }));
    socket.on('grants:changed', ({ grants }) => this.events.grants?.(grants));
    socket.on('policy:changed', (status) => this.events.policy?.(status));
  }

  /** Resolves once connected, or rejects with the status's words when refused, distrusted or after `timeoutMs`. */
  whenConnected(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.current.state === 'connected') return finish(resolve);
        if (this.current.state === 'rejected' || this.current.state === 'impostor') return finish(() => reject(new Error(this.current.detail)));
        this.waiters.push(check);
      };
      const timer = setTimeout(() => finish(() => reject(new Error(this.current.state === 'connecting' ? `No answer from ${this.options.url}.` : this.current.detail))), timeoutMs);
      const finish = (then: () => void) => {
        clearTimeout(timer);
        then();
      };
      check();
    });
  }

  /** Sends a decision; never throws. */
  async respond(id: string, response: AnyResponse): Promise<RespondOutcome> {
    const socket = this.socket;
    if (!socket?.connected || !this.connected) return { ok: false, reason: 'offline', message: NOT_SENT_OFFLINE };
    let result: Result<Decision>;
    try {
      result = await socket.timeout(this.ackTimeoutMs).emitWithAck('request:respond', { id, response });
    } catch {
      return socket.connected ? { ok: false, reason: 'no-answer', message: NOT_SENT_NO_ANSWER } : { ok: false, reason: 'offline', message: NOT_SENT_OFFLINE };
    }
    return result.ok ? { ok: true, decision: result.data } : { ok: false, reason: 'refused', message: notSentMessage(result.error), error: result.error };
  }

  /** One page of requests, newest first. */
  list(query: ListRequestsQuery & { status?: RequestStatus }): Promise<RequestPage> {
    return this.call('request:list', query);
  }

  /** Every request of a status, page by page. */
  async listAll(status: RequestStatus): Promise<SignoffRequest[]> {
    const all: SignoffRequest[] = [];
    for (let page = await this.list({ status, limit: PAGE_SIZE }); ; page = await this.list({ status, limit: PAGE_SIZE, before: all.at(-1)!.id })) {
      all.push(...page.requests);
      if (!page.more || page.requests.length === 0) return all;
    }
  }

  get(id: string): Promise<SignoffRequest> {
    return this.call('request:get', { id });
  }

  stats(): Promise<HubStats> {
    return this.call('stats:get', {});
  }

  runs(limit?: number): Promise<{ runs: RunSummary[] }> {
    return this.call('runs:list', limit === undefined ? {} : { limit });
  }

  run(runId: string): Promise<RunDetail> {
    return this.call('runs:get', { runId });
  }

  devices(): Promise<{ devices: DeviceInfo[]; self: string | null }> {
    return this.call('devices:list', {});
  }

  /** Revokes a device (this one too: unpairing). */
  revoke(id: string): Promise<{ revoked: boolean }> {
    return this.call('devices:revoke', { id });
  }

  /** The hub's "always allow" grants, newest first. */
  async listGrants(): Promise<Grant[]> {
    return (await this.call('grants:list', {})).grants;
  }

  /** Revokes a grant at once; `revoked: false` when the hub had no such grant (revoked or expired already). */
  revokeGrant(id: string): Promise<{ revoked: boolean }> {
    return this.call('grants:revoke', { id });
  }

  /** The policy file the hub runs on: rules, guardrails, and the error while the file on disk is invalid. */
  policyStatus(): Promise<PolicyStatus> {
    return this.call('policy:status', {});
  }

  /** One page of the hub's decision export (`audit:page`); see `exportFromPages` for the whole file. */
  auditPage(query: AuditPageQuery): Promise<AuditPage> {
    return this.call('audit:page', query);
  }

  /** A one-time pairing code for another device (a phone), with its link when the hub has a public URL. */
  createPairing(): Promise<PairingCreated> {
    return this.call('pairing:create', {});
  }

  /** The hub's VAPID public key for Web Push, and whether it sends pushes now (it knows its public URL). */
  pushKey(): Promise<PushKey> {
    return this.call('push:key', {});
  }

  /** Registers this device's push subscription (what `PushSubscription.toJSON()` gives). */
  pushSubscribe(subscription: PushSubscriptionInput): Promise<PushSubscribed> {
    return this.call('push:subscribe', { subscription });
  }

  /** Forgets one of this device's push subscriptions. */
  pushUnsubscribe(endpoint: string): Promise<{ removed: boolean }> {
    return this.call('push:unsubscribe', { endpoint });
  }

  /**
   * Unpairs: revokes this connection's own device at the hub, then closes the connection.
   * The hub cuts a device's sockets as it revokes it, which can beat the ack; so when the
   * ack is lost, the device counts as revoked if the hub refuses it on the reconnect that
   * follows (within `timeoutMs`). Rejects, leaving the connection as it is, when the hub
   * could not be asked (offline, no answer) or this is a token connection.
   */
  async revokeSelf(timeoutMs = 5000): Promise<{ revoked: boolean }> {
    const { self } = await this.devices();
    if (!self) throw new Error('This connection authenticated with a token, not a device: there is no device to unpair.');
    let outcome: { revoked: boolean };
    try {
      outcome = await this.revoke(self);
    } catch (error) {
      await this.whenConnected(timeoutMs).catch(() => undefined);
      if (this.current.state !== 'rejected') throw error;
      outcome = { revoked: true };
    }
    this.close();
    return outcome;
  }

  /** Closes the connection for good. */
  close(): void {
    this.closed = true;
    this.clearChallengeTimer();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.socket?.close();
    this.socket = null;
    this.waiters = [];
  }

  /** A call answered by a {@link Result}: resolves with its data, rejects with an Error whose message is the hub's. */
  private async call<E extends Exclude<keyof ApproverToHub, 'auth:prove' | 'request:respond'>>(
    event: E,
    payload: Parameters<ApproverToHub[E]>[0],
  ): Promise<AckData<E>> {
    const socket = this.socket;
    // Not `this.connected`: the snapshot's paging runs in the instant before the proof's ack lands; the hub refuses unproven calls anyway.
    if (!socket?.connected) throw new Error(`The hub is not reachable at ${this.options.url}.`);
    const timed = socket.timeout(this.ackTimeoutMs);
    const emit = timed.emitWithAck as (this: typeof timed, event: E, payload: unknown) => Promise<Result<AckData<E>>>;
    const result = await emit.call(timed, event, payload);
    if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code });
    return result.data;
  }

  private async onChallenge(socket: ApproverSocket, challenge: unknown): Promise<void> {
    this.clearChallengeTimer();
    let proof;
    try {
      proof = await this.options.credential.answer(challenge as never, { clientNonce: this.clientNonce, dialedHost: this.dialedHost });
    } catch (error) {
      this.distrust(socket, error instanceof HubIdentityError ? error.message : 'its challenge could not be checked');
      return;
    }
    let result: Result<{ device: DeviceInfo }>;
    try {
      result = await socket.timeout(this.ackTimeoutMs).emitWithAck('auth:prove', proof);
    } catch {
      return; // disconnected meanwhile: the next connect starts over
    }
    if (result.ok) this.setStatus('connected', `Connected to ${this.options.url}`);
    else this.setStatus('rejected', this.rejectedDetail());
  }

  /** Something else holds the address: send it nothing more, say so, and look again later. */
  private distrust(socket: ApproverSocket, _why: string): void {
    this.setStatus('impostor', impostorMessage(this.options.url));
    socket.disconnect();
    this.retryLater(IMPOSTOR_RETRY_MS);
  }

  private retryLater(ms: number): void {
    if (this.retryTimer || this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.closed || !this.socket || this.socket.connected) return;
      this.setStatus('connecting', `Connecting to ${this.options.url}…`);
      this.socket.connect();
    }, ms);
  }

  /** Hands over the first page at once, then fetches the rest page by page. */
  private async onSnapshot(socket: ApproverSocket, snapshot: { requests: SignoffRequest[]; more: boolean; total: number }): Promise<void> {
    const generation = this.generation;
    this.events.pending?.(snapshot.requests, { total: snapshot.total, complete: !snapshot.more });
    if (!snapshot.more || snapshot.requests.length === 0) return;
    const all = [...snapshot.requests];
    try {
      for (let more = true; more; ) {
        const page = await this.list({ status: 'pending', limit: PAGE_SIZE, before: all.at(-1)!.id });
        if (generation !== this.generation || socket !== this.socket) return;
        all.push(...page.requests);
        more = page.more && page.requests.length > 0;
      }
    } catch {
      return; // offline again: the next connect brings a new snapshot
    }
    this.events.pending?.(all, { total: Math.max(snapshot.total, all.length), complete: true });
  }

  private clearChallengeTimer(): void {
    if (this.challengeTimer) clearTimeout(this.challengeTimer);
    this.challengeTimer = null;
  }

  private offlineDetail(): string {
    return `Hub not reachable at ${this.options.url}: start it with \`npm start\` or \`npx signoff hub\`.`;
  }

  private rejectedDetail(): string {
    return 'The hub refused this device (revoked, or paired with another hub): pair again with a new code from `npx signoff pair`.';
  }

  private setStatus(state: ApproverConnectionState, detail: string): void {
    if (this.closed) return;
    this.current = { state, detail };
    this.events.status?.(this.current);
    for (const wake of this.waiters.splice(0)) wake();
  }
}

type AckData<E extends keyof ApproverToHub> = Parameters<ApproverToHub[E]>[1] extends (result: Result<infer T>) => void ? T : never;
