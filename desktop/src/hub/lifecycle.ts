import { randomUUID } from 'node:crypto';
import {
  ErrorCode,
  RESPONSE_SCHEMAS,
  SignoffError,
  checkResponseFits,
  silentLogger,
  toError,
  validate,
  type CreateRequest,
  type Decision,
  type Logger,
  type Remember,
  type RequestReview,
  type SignoffRequest,
  type Via,
} from '@signoff/shared';
import { DEFAULT_AGENT_LIMITS, type AgentLimits } from './agent-limits.js';
import type { Identity as Actor } from './auth.js';
import type { Clock } from './clock.js';
import { DeadlineQueue } from './deadline-queue.js';
import type { Outcome, PolicyDesk, ReviewResult } from './policy-desk.js';
import { storedPayload, type RequestRecords, type RequestStore } from './request-store.js';
import type { ReviewRecords } from './review-store.js';
import { refuseOnTimeout, timeoutFor, timeoutOutcome } from './timeout-rules.js';

/** What the lifecycle tells the transports (and the agent limits) about. */
export interface LifecycleListener {
  created?(request: SignoffRequest, info: CreatedInfo): void;
  settled?(request: SignoffRequest, decision: Decision): void;
  /** A reviewer left a still-pending request to a person, with its verdict (`request.review`). */
  reviewed?(request: SignoffRequest): void;
  /** A grant was made or used (revocations are the operations' own). */
  grantsChanged?(): void;
}

/** Who made a new request and what it stores, for whoever counts what agents hold. */
export interface CreatedInfo {
  owner: string;
  /** Bytes of its stored JSON payload. */
  payloadBytes: number;
}

/** Says whether a new request may be stored (the agent limits); throws a `SignoffError` when not. */
export interface CreateGate {
  admitCreate(owner: string, agentId: string | undefined, payloadBytes: number, pending: boolean): void;
}

/** How many reviews may run at once (see `agent-limits.ts`). */
export type ReviewCaps = Pick<AgentLimits, 'reviewsRunning' | 'reviewsRunningPerAgentId'>;

export interface LifecycleOptions {
  /** @default DEFAULT_AGENT_LIMITS' `reviewsRunning` and `reviewsRunningPerAgentId` */
  reviewCaps?: ReviewCaps;
  /** Where failures nobody else hears of go (a verdict that could not be recorded). @default silentLogger */
  logger?: Logger;
}

/** Pending requests the lifecycle keeps in memory for decisions (a few MB at most). */
const RECENT_REQUESTS = 1000;

/** What the person reads on a request no reviewer looked at because the caps were reached. */
export const NOT_REVIEWED_BUSY = 'Not reviewed: too many reviews running. Decide it yourself.';

/** A review in the background: it is stopped when its request is settled. */
interface RunningReview {
  controller: AbortController;
  /** `owner\0agentId`, for {@link ReviewCaps.reviewsRunningPerAgentId}. */
  agentKey: string;
}

/**
 * The request lifecycle: `pending → resolved | expired | cancelled | blocked`.
 * Both transports (REST and Socket.IO) go through here, so every rule (ownership,
 * first decision wins, deadlines) holds the same way for both.
 */
export class Lifecycle {
  private readonly deadlines = new DeadlineQueue();
  private timer: unknown = null;
  private armedAt = Infinity;
  private readonly listeners = new Set<LifecycleListener>();
  private readonly waiters = new Map<string, Set<() => void>>();
  /**
   * The newest requests this hub created that are still pending, so a decision does not
   * read back (and parse) what the hub itself just wrote and still holds. Only a cache:
   * the store's `settle` decides whether a request is still pending, and anything not
   * found here is read from the store as before.
   */
  private readonly recent = new Map<string, SignoffRequest>();
  private readonly requests: RequestRecords;
  /** Where reviewers' verdicts are kept; none (unit tests): only in {@link recent}. */
  private readonly reviewRecords: ReviewRecords | undefined;
  /** Reviews running now, by request id; each is aborted when its request is settled or the hub stops. */
  private readonly runningReviews = new Map<string, RunningReview>();
  /** How many of {@link runningReviews} each `owner\0agentId` has. */
  private readonly reviewsPerAgent = new Map<string, number>();
  private stopped = false;
  private readonly reviewCaps: ReviewCaps;
  private readonly logger: Logger;

  constructor(
    store: Pick<RequestStore, 'requests'> & Partial<Pick<RequestStore, 'reviews'>>,
    private readonly clock: Clock,
    private readonly gate?: CreateGate,
    /** Rules, grants and guardrails; none: every request goes to a person, unguarded (unit tests). */
    private readonly desk?: PolicyDesk,
    options: LifecycleOptions = {},
  ) {
    this.requests = store.requests;
    this.reviewRecords = store.reviews;
    this.reviewCaps = options.reviewCaps ?? DEFAULT_AGENT_LIMITS;
    this.logger = options.logger ?? silentLogger;
  }

  /** How many reviews run now (hub-wide), for tests and stats. */
  get reviewsRunning(): number {
    return this.runningReviews.size;
  }

  /** Loads pending deadlines and settles those that passed while the hub was down. */
  start(): void {
    for (const d of this.requests.pendingDeadlines()) this.deadlines.push(d);
    this.expireDue();
  }

  stop(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.armedAt = Infinity;
    this.stopped = true;
    for (const { controller } of this.runningReviews.values()) controller.abort();
    for (const wake of [...this.waiters.values()].flatMap((set) => [...set])) wake();
  }

  subscribe(listener: LifecycleListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Creates a request, or returns the one already made with the same idempotency key (`created: false`). */
  /** `machine`: the name of the machine token that sent it (never from the payload). */
  create(owner: string, input: CreateRequest, machine?: string): { request: SignoffRequest; created: boolean } {
    const refusal = refuseOnTimeout(input);
    if (refusal) throw new SignoffError(ErrorCode.invalid, `onTimeout: ${refusal}`);
    // A retried create returns what the first one made, whatever the limits say now: it adds nothing.
    if (input.idempotencyKey !== undefined) {
      const existing = this.requests.findByIdempotencyKey(owner, input.agentId, input.idempotencyKey);
      if (existing) return { request: existing, created: false };
    }
    const now = this.clock.now();
    const isNotify = input.kind === 'notify';
    // Object.assign rather than `{ ...input, id, … }`: Node 20's V8 adds properties after a
    // spread on a slow path, ≈ 15 µs here, the dearest line of a create after the commit
    // (https://github.com/angular/angular-cli/pull/24164). Same keys, same order.
    const request = Object.assign({}, input, {
      id: randomUUID(),
      createdAt: now,
      expiresAt: isNotify ? null : now + timeoutFor(input),
      status: 'pending',
      onTimeout: input.onTimeout ?? 'expire',
    }) as SignoffRequest;
    if (machine !== undefined) request.machine = machine;
    const payload = storedPayload(request);
    const info: CreatedInfo = { owner, payloadBytes: Buffer.byteLength(payload) };
    this.gate?.admitCreate(owner, input.agentId, info.payloadBytes, !isNotify);
    // A notice is recorded as already settled; a rule or a grant may decide the rest at once.
    const decided = isNotify ? { outcome: { status: 'resolved', response: null, respondedBy: 'hub', via: 'hub' } as Outcome } : this.desk?.decideWithoutPerson(owner, request);
    if (decided) {
      // Stored settled in one commit and announced once; nothing waits. An approval still passes the guardrails.
      const outcome = this.desk ? this.desk.guard(request, decided.outcome) : decided.outcome;
      const decision = Object.assign({ requestId: request.id }, outcome, { respondedAt: now, waitMs: 0 }) as Decision;
      const settled = Object.assign({}, request, { status: decision.status, decision }) as SignoffRequest;
      const stored = this.requests.insert(settled, owner, payload, decision);
      if (!stored.created) return stored;
      if (decided.grant && decision.status === 'resolved') {
        this.desk!.grants.recordUse(decided.grant.id, now);
        for (const l of this.listeners) l.grantsChanged?.();
      }
      for (const l of this.listeners) l.created?.(settled, info);
      return { request: settled, created: true };
    }
    const result = this.requests.insert(request, owner, payload);
    if (!result.created) return result;
    this.remember(request);
    for (const l of this.listeners) l.created?.(request, info);
    this.schedule({ id: request.id, expiresAt: request.expiresAt! });
    // A rule or grant that would have approved it, past what the guardrails read unattended: approvers see why they decide.
    const unscanned = this.desk?.unscannedNote(request);
    if (unscanned) this.attachReview(request.id, unscanned);
    this.startReview(owner, request);
    return result;
  }

  /**
   * A `review` rule's reviewer looks at a new pending request in the background (up to
   * its timeout): a decisive verdict settles it like any decision (the first one wins,
   * so a person who answered meanwhile keeps their answer), otherwise the verdict is
   * attached for the person. Past {@link ReviewCaps} nothing runs or queues: the person
   * decides, told that no reviewer looked — so no agent can make the hub run reviewers
   * (processes, HTTP calls) without bound.
   */
  private startReview(owner: string, request: SignoffRequest): void {
    const reviewer = this.desk?.reviewerFor(request);
    if (!reviewer) return;
    const agentKey = `${owner}\0${request.agentId ?? ''}`;
    const agentRunning = this.reviewsPerAgent.get(agentKey) ?? 0;
    if (this.runningReviews.size >= this.reviewCaps.reviewsRunning || agentRunning >= this.reviewCaps.reviewsRunningPerAgentId) {
      this.attachReview(request.id, { reviewer, verdict: 'error', reasoning: NOT_REVIEWED_BUSY });
      return;
    }
    const running: RunningReview = { controller: new AbortController(), agentKey };
    this.runningReviews.set(request.id, running);
    this.reviewsPerAgent.set(agentKey, agentRunning + 1);
    void this.desk!.runReview(reviewer, request, running.controller.signal)
      .then((result) => this.reviewed(request, result))
      .catch((error: unknown) => this.reviewFailed(request.id, error))
      // Freed once the reviewer is done (a settled request's reviewer is killed at once), not at the abort.
      .finally(() => this.releaseReview(request.id, running));
  }

  private releaseReview(id: string, running: RunningReview): void {
    if (this.runningReviews.get(id) === running) this.runningReviews.delete(id);
    const left = (this.reviewsPerAgent.get(running.agentKey) ?? 1) - 1;
    if (left > 0) this.reviewsPerAgent.set(running.agentKey, left);
    else this.reviewsPerAgent.delete(running.agentKey);
  }

  private reviewed(request: SignoffRequest, { review, outcome }: ReviewResult): void {
    if (this.stopped) return;
    // The deadline is on the hub's clock and decides first: a verdict arriving after it
    // (before the deadline's timer ran) is too late, whatever it says.
    if (request.expiresAt !== null && this.clock.now() >= request.expiresAt) {
      this.expireDue();
      return;
    }
    // `settle` is null when the request was decided first: the reviewer's verdict is dropped.
    if (outcome) this.settle(request, this.desk!.guard(request, outcome));
    else this.attachReview(request.id, review);
  }

  /** The hub failed with a reviewer's verdict in hand (the store refused it): logged, and the person told. */
  private reviewFailed(id: string, error: unknown): void {
    // The request id only: the error is the store's, never what the agent asked.
    this.logger.error(`could not record the review of request ${id}: ${toError(error).message}`);
    try {
      this.attachReview(id, { reviewer: 'hub', verdict: 'error', reasoning: "The hub could not record the reviewer's verdict." });
    } catch (again) {
      this.logger.error(`could not show the failed review of request ${id}: ${toError(again).message}`);
    }
  }

  /** Keeps a reviewer's verdict on a still-pending request (in memory and the store) and shows it to the approvers. */
  private attachReview(id: string, review: RequestReview): void {
    if (this.stopped) return;
    const stored = this.recent.get(id) ?? this.requests.get(id);
    if (stored?.status !== 'pending' || this.requests.get(id)?.status !== 'pending') return;
    const { owner: _owner, ...request } = stored as SignoffRequest & { owner?: string };
    const reviewed = Object.assign({}, request, { review }) as SignoffRequest;
    try {
      this.reviewRecords?.put(id, review);
    } catch (error) {
      // Still shown while this hub runs (it is in `recent`); a restarted hub will not have it.
      this.logger.error(`could not record the review of request ${id}: ${toError(error).message}`);
    }
    this.remember(reviewed);
    for (const l of this.listeners) l.reviewed?.(reviewed);
  }

  /** A request the actor may see: approvers see all, an agent only its own. */
  get(actor: Actor, id: string): SignoffRequest {
    const request = this.find(actor, id);
    if (!request) throw new SignoffError(ErrorCode.notFound, `no request ${id}`);
    return request;
  }

  /** {@link get} without the refusal: `undefined` for a request that does not exist or is not the actor's to see. */
  find(actor: Actor, id: string): SignoffRequest | undefined {
    const stored = this.requests.get(id);
    if (!stored || (actor.role === 'agent' && stored.owner !== actor.principal)) return undefined;
    const { owner: _owner, ...request } = stored;
    // A reviewer's verdict is for the person deciding.
    const review = actor.role === 'approver' && stored.status === 'pending' ? (this.recent.get(id)?.review ?? this.reviewRecords?.get(id)) : undefined;
    return (review ? Object.assign(request, { review }) : request) as SignoffRequest;
  }

  /** Records a human's answer. The first decision wins; later ones get `conflict`. */
  respond(approver: string, id: string, response: unknown, via: Via): Decision {
    const request = this.recent.get(id) ?? this.get({ role: 'approver', principal: approver }, id);
    const parsed = validate(RESPONSE_SCHEMAS[request.kind], response);
    if (!parsed.ok) {
      throw new SignoffError(ErrorCode.invalid, prefixMessage('response', parsed.error.message), parsed.error.details);
    }
    const misfit = checkResponseFits(request, parsed.data);
    if (misfit) throw new SignoffError(ErrorCode.invalid, `response.${misfit.path}: ${misfit.message}`);
    const outcome: Outcome = { status: 'resolved', response: parsed.data, respondedBy: approver, via };
    const decision = this.settleOrConflict(request, this.desk ? this.desk.guard(request, outcome) : outcome);
    const remember = (parsed.data as { remember?: Remember }).remember;
    if (remember && this.desk && decision.status === 'resolved') this.rememberGrant(request, decision, remember);
    return decision;
  }

  /** "Always allow this", once the approval stood (a guardrail's block makes no grant). */
  private rememberGrant(request: SignoffRequest, decision: Decision, remember: Remember): void {
    const owner = this.requests.get(request.id)?.owner;
    if (owner === undefined) return;
    // Past the live-grant limit the approval stands and nothing is remembered; the person sees no grant in the list.
    if (this.desk!.remember(owner, request, decision, remember)) for (const l of this.listeners) l.grantsChanged?.();
  }

  /** Cancels a pending request on behalf of the agent that owns it. */
  cancel(owner: string, id: string): Decision {
    const request = this.get({ role: 'agent', principal: owner }, id);
    return this.settleOrConflict(request, {
      status: 'cancelled',
      response: null,
      respondedBy: 'agent',
      via: 'agent',
      reason: 'Cancelled by the agent that asked.',
    });
  }

  /** Resolves once `id` is settled, `ms` passes or `signal` aborts (for REST long-polls). */
  waitForSettle(id: string, ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const set = this.waiters.get(id) ?? new Set();
      this.waiters.set(id, set);
      const wake = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', wake);
        set.delete(wake);
        if (set.size === 0 && this.waiters.get(id) === set) this.waiters.delete(id);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      signal?.addEventListener('abort', wake, { once: true });
      set.add(wake);
    });
  }

  /** Settles every pending request whose deadline has passed. */
  expireDue(): void {
    const now = this.clock.now();
    for (let next = this.deadlines.peek(); next && next.expiresAt <= now; next = this.deadlines.peek()) {
      this.deadlines.pop();
      const stored = this.requests.get(next.id);
      if (stored?.status !== 'pending') continue;
      const { response, reason } = timeoutOutcome(stored);
      const outcome: Outcome = { status: 'expired', response, respondedBy: 'timeout', via: 'timeout', reason };
      this.settle(stored, this.desk ? this.desk.guard(stored, outcome) : outcome);
    }
    this.arm();
  }

  private settleOrConflict(request: SignoffRequest, outcome: Omit<Decision, 'requestId' | 'respondedAt' | 'waitMs'>): Decision {
    const decision = this.settle(request, outcome);
    if (decision) return decision;
    this.recent.delete(request.id); // settled elsewhere (another process on the file)
    const current = this.requests.get(request.id)!;
    const d = current.decision!;
    throw new SignoffError(
      ErrorCode.conflict,
      `request already ${d.status} by ${d.respondedBy} via ${d.via} at ${new Date(d.respondedAt).toISOString()}`,
      { status: d.status, respondedBy: d.respondedBy, via: d.via, respondedAt: d.respondedAt },
    );
  }

  /** Writes the decision if the request is still pending; `null` if it was not. */
  private record(request: SignoffRequest, outcome: Omit<Decision, 'requestId' | 'respondedAt' | 'waitMs'>): Decision | null {
    const now = this.clock.now();
    const decision: Decision = { requestId: request.id, ...outcome, respondedAt: now, waitMs: now - request.createdAt };
    return this.requests.settle(decision, request) ? decision : null;
  }

  /** Records the decision and tells the transports and long-polls about it. */
  private settle(request: SignoffRequest, outcome: Omit<Decision, 'requestId' | 'respondedAt' | 'waitMs'>): Decision | null {
    const decision = this.record(request, outcome);
    if (!decision) return null;
    this.recent.delete(request.id);
    // Its reviewer, if one still runs, has nothing left to decide: stop it (kills a command's process group).
    this.runningReviews.get(request.id)?.controller.abort();
    // Not a spread followed by a new key: see `create`.
    const settled = Object.assign({}, request, { status: decision.status, decision }) as SignoffRequest;
    for (const l of this.listeners) l.settled?.(settled, decision);
    for (const wake of [...(this.waiters.get(request.id) ?? [])]) wake();
    return decision;
  }

  /** Keeps a new pending request in {@link recent}, forgetting the oldest past {@link RECENT_REQUESTS}. */
  private remember(request: SignoffRequest): void {
    this.recent.set(request.id, request);
    if (this.recent.size > RECENT_REQUESTS) this.recent.delete(this.recent.keys().next().value!);
  }

  private schedule(deadline: { id: string; expiresAt: number }): void {
    this.deadlines.push(deadline);
    if (deadline.expiresAt < this.armedAt) this.arm();
  }

  /** Keeps exactly one timer, for the earliest deadline. */
  private arm(): void {
    const next = this.deadlines.peek();
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.armedAt = Infinity;
    if (!next) return;
    this.armedAt = next.expiresAt;
    // Timers beyond 2^31-1 ms fire at once; cap and re-arm instead.
    const delay = Math.min(Math.max(0, next.expiresAt - this.clock.now()), 2_147_000_000);
    this.timer = this.clock.setTimeout(() => this.expireDue(), delay);
  }
}

function prefixMessage(prefix: string, message: string): string {
  return message
    .split('; ')
    .map((part) => (part.startsWith('(root)') ? part.replace('(root)', prefix) : `${prefix}.${part}`))
    .join('; ');
}
