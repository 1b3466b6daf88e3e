import {
  AUDIT_PAGE_MAX_BYTES,
  AuditPageQuerySchema,
  CreateRequestSchema,
  ErrorCode,
  ExportFormat,
  FeedbackInputSchema,
  FeedbackQuerySchema,
  IdSchema,
  ListRequestsQuerySchema,
  SignoffError,
  WatchSchema,
  exportText,
  validate,
  type AuditPage,
  type Decision,
  type DeviceInfo,
  type Grant,
  type PolicyStatus,
  type RequestPage,
  type FeedbackRecord,
  type HubStats,
  type Role,
  type RunDetail,
  type RunSummary,
  type SignoffRequest,
  type Via,
} from '@signoff/shared';
import { z } from 'zod';
import type { AgentLimiter } from './agent-limits.js';
import type { Identity } from './auth.js';
import { parseTimeBound } from './audit-export.js';
import type { Clock } from './clock.js';
import type { Lifecycle } from './lifecycle.js';
import type { PolicyDesk } from './policy-desk.js';
import type { RequestStore } from './request-store.js';
import { withReviews } from './review-store.js';

const RunsQuerySchema = z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(50) });
// Built once: zod compiles an object schema on its first parse, so a schema made
// per call paid that compile on every `respond` (≈ 5% of the hub's CPU in the bench).
const RespondSchema = z.strictObject({ id: IdSchema.shape.id, response: z.unknown() });
const AuditQuerySchema = z.strictObject({
  since: z.string().max(100).optional(),
  until: z.string().max(100).optional(),
  format: z.enum([ExportFormat.jsonl, ExportFormat.csv]).default(ExportFormat.jsonl),
});

/**
 * Stored JSON per page of requests (`request:list`, `GET /requests`, the approver snapshot):
 * well under what one Socket.IO message or JSON string can carry.
 */
export const MAX_PAGE_BYTES = 4 * 1024 * 1024;

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = validate(schema, input);
  if (!result.ok) throw new SignoffError(result.error.code, result.error.message, result.error.details);
  return result.data;
}

function requireRole(identity: Identity, ...roles: Role[]): void {
  if (!roles.includes(identity.role)) {
    throw new SignoffError(ErrorCode.forbidden, `this needs the ${roles.join(' or ')} role; you are ${identity.role === 'agent' ? 'an agent' : 'an approver'}`);
  }
}

/** The requests one connection already waits on (`request:watch`). */
export interface Watches {
  readonly size: number;
  has(requestId: string): boolean;
}

/** What `request:watch` found, in the order asked: ids to wait on, decisions to send now, ids it may not see. */
export interface WatchPlan {
  watching: string[];
  decided: Decision[];
  unknown: string[];
}

/**
 * Every hub operation, with its validation and role rule, shared by the REST
 * routes and the Socket.IO handlers so the two transports cannot drift.
 * Each throws a {@link SignoffError} on refusal.
 */
export class Operations {
  private readonly revokedListeners = new Set<(deviceId: string) => void>();
  private readonly grantListeners = new Set<() => void>();

  constructor(
    private readonly lifecycle: Lifecycle,
    private readonly store: Pick<RequestStore, 'requests' | 'analytics' | 'feedback' | 'devices' | 'audit'> & Partial<Pick<RequestStore, 'reviews'>>,
    private readonly clock: Clock,
    /** Bounds what agents may add; none: unbounded (unit tests). */
    private readonly limiter?: AgentLimiter,
    /** Rules, grants and guardrails; none: no grants to list (unit tests). */
    private readonly desk?: PolicyDesk,
  ) {}

  createRequest(identity: Identity, payload: unknown): { request: SignoffRequest; created: boolean } {
    requireRole(identity, 'agent');
    return this.lifecycle.create(identity.principal, parse(CreateRequestSchema, payload), identity.machine);
  }

  getRequest(identity: Identity, payload: unknown): SignoffRequest {
    const { id } = parse(IdSchema, payload);
    return this.lifecycle.get(identity, id);
  }

  cancelRequest(identity: Identity, payload: unknown): Decision {
    requireRole(identity, 'agent');
    const { id } = parse(IdSchema, payload);
    return this.lifecycle.cancel(identity.principal, id);
  }

  /**
   * Sorts the requests an agent asks to wait on: its own pending ones (to watch), its
   * own settled ones (their decisions, to send at once), and the rest, which it may not
   * see or which do not exist (unknown). Writes nothing: reconnecting agents re-watch
   * often. Refuses when the connection would watch more than the agent limits allow.
   */
  watchRequests(identity: Identity, payload: unknown, watches: Watches): WatchPlan {
    requireRole(identity, 'agent');
    const ids = new Set(parse(WatchSchema, payload).ids);
    let adding = 0;
    for (const id of ids) if (!watches.has(id)) adding += 1;
    this.limiter?.admitWatches(watches.size, adding);
    const plan: WatchPlan = { watching: [], decided: [], unknown: [] };
    for (const id of ids) {
      const request = this.lifecycle.find(identity, id);
      if (!request) plan.unknown.push(id);
      else if (request.decision) plan.decided.push(request.decision);
      else plan.watching.push(id);
    }
    return plan;
  }

  listRequests(identity: Identity, query: unknown): RequestPage {
    requireRole(identity, 'approver');
    return withReviews(this.store.requests.page(parse(ListRequestsQuerySchema, query ?? {}), MAX_PAGE_BYTES), this.store.reviews, MAX_PAGE_BYTES);
  }

  respond(identity: Identity, payload: unknown, via: Via): Decision {
    requireRole(identity, 'approver');
    this.requireActiveDevice(identity);
    const { id, response } = parse(RespondSchema, payload);
    return this.lifecycle.respond(identity.principal, id, response, via);
  }

  listDevices(identity: Identity): { devices: DeviceInfo[]; self: string | null } {
    requireRole(identity, 'approver');
    return { devices: this.store.devices.list(), self: identity.deviceId ?? null };
  }

  /** Revokes a device; its open connections are closed by whoever listens to {@link onDeviceRevoked}. */
  revokeDevice(identity: Identity, payload: unknown): { revoked: boolean } {
    requireRole(identity, 'approver');
    this.requireActiveDevice(identity);
    const { id } = parse(IdSchema, payload);
    const revoked = this.store.devices.revoke(id, this.clock.now());
    if (revoked) for (const listener of this.revokedListeners) listener(id);
    return { revoked };
  }

  /** Remembered "always allow" grants, newest first. */
  listGrants(identity: Identity): { grants: Grant[] } {
    requireRole(identity, 'approver');
    return { grants: this.desk?.listGrants() ?? [] };
  }

  /** Revokes a grant at once; whoever listens to {@link onGrantsChanged} tells the approvers. */
  revokeGrant(identity: Identity, payload: unknown): { revoked: boolean } {
    requireRole(identity, 'approver');
    this.requireActiveDevice(identity);
    const { id } = parse(IdSchema, payload);
    const revoked = this.desk?.grants.revoke(id, this.clock.now()) ?? false;
    if (revoked) for (const listener of this.grantListeners) listener();
    return { revoked };
  }

  /** Calls `listener` after a grant is revoked here. Returns an unsubscribe. */
  onGrantsChanged(listener: () => void): () => void {
    this.grantListeners.add(listener);
    return () => this.grantListeners.delete(listener);
  }

  /** The policy file the hub runs on. */
  policyStatus(identity: Identity): PolicyStatus {
    requireRole(identity, 'approver');
    if (!this.desk) throw new SignoffError(ErrorCode.unavailable, 'this hub runs without a policy');
    return this.desk.status();
  }

  /** Calls `listener` with the id of every device revoked through the hub. Returns an unsubscribe. */
  onDeviceRevoked(listener: (deviceId: string) => void): () => void {
    this.revokedListeners.add(listener);
    return () => this.revokedListeners.delete(listener);
  }

  /** A connection opened before its device was revoked keeps no power: every decision checks again. */
  private requireActiveDevice(identity: Identity): void {
    if (identity.deviceId !== undefined && !this.store.devices.isActive(identity.deviceId)) {
      throw new SignoffError(ErrorCode.unauthorized, 'this device was revoked; pair it again');
    }
  }

  stats(identity: Identity): HubStats {
    requireRole(identity, 'approver');
    return this.store.analytics.stats(this.clock.now());
  }

  /**
   * Feedback belongs to a machine: an agent's to its own (this machine's for the local token),
   * a person's to the machine of the request it is about (this machine's without one).
   */
  recordFeedback(identity: Identity, payload: unknown): FeedbackRecord {
    const input = parse(FeedbackInputSchema, payload);
    const machine = identity.role === 'agent' ? (identity.machine ?? null) : this.machineOfRequest(input.requestId);
    if (identity.role === 'agent') this.limiter?.admitFeedback(identity.principal, input.agentId, () => this.store.feedback.count(input.agentId, machine));
    const recordedBy = identity.role === 'agent' ? input.agentId : identity.principal;
    return this.store.feedback.add(input, recordedBy, machine, this.clock.now());
  }

  /** Agents read their own machine's feedback only; approvers read every machine's. */
  listFeedback(identity: Identity, query: unknown): { feedback: FeedbackRecord[] } {
    const machine = identity.role === 'agent' ? (identity.machine ?? null) : undefined;
    return { feedback: this.store.feedback.list(parse(FeedbackQuerySchema, query ?? {}), machine) };
  }

  private machineOfRequest(requestId: string | undefined): string | null {
    return (requestId === undefined ? undefined : this.store.requests.get(requestId)?.machine) ?? null;
  }

  listRuns(identity: Identity, query: unknown): { runs: RunSummary[] } {
    requireRole(identity, 'approver');
    return { runs: this.store.analytics.listRuns(parse(RunsQuerySchema, query ?? {}).limit, this.clock.now()) };
  }

  /**
   * `GET /audit`: every decision settled in [since, until) as `signoff export` writes it,
   * as text chunks read from the store a page at a time while the caller writes them.
   */
  exportDecisions(identity: Identity, query: unknown): { format: ExportFormat; chunks: Iterable<string> } {
    requireRole(identity, 'approver');
    const q = parse(AuditQuerySchema, query ?? {});
    const now = this.clock.now();
    const since = q.since === undefined ? undefined : parseTimeBound('since', q.since, now);
    const until = q.until === undefined ? undefined : parseTimeBound('until', q.until, now);
    return { format: q.format, chunks: exportText(this.store.audit.decisions({ since, until }), q.format) };
  }

  /** One page of {@link exportDecisions}' decisions (`audit:page`), for approvers without a bearer token. */
  auditPage(identity: Identity, query: unknown): AuditPage {
    requireRole(identity, 'approver');
    const q = parse(AuditPageQuerySchema, query ?? {});
    return this.store.audit.decisionsPage({ since: q.since, until: q.until }, q.after ?? 0, q.limit, AUDIT_PAGE_MAX_BYTES);
  }

  getRun(identity: Identity, runId: unknown): RunDetail {
    requireRole(identity, 'approver');
    if (typeof runId !== 'string' || runId.length === 0 || runId.length > 200) throw new SignoffError(ErrorCode.invalid, 'runId: must be a string of 1 to 200 characters');
    const run = this.store.analytics.getRun(runId, this.clock.now());
    if (!run) throw new SignoffError(ErrorCode.notFound, `no run ${runId}`);
    return run;
  }
}
