import { io, type Socket } from 'socket.io-client';
import {
  ErrorCode,
  SignoffError,
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
import { gateStep, type ApprovalGateOptions } from './approval-gate.js';
import { connectProblem } from './connect-problem.js';
import { defaultAgentToken, defaultHubUrl } from './environment.js';

export { AlternativeChosenError, ApprovedActionMismatchError, InvalidEditedArgsError, NotApprovedError, type ApprovalGateOptions, type StandardSchemaLike } from './approval-gate.js';

export interface ConnectOptions {
  /** Names this agent to people; idempotency keys are scoped by it. */
  agentId: string;
  /** @default SIGNOFF_URL, else http://127.0.0.1:7475 (or SIGNOFF_PORT) */
  url?: string;
  /** @default SIGNOFF_TOKEN, else `<SIGNOFF_HOME or ~/.signoff>/agent.token` */
  token?: string;
  /** Attached to every request unless one names its own. */
  runId?: string;
  /** How long one emit waits for the hub's ack before it is sent again. @default 10000 */
  ackTimeoutMs?: number;
  /**
   * How long one call (`submit`, `get`, `cancel`, feedback…) may take in all,
   * waiting for reconnects included, before it fails with `unavailable`. It
   * bounds talking to the hub, not the human: waiting for a decision lasts until
   * the request's own deadline. @default 30000
   */
  callTimeoutMs?: number;
  /** How long `connect` waits for the first connection. @default 10000 */
  connectTimeoutMs?: number;
  /** Aborting stops `connect` with the signal's reason. */
  signal?: AbortSignal;
}

export interface CallOptions {
  /** Aborting rejects the call at once with the signal's reason. */
  signal?: AbortSignal;
  /** Overrides the client's `callTimeoutMs` for this call. */
  callTimeoutMs?: number;
}

export interface WaitOptions extends CallOptions {
  /**
   * Aborting cancels the request at the hub and rejects with the signal's reason,
   * also while the request is still being created.
   */
  signal?: AbortSignal;
}

type AgentSocket = Socket<HubToAgent, AgentToHub>;
type Waiter = { resolve(d: Decision): void; reject(e: unknown): void };
type KindInput<K extends RequestKind> = InputOfKind<K>;
type AckData<E extends keyof AgentToHub> = Parameters<Parameters<AgentToHub[E]>[1]>[0] extends Result<infer T> ? T : never;

/** setTimeout fires at once for delays past 2^31-1 ms (about 24.8 days). */
const MAX_DELAY = 2 ** 31 - 1;
/** Backoff for reopening a socket the server refused, like socket.io's own reconnection. */
const REOPEN_MIN_MS = 250;
const REOPEN_MAX_MS = 5000;

const closedError = () => new SignoffError(ErrorCode.unavailable, 'the Signoff client was closed');

/** Plain words for a refused Socket.IO connection. */
function connectErrorText(url: string, error: Error & { data?: { code?: string } }): string {
  // A Socket.IO server without the /agent namespace: another program holds the port.
  if (error.message === 'Invalid namespace') return `something else is answering on ${url.replace(/^https?:\/\//, '')} — not a Signoff hub`;
  return connectProblem(url, error).reason;
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
 * Nothing waits forever: every call has a deadline (`callTimeoutMs`), a wait
 * ends with the request's own deadline, and `close()` rejects whatever is left.
 */
export class SignoffClient {
  private readonly waiters = new Map<string, Set<Waiter>>();
  /** Decisions that arrived before anyone waited on them (a race on a fast hub); bounded. */
  private readonly early = new Map<string, Decision>();
  /** Ids this connection already receives decisions for (created or watched on it). */
  private readonly attached = new Set<string>();
  /** When each request this client created or read expires at the hub; bounded. */
  private readonly expiries = new Map<string, number>();
  /** Calls in progress, each with a function that ends it with an error. */
  private readonly calls = new Set<(error: unknown) => void>();
  /** Wakes calls parked until the next connect (also on close). */
  private wake: { promise: Promise<void>; resolve(): void } | undefined;
  private reopenTimer: ReturnType<typeof setTimeout> | undefined;
  private reopenAttempts = 0;
  private lastConnectError: string | undefined;
  private closed = false;

  constructor(
    private readonly socket: AgentSocket,
    private readonly options: Required<Pick<ConnectOptions, 'agentId' | 'ackTimeoutMs' | 'callTimeoutMs' | 'url'>> & Pick<ConnectOptions, 'runId'>,
  ) {
    socket.on('request:decided', (decision) => this.deliver(decision));
    socket.on('disconnect', (reason) => {
      this.attached.clear();
      // The server ended the session: socket.io does not reconnect on its own then.
      if (reason === 'io server disconnect') this.reopen();
    });
    socket.on('connect_error', (error: Error & { data?: { code?: string } }) => {
      this.lastConnectError = connectErrorText(this.options.url, error);
      // A refusal from the server (another program's Socket.IO without /agent, or an
      // auth refusal) leaves the socket inactive for good unless it is opened again.
      if (!socket.active) this.reopen();
    });
    // Fires on every reconnect (the first connect happened before construction).
    socket.on('connect', () => {
      this.reopenAttempts = 0;
      this.lastConnectError = undefined;
      const wake = this.wake;
      this.wake = undefined;
      wake?.resolve();
      void this.rewatch();
    });
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
  notify(input: KindInput<'notify'>, options?: CallOptions): Promise<SignoffRequest> {
    return this.submit({ ...input, kind: 'notify' }, options);
  }

  /**
   * Creates a request of any kind and waits for its decision. Creating it is
   * bounded by `callTimeoutMs`; the wait, by the request's own deadline.
   */
  async ask(input: CreateRequestInput, options: WaitOptions = {}): Promise<Decision> {
    options.signal?.throwIfAborted();
    const request = await this.submit(input, options);
    return request.decision ?? this.waitFor(request.id, options);
  }

  /**
   * Creates a request without waiting for its decision. Retries until the hub
   * acknowledges (same idempotency key, so at most one request is made), for at
   * most `callTimeoutMs`; then rejects with `unavailable` (the error's `details`
   * carry the idempotency key, to try again without a second request). A request
   * the hub acknowledges after the call gave up (deadline or abort) is cancelled.
   */
  async submit(input: CreateRequestInput, options: CallOptions = {}): Promise<SignoffRequest> {
    const payload: CreateRequestInput = {
      agentId: this.options.agentId,
      ...(this.options.runId ? { runId: this.options.runId } : {}),
      ...input,
      idempotencyKey: input.idempotencyKey ?? crypto.randomUUID(),
    };
    const request = await this.call('request:create', payload, options, (late) => {
      // Nobody waits for it any more: take it off the person's queue.
      if (late.ok && late.data.status === 'pending' && !this.closed) void this.cancel(late.data.id).catch(() => {});
    });
    this.remember(request);
    if (request.status === 'pending') this.attached.add(request.id);
    return request;
  }

  /**
   * Waits for the decision on a request this agent created (also after a
   * reconnect or in another process). Ends by the request's deadline: if the hub
   * is still unreachable `callTimeoutMs` after it, rejects with `unavailable`.
   */
  waitFor(id: string, options: WaitOptions = {}): Promise<Decision> {
    const early = this.early.get(id);
    if (early) {
      this.early.delete(id);
      return Promise.resolve(early);
    }
    return new Promise<Decision>((resolve, reject) => {
      const { signal } = options;
      let deadline: ReturnType<typeof setTimeout> | undefined;
      const settle = () => {
        clearTimeout(deadline);
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        remove();
        settle();
        if (!this.closed) void this.cancel(id).catch(() => {});
        reject(signal!.reason);
      };
      const waiter: Waiter = {
        resolve: (d) => {
          settle();
          resolve(d);
        },
        reject: (e) => {
          settle();
          reject(e);
        },
      };
      const set = this.waiters.get(id) ?? new Set();
      this.waiters.set(id, set);
      set.add(waiter);
      const remove = () => {
        set.delete(waiter);
        if (set.size === 0 && this.waiters.get(id) === set) this.waiters.delete(id);
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      // Past the request's deadline the hub decides it (expired) at once, or on its
      // next start; if it stays unreachable, give up rather than wait forever.
      const check = (delay: number) => {
        deadline = setTimeout(() => {
          this.get(id).then(
            (request) => {
              if (request.decision) this.deliver(request.decision);
              else check(this.options.callTimeoutMs);
            },
            (error: unknown) => {
              if (!set.has(waiter)) return;
              remove();
              waiter.reject(
                new SignoffError(
                  ErrorCode.unavailable,
                  `request ${id} is past its deadline and the hub could not be asked for its decision: ${error instanceof Error ? error.message : String(error)}`,
                ),
              );
            },
          );
        }, Math.min(Math.max(delay, 0), MAX_DELAY));
      };
      const expiresAt = this.expiries.get(id);
      if (expiresAt !== undefined) check(expiresAt - Date.now() + this.options.callTimeoutMs);
      // Not created on this connection: attach now; a decision made earlier is pushed at once.
      if (!this.attached.has(id) && this.socket.connected) void this.rewatch([id]);
    });
  }

  /** Cancels a pending request this agent created. */
  cancel(id: string, options?: CallOptions): Promise<Decision> {
    return this.call('request:cancel', { id }, options);
  }

  async get(id: string, options?: CallOptions): Promise<SignoffRequest> {
    const request = await this.call('request:get', { id }, options);
    this.remember(request);
    return request;
  }

  recordFeedback(input: Omit<FeedbackInput, 'agentId'> & { agentId?: string }, options?: CallOptions): Promise<FeedbackRecord> {
    return this.call('feedback:record', { agentId: this.options.agentId, ...input }, options);
  }

  async feedbackHistory(query: FeedbackQuery = {}, options?: CallOptions): Promise<FeedbackRecord[]> {
    return (await this.call('feedback:list', { agentId: this.options.agentId, ...query }, options)).feedback;
  }

  /**
   * Gates `tool` behind a human approval described by `describe(...args)`; the
   * tool runs only on a plain approval:
   *
   * - approved: runs with the caller's arguments;
   * - approved with `editedArgs`: runs with the edited arguments (the edited keys
   *   replace those of the tool's one object argument, or `options.validate` maps
   *   them), checked by `options.schema` when given; arguments that do not fit
   *   throw {@link InvalidEditedArgsError} and the tool does not run;
   * - approved with an alternative: runs `options.onAlternative[id](args, decision)`
   *   instead, or throws {@link AlternativeChosenError} when there is no handler;
   * - rejected, blocked, expired or cancelled: throws {@link NotApprovedError}.
   */
  withApproval<Args extends unknown[], R>(
    tool: (...args: Args) => R | Promise<R>,
    describe: (...args: Args) => KindInput<'approval'>,
    options: ApprovalGateOptions<Args, R> & WaitOptions = {},
  ): (...args: Args) => Promise<R> {
    const { schema, validate, onAlternative, ...wait } = options;
    const gate = { ...(schema ? { schema } : {}), ...(validate ? { validate } : {}), ...(onAlternative ? { onAlternative } : {}) };
    return async (...args: Args) => {
      const input = describe(...args);
      const decision = await this.requestApproval(input, wait);
      const step = await gateStep<Args, R>(decision, args, gate, input);
      return step.run === 'alternative' ? step.handler(args, decision) : tool(...step.args);
    };
  }

  /** Disconnects; calls in progress (also those waiting for a reconnect) and waits reject with `unavailable`. */
  close(): void {
    this.closed = true;
    clearTimeout(this.reopenTimer);
    this.socket.close();
    const error = closedError();
    for (const end of [...this.calls]) end(error);
    for (const set of [...this.waiters.values()]) for (const w of [...set]) w.reject(error);
    this.waiters.clear();
    const wake = this.wake;
    this.wake = undefined;
    wake?.resolve();
  }

  private remember(request: SignoffRequest): void {
    if (request.status !== 'pending' || request.expiresAt === null) {
      this.expiries.delete(request.id);
      return;
    }
    this.expiries.set(request.id, request.expiresAt);
    if (this.expiries.size > 1000) this.expiries.delete(this.expiries.keys().next().value!);
  }

  private deliver(decision: Decision): void {
    this.attached.delete(decision.requestId);
    this.expiries.delete(decision.requestId);
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

  /** Opens the socket again after the server refused or ended it, with backoff. */
  private reopen(): void {
    if (this.closed || this.reopenTimer) return;
    const base = Math.min(REOPEN_MAX_MS, REOPEN_MIN_MS * 2 ** this.reopenAttempts++);
    const delay = base / 2 + Math.random() * (base / 2);
    this.reopenTimer = setTimeout(() => {
      this.reopenTimer = undefined;
      if (!this.closed && !this.socket.active) this.socket.connect();
    }, delay);
  }

  /** Resolves on the next connect, or when the client closes. */
  private nextConnect(): Promise<void> {
    if (!this.wake) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.wake = { promise, resolve };
    }
    return this.wake.promise;
  }

  /**
   * Emits with an ack timeout; while the hub is unreachable, waits for the
   * reconnect and tries again, so a restart of the hub is invisible to callers —
   * for at most `callTimeoutMs`, then rejects with `unavailable` (or `timeout`
   * when connected but unanswered). Refusals from the hub (bad input, not
   * found…) are thrown at once. `onLateAck` sees an ack that came after the
   * call had given up.
   */
  private call<E extends keyof AgentToHub>(
    event: E,
    payload: Parameters<AgentToHub[E]>[0],
    options: CallOptions = {},
    onLateAck?: (result: Result<AckData<E>>) => void,
  ): Promise<AckData<E>> {
    const { signal } = options;
    const timeoutMs = options.callTimeoutMs ?? this.options.callTimeoutMs;
    return new Promise<AckData<E>>((resolve, reject) => {
      if (this.closed) return reject(closedError());
      if (signal?.aborted) return reject(signal.reason);
      let done = false;
      let stopped!: () => void;
      const stoppedPromise = new Promise<void>((r) => (stopped = r));
      const end = (error: unknown, data?: AckData<E>) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.calls.delete(end);
        stopped();
        if (error === undefined) resolve(data as AckData<E>);
        else reject(error);
      };
      const onAbort = () => end(signal!.reason);
      const timer = setTimeout(() => end(this.deadlineError(event, timeoutMs, payload)), Math.min(timeoutMs, MAX_DELAY));
      signal?.addEventListener('abort', onAbort, { once: true });
      this.calls.add(end);
      void (async () => {
        while (!done) {
          if (!this.socket.connected) {
            await Promise.race([this.nextConnect(), stoppedPromise]);
            continue;
          }
          let result: Result<AckData<E>>;
          try {
            // The event maps type each event separately; one generic call path needs a widened view.
            const socket = this.socket.timeout(this.options.ackTimeoutMs) as unknown as {
              emitWithAck(event: string, payload: unknown): Promise<Result<AckData<E>>>;
            };
            result = await socket.emitWithAck(event, payload);
          } catch (error) {
            // Only "no answer" (hub down or restarting) is retried, after reconnecting.
            if (!isNoAnswer(error)) end(error);
            continue;
          }
          if (done) return onLateAck?.(result);
          try {
            end(undefined, unwrap(result));
          } catch (error) {
            end(error);
          }
        }
      })();
    });
  }

  private deadlineError(event: string, timeoutMs: number, payload: unknown): SignoffError {
    // A create that gave up may still have been made: its key lets the caller retry without a second one.
    const idempotencyKey = (payload as { idempotencyKey?: unknown }).idempotencyKey;
    const details = { event, timeoutMs, ...(typeof idempotencyKey === 'string' ? { idempotencyKey } : {}) };
    if (this.socket.connected) {
      return new SignoffError(ErrorCode.timeout, `the Signoff hub at ${this.options.url} did not answer ${event} within ${timeoutMs} ms`, details);
    }
    const why = this.lastConnectError ? ` (${this.lastConnectError})` : '';
    return new SignoffError(
      ErrorCode.unavailable,
      `the Signoff hub at ${this.options.url} was unreachable for ${timeoutMs} ms${why}; ${event} gave up. Start it with: npx signoff hub`,
      details,
    );
  }
}

/**
 * Connects to the hub's `/agent` namespace.
 * Rejects with `unauthorized` for a bad token and `unavailable` when no hub answers.
 */
export async function connect(options: ConnectOptions): Promise<SignoffClient> {
  const url = options.url ?? defaultHubUrl();
  const token = options.token ?? defaultAgentToken();
  const { signal } = options;
  signal?.throwIfAborted();
  const socket: AgentSocket = io(`${url.replace(/\/$/, '')}/agent`, {
    auth: { token },
    transports: ['websocket'],
    reconnectionDelay: REOPEN_MIN_MS,
    reconnectionDelayMax: REOPEN_MAX_MS,
    forceNew: true,
  });
  const timeoutMs = options.connectTimeoutMs ?? 10_000;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => finish(new SignoffError(ErrorCode.unavailable, `no Signoff hub answered at ${url} within ${timeoutMs} ms; start one with: npx signoff hub`)), timeoutMs);
    const finish = (error?: unknown) => {
      clearTimeout(timer);
      socket.off('connect', onConnect);
      socket.off('connect_error', onError);
      signal?.removeEventListener('abort', onAbort);
      if (!error) return resolve();
      socket.close();
      reject(error);
    };
    const onConnect = () => finish();
    const onAbort = () => finish(signal!.reason);
    const onError = (error: Error & { data?: { code?: string } }) => {
      // Auth refusals are final; a refused TCP connection means no hub is running.
      if (error.data?.code) return finish(new SignoffError(error.data.code as ErrorCode, error.message));
      const text = connectErrorText(url, error);
      // Through a proxy something may answer without being the hub: then "start one" would mislead.
      const noHub = error.message !== 'Invalid namespace' && connectProblem(url, error).noHub;
      finish(new SignoffError(ErrorCode.unavailable, noHub ? `no Signoff hub at ${url} (${text}); start one with: npx signoff hub` : `cannot reach the Signoff hub at ${url}: ${text}`));
    };
    socket.on('connect', onConnect);
    socket.on('connect_error', onError);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  return new SignoffClient(socket, {
    agentId: options.agentId,
    url,
    ackTimeoutMs: options.ackTimeoutMs ?? 10_000,
    callTimeoutMs: options.callTimeoutMs ?? 30_000,
    ...(options.runId ? { runId: options.runId } : {}),
  });
}
