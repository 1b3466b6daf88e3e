import { io, type Socket } from 'socket.io-client';
import {
  ErrorCode,
  SignoffError,
  outcomeOf,
  type AgentToHub,
  type CreateRequestInput,
  type Decision,
  type FeedbackInput,
  type FeedbackQuery,
  type FeedbackRecord,
  type HubToAgent,
  type InputOfKind,
  type RequestKind,
  type Result,
  type SignoffRequest,
} from '../protocol/index.js';
import { defaultAgentToken, defaultHubUrl } from './environment.js';

export interface ConnectOptions {
  /** Names this agent to people; idempotency keys are scoped by it. */
  agentId: string;
  /** @default SIGNOFF_URL, else http://127.0.0.1:7475 (or SIGNOFF_PORT) */
  url?: string;
  /** @default SIGNOFF_TOKEN, else `<SIGNOFF_HOME or ~/.signoff>/agent.token` */
  token?: string;
  /** Attached to every request unless one names its own. */
  runId?: string;
  /** How long one call waits for the hub's ack before retrying. @default 10000 */
  ackTimeoutMs?: number;
  /** How long `connect` waits for the first connection. @default 10000 */
  connectTimeoutMs?: number;
}

export interface WaitOptions {
  /** Aborting cancels the request at the hub and rejects with the signal's reason. */
  signal?: AbortSignal;
}

type AgentSocket = Socket<HubToAgent, AgentToHub>;
type Waiter = { resolve(d: Decision): void; reject(e: unknown): void };
type KindInput<K extends RequestKind> = InputOfKind<K>;

/** Thrown by `withApproval` when the human (or a timeout) did not approve. */
export class NotApprovedError extends Error {
  override readonly name = 'NotApprovedError';
  constructor(readonly decision: Decision<'approval'>) {
    super(
      decision.status === 'resolved'
        ? `not approved${decision.response?.reason ? `: ${decision.response.reason}` : ''}`
        : (decision.reason ?? `request ${decision.status}`),
    );
  }
}

/**
 * socket.io-client rejects `timeout().emitWithAck` with these when no ack came in
 * time or the connection dropped first: the hub never answered, so retrying is safe.
 */
const NO_ANSWER = new Set(['operation has timed out', 'socket has been disconnected']);
const isNoAnswer = (error: unknown) => error instanceof Error && NO_ANSWER.has(error.message);

const unwrap = <T>(result: Result<T>): T => {
  if (result.ok) return result.data;
  throw new SignoffError(result.error.code, result.error.message, result.error.details);
};

/**
 * An agent's connection to the hub. Requests are created with an idempotency
 * key, so a create retried across a hub restart never makes a second request,
 * and every pending id is re-watched on reconnect, so no decision is lost.
 */
export class SignoffClient {
  private readonly waiters = new Map<string, Set<Waiter>>();
  /** Decisions that arrived before anyone waited on them (a race on a fast hub); bounded. */
  private readonly early = new Map<string, Decision>();
  /** Ids this connection already receives decisions for (created or watched on it). */
  private readonly attached = new Set<string>();
  private closed = false;

  constructor(
    private readonly socket: AgentSocket,
    private readonly options: Required<Pick<ConnectOptions, 'agentId' | 'ackTimeoutMs'>> & Pick<ConnectOptions, 'runId'>,
  ) {
    socket.on('request:decided', (decision) => this.deliver(decision));
    socket.on('disconnect', () => this.attached.clear());
    // Fires on every reconnect (the first connect happened before construction).
    socket.on('connect', () => void this.rewatch());
  }

  get agentId(): string {
    return this.options.agentId;
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  requestApproval(input: KindInput<'approval'>, options?: WaitOptions): Promise<Decision<'approval'>> {
    return this.ask({ ...input, kind: 'approval' }, options) as Promise<Decision<'approval'>>;
  }

  requestClarification(input: KindInput<'clarification'>, options?: WaitOptions): Promise<Decision<'clarification'>> {
    return this.ask({ ...input, kind: 'clarification' }, options) as Promise<Decision<'clarification'>>;
  }

  requestEdit(input: KindInput<'edit'>, options?: WaitOptions): Promise<Decision<'edit'>> {
    return this.ask({ ...input, kind: 'edit' }, options) as Promise<Decision<'edit'>>;
  }

  escalate(input: KindInput<'escalation'>, options?: WaitOptions): Promise<Decision<'escalation'>> {
    return this.ask({ ...input, kind: 'escalation' }, options) as Promise<Decision<'escalation'>>;
  }

  checkpoint(input: KindInput<'checkpoint'>, options?: WaitOptions): Promise<Decision<'checkpoint'>> {
    return this.ask({ ...input, kind: 'checkpoint' }, options) as Promise<Decision<'checkpoint'>>;
  }

  requestExternal(input: KindInput<'external'>, options?: WaitOptions): Promise<Decision<'external'>> {
    return this.ask({ ...input, kind: 'external' }, options) as Promise<Decision<'external'>>;
  }

  /** Records an audit entry people see; nothing waits. */
  notify(input: KindInput<'notify'>): Promise<SignoffRequest> {
    return this.submit({ ...input, kind: 'notify' });
  }

  /** Creates a request of any kind and waits for its decision. */
  async ask(input: CreateRequestInput, options: WaitOptions = {}): Promise<Decision> {
    options.signal?.throwIfAborted();
    const request = await this.submit(input);
    return request.decision ?? this.waitFor(request.id, options);
  }

  /**
   * Creates a request without waiting for its decision. Retries until the hub
   * acknowledges (same idempotency key, so at most one request is made).
   */
  async submit(input: CreateRequestInput): Promise<SignoffRequest> {
    const payload: CreateRequestInput = {
      agentId: this.options.agentId,
      ...(this.options.runId ? { runId: this.options.runId } : {}),
      ...input,
      idempotencyKey: input.idempotencyKey ?? crypto.randomUUID(),
    };
    const request = await this.call('request:create', payload);
    if (request.status === 'pending') this.attached.add(request.id);
    return request;
  }

  /** Waits for the decision on a request this agent created (also after a reconnect or in another process). */
  waitFor(id: string, options: WaitOptions = {}): Promise<Decision> {
    const early = this.early.get(id);
    if (early) {
      this.early.delete(id);
      return Promise.resolve(early);
    }
    return new Promise<Decision>((resolve, reject) => {
      const { signal } = options;
      const onAbort = () => {
        remove();
        void this.cancel(id).catch(() => {});
        reject(signal!.reason);
      };
      const waiter: Waiter = {
        resolve: (d) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(d);
        },
        reject: (e) => {
          signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
      };
      const set = this.waiters.get(id) ?? new Set();
      this.waiters.set(id, set);
      set.add(waiter);
      const remove = () => {
        set.delete(waiter);
        if (set.size === 0) this.waiters.delete(id);
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      // Not created on this connection: attach now; a decision made earlier is pushed at once.
      if (!this.attached.has(id) && this.socket.connected) void this.rewatch([id]);
    });
  }

  /** Cancels a pending request this agent created. */
  cancel(id: string): Promise<Decision> {
    return this.call('request:cancel', { id });
  }

  get(id: string): Promise<SignoffRequest> {
    return this.call('request:get', { id });
  }

  recordFeedback(input: Omit<FeedbackInput, 'agentId'> & { agentId?: string }): Promise<FeedbackRecord> {
    return this.call('feedback:record', { agentId: this.options.agentId, ...input });
  }

  async feedbackHistory(query: FeedbackQuery = {}): Promise<FeedbackRecord[]> {
    return (await this.call('feedback:list', { agentId: this.options.agentId, ...query })).feedback;
  }

  /**
   * Gates `tool` behind a human approval described by `describe(...args)`.
   * Runs the tool only if approved; when the approver edited the arguments and
   * the tool takes one object argument, they are merged into it. Otherwise throws
   * {@link NotApprovedError} carrying the decision.
   */
  withApproval<Args extends unknown[], R>(
    tool: (...args: Args) => R | Promise<R>,
    describe: (...args: Args) => KindInput<'approval'>,
  ): (...args: Args) => Promise<R> {
    return async (...args: Args) => {
      const decision = await this.requestApproval(describe(...args));
      if (outcomeOf(decision) !== 'approved') throw new NotApprovedError(decision);
      const edited = decision.response?.editedArgs;
      const first = args[0];
      if (edited && args.length === 1 && first && typeof first === 'object' && !Array.isArray(first)) {
        return tool(...([{ ...first, ...edited }] as unknown as Args));
      }
      return tool(...args);
    };
  }

  /** Disconnects; calls still waiting reject with `unavailable`. */
  close(): void {
    this.closed = true;
    this.socket.close();
    const error = new SignoffError(ErrorCode.unavailable, 'the Signoff client was closed');
    for (const set of this.waiters.values()) for (const w of set) w.reject(error);
    this.waiters.clear();
  }

  private deliver(decision: Decision): void {
    this.attached.delete(decision.requestId);
    const set = this.waiters.get(decision.requestId);
    if (!set) {
      this.early.set(decision.requestId, decision);
      if (this.early.size > 1000) this.early.delete(this.early.keys().next().value!);
      return;
    }
    this.waiters.delete(decision.requestId);
    for (const w of set) w.resolve(decision);
  }

  /** Re-attaches to pending requests after a reconnect; decided ones arrive as `request:decided`. */
  private async rewatch(ids = [...this.waiters.keys()]): Promise<void> {
    if (ids.length === 0) return;
    try {
      const { watching, unknown } = await this.call('request:watch', { ids });
      for (const id of watching) this.attached.add(id);
      const error = (id: string) => new SignoffError(ErrorCode.notFound, `the hub has no request ${id} of this agent`);
      for (const id of unknown) {
        for (const w of this.waiters.get(id) ?? []) w.reject(error(id));
        this.waiters.delete(id);
      }
    } catch {
      // The next reconnect tries again.
    }
  }

  /**
   * Emits with an ack timeout; while the hub is unreachable, waits for the
   * reconnect and tries again, so a restart of the hub is invisible to callers.
   * Refusals from the hub (bad input, not found…) are thrown at once.
   */
  private async call<E extends keyof AgentToHub>(
    event: E,
    payload: Parameters<AgentToHub[E]>[0],
  ): Promise<Parameters<Parameters<AgentToHub[E]>[1]>[0] extends Result<infer T> ? T : never> {
    for (;;) {
      if (this.closed) throw new SignoffError(ErrorCode.unavailable, 'the Signoff client was closed');
      if (!this.socket.connected) await this.reconnected();
      try {
        // The event maps type each event separately; one generic call path needs a widened view.
        const socket = this.socket.timeout(this.options.ackTimeoutMs) as unknown as {
          emitWithAck(event: string, payload: unknown): Promise<Result<unknown>>;
        };
        const result = await socket.emitWithAck(event, payload);
        return unwrap(result) as never;
      } catch (error) {
        // Only "no answer" (hub down or restarting) is retried, after reconnecting.
        if (!isNoAnswer(error)) throw error;
      }
    }
  }

  private reconnected(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new SignoffError(ErrorCode.unavailable, 'the Signoff client was closed'));
      this.socket.once('connect', () => resolve());
    });
  }
}

/**
 * Connects to the hub's `/agent` namespace.
 * Rejects with `unauthorized` for a bad token and `unavailable` when no hub answers.
 */
export async function connect(options: ConnectOptions): Promise<SignoffClient> {
  const url = options.url ?? defaultHubUrl();
  const token = options.token ?? defaultAgentToken();
  const socket: AgentSocket = io(`${url.replace(/\/$/, '')}/agent`, {
    auth: { token },
    transports: ['websocket'],
    reconnectionDelay: 250,
    reconnectionDelayMax: 5000,
  });
  const timeoutMs = options.connectTimeoutMs ?? 10_000;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => finish(new SignoffError(ErrorCode.unavailable, `no Signoff hub answered at ${url} within ${timeoutMs} ms; start one with: npx signoff hub`)), timeoutMs);
    const finish = (error?: SignoffError) => {
      clearTimeout(timer);
      socket.off('connect', onConnect);
      socket.off('connect_error', onError);
      if (!error) return resolve();
      socket.close();
      reject(error);
    };
    const onConnect = () => finish();
    const onError = (error: Error & { data?: { code?: string } }) => {
      // Auth refusals are final; a refused TCP connection means no hub is running.
      if (error.data?.code) return finish(new SignoffError(error.data.code as ErrorCode, error.message));
      finish(new SignoffError(ErrorCode.unavailable, `no Signoff hub at ${url} (${error.message}); start one with: npx signoff hub`));
    };
    socket.on('connect', onConnect);
    socket.on('connect_error', onError);
  });
  return new SignoffClient(socket, {
    agentId: options.agentId,
    ackTimeoutMs: options.ackTimeoutMs ?? 10_000,
    ...(options.runId ? { runId: options.runId } : {}),
  });
}
