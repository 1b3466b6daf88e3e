import type {
  Decision,
  FeedbackInputSchema,
  FeedbackQuerySchema,
  FeedbackRecord,
  HubStats,
  RequestEvent,
  RequestPage,
  RequestStatus,
  RunDetail,
  RunSummary,
  SignoffRequest,
} from '@signoff/shared';
import type { z } from 'zod';
import type { PendingUsage } from './agent-limits.js';
import type { AuditLog, AuditRequest } from './audit-log.js';
import type { DeviceStore } from './device-store.js';
import type { GrantStore } from './grant-store.js';
import type { MachineStore } from './machine-store.js';
import type { PushSubscriptions } from './push-store.js';
import type { ReviewRecords } from './review-store.js';

/** A pending request's id and deadline, for the timeout scheduler. */
export interface Deadline {
  id: string;
  expiresAt: number;
}

/** The JSON a store keeps for a request: everything but the fields kept in columns (status, decision). */
export function storedPayload(request: SignoffRequest): string {
  const { status: _status, decision: _decision, ...rest } = request;
  return JSON.stringify(rest);
}

/** Result of trying a pairing code. */
export type PairingAttempt = { ok: true } | { ok: false; reason: 'invalid' | 'expired' };

/**
 * Requests, their decisions and their audit trail (the `requests`, `decisions` and
 * `request_events` tables): what the lifecycle reads and writes, on every request.
 */
export interface RequestRecords {
  /**
   * Inserts a new request; returns the existing one instead when its idempotency key is taken.
   * `payload` is its {@link storedPayload} when the caller already made it. With `decision`
   * (decided at once: a notice, a rule, a grant) the request is stored settled, with its
   * decision and the decision's audit entry, in the same transaction (setting `decision.receipt`).
   */
  insert(request: SignoffRequest, owner: string, payload?: string, decision?: Decision): { request: SignoffRequest; created: boolean };
  /** The request `owner` already made under this agentId and idempotency key, if any. */
  findByIdempotencyKey(owner: string, agentId: string | undefined, key: string): SignoffRequest | undefined;
  get(id: string): (SignoffRequest & { owner: string }) | undefined;
  list(query: { status?: RequestStatus; limit: number }): SignoffRequest[];
  /** Newest first, older than `before`, at most `limit` requests and about `maxBytes` of stored JSON (never fewer than one). */
  page(query: { status?: RequestStatus; limit: number; before?: string | undefined }, maxBytes: number): RequestPage;
  countByStatus(status: RequestStatus): number;
  /**
   * Settles a pending request and appends the decision to the audit log in the same
   * commit, setting `decision.receipt`. `request`: what the audit entry keeps of it, when
   * the caller has it (else it is read back). Returns false (and writes nothing) if it was no longer pending.
   */
  settle(decision: Decision, request?: AuditRequest): boolean;
  pendingDeadlines(): Deadline[];
  /** Every pending request's owner, agentId and stored size, for the agent limits at start. */
  pendingUsage(): PendingUsage[];
  addEvent(requestId: string, event: RequestEvent): void;
  events(requestId: string): RequestEvent[];
}

/** Read-only views over the requests for the approvers' dashboards: totals and runs. */
export interface RequestAnalytics {
  stats(now: number): HubStats;
  listRuns(limit: number, now: number): RunSummary[];
  getRun(runId: string, now: number): RunDetail | undefined;
}

/** What agents and people say about how agents work (the `feedback` table). */
/**
 * Which machine's feedback: `null` is this machine's (the local agent token's), a name
 * another machine's (its machine token's); `undefined` in a query is every machine's (approvers).
 */
export type FeedbackMachine = string | null;

export interface FeedbackRecords {
  add(input: z.output<typeof FeedbackInputSchema>, recordedBy: string, machine: FeedbackMachine, now: number): FeedbackRecord;
  list(query: z.output<typeof FeedbackQuerySchema>, machine?: FeedbackMachine): FeedbackRecord[];
  /** Feedback records stored about `agentId` on `machine`. */
  count(agentId: string, machine: FeedbackMachine): number;
}

/** One-use pairing codes, stored as hashes (the `pairing_codes` table). */
export interface PairingCodes {
  /** Stores the hash of a new pairing code; older unused codes stay valid until they expire. */
  addCode(codeHash: string, expiresAt: number): void;
  /** Consumes a live code (one use). A wrong code changes nothing. */
  tryCode(codeHash: string, now: number): PairingAttempt;
  /**
   * Makes every unused code expire now. The hub does this at start: a code is only good
   * for the hub run it was made under, so one captured by a program that held the port
   * while the hub was down is worthless once the real hub is back.
   */
  expireCodes(now: number): void;
}

/**
 * Everything the hub persists, one module per kind of record over one database. The
 * SQLite implementation is the real one; the interfaces keep the lifecycle free of SQL
 * and let a test see exactly what is stored. Each consumer takes only the modules it uses.
 */
export interface RequestStore {
  readonly requests: RequestRecords;
  readonly analytics: RequestAnalytics;
  readonly feedback: FeedbackRecords;
  readonly pairing: PairingCodes;
  /** Paired approver devices. */
  readonly devices: DeviceStore;
  /** Remembered "always allow" grants. */
  readonly grants: GrantStore;
  /** Agent tokens of other machines (reaching the hub through its public URL). */
  readonly machines: MachineStore;
  /** The hash-chained log of every settled decision. */
  readonly audit: AuditLog;
  /** Reviewers' verdicts on requests left to a person. */
  readonly reviews: ReviewRecords;
  /** Web Push subscriptions of paired devices. */
  readonly push: PushSubscriptions;
  /** Changes whenever another connection commits to the file (SQLite's `data_version`): a cheap "look again". */
  dataVersion(): number;

  close(): void;
}
