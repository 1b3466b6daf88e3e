import { z } from 'zod';
import { PublicKeySchema } from './approver-auth.js';
import { FeedbackType, type RequestKind, type RequestStatus, type SettledStatus } from './constants.js';
import type { CreateRequest } from './request-schemas.js';
import type { ResponseOfKind } from './response-schemas.js';

export { approvedAction, canonicalJson } from './receipt.js';

/** Which surface a decision came from. */
export const Via = { rest: 'rest', socket: 'socket', timeout: 'timeout', agent: 'agent', hub: 'hub', guardrail: 'guardrail', rule: 'rule', grant: 'grant', judge: 'judge', reviewer: 'reviewer' } as const;
export type Via = (typeof Via)[keyof typeof Via];

/**
 * The outcome of a request, pushed to the agent as `request:decided`.
 * `reason` says in plain words why a request ended without a human answer
 * (expired, cancelled, blocked), so an agent knows it must not proceed.
 */
export interface Decision<K extends RequestKind = RequestKind> {
  requestId: string;
  status: SettledStatus;
  /** The human's answer; on expiry the `onTimeout` rule's answer, or `null`. */
  response: ResponseOfKind<K> | null;
  /** Approver name, or `timeout` / `agent` / `hub` / `guardrail` / `rule:<name>` / `grant:<id>` / `judge` / `reviewer:<name>`. */
  respondedBy: string;
  via: Via;
  respondedAt: number;
  /** How long the request waited, in ms. */
  waitMs: number;
  reason?: string;
  /** Decided by a policy rule (`via: 'rule'`): its name. */
  rule?: string;
  /** Approved by an `audit` rule: shown to people in the feed as "allowed by rule …". */
  audit?: boolean;
  /** Decided by a remembered grant (`via: 'grant'`): its id. */
  grantId?: string;
  /** An approval a guardrail turned into `blocked`: which one, and why. */
  guardrail?: { id: string; reason: string };
  /** An approval that stood only because `policy.yaml` turned this guardrail off: what it would have blocked. */
  unguarded?: { id: string; reason: string };
  /** Decided by the LLM judge (`via: 'judge'`): how sure it said it was, 0..1 (above the policy's threshold). */
  confidence?: number;
  /** The decision's entry in the hub's audit log (hubs before receipts send none). */
  receipt?: DecisionReceipt;
}

/**
 * Proof of a decision: where it sits in the hub's hash-chained audit log (`signoff audit
 * verify`), and the SHA-256 of the canonical JSON (RFC 8785) of the action as decided
 * (see `approvedAction` in the agent SDK), which `withApproval` checks before it runs a tool.
 */
export interface DecisionReceipt {
  seq: number;
  /** The audit entry's hash (lower-case hex SHA-256), chained to the entry before it. */
  hash: string;
  actionDigest: string;
}

/** What a policy reviewer (the LLM judge or a reviewer command) made of a request it did not decide. */
export interface RequestReview {
  /** `judge`, or the reviewer command's name from `policy.yaml`. */
  reviewer: string;
  /** `unsure`: below the judge's threshold or the command said `ask`; `error`: it failed, timed out or answered nonsense. */
  verdict: 'approve' | 'deny' | 'unsure' | 'error';
  /** The judge's confidence, 0..1. */
  confidence?: number;
  reasoning: string;
}

/** A request as the hub stores and serves it. */
export type SignoffRequest<K extends RequestKind = RequestKind> = Extract<CreateRequest, { kind: K }> & {
  id: string;
  createdAt: number;
  expiresAt: number | null;
  status: RequestStatus;
  onTimeout: 'reject' | 'approve' | 'expire';
  decision?: Decision<K>;
  /** A reviewer's verdict for the person deciding a request the reviewer left to them. */
  review?: RequestReview;
  /** The machine token's name when another machine's agent sent it (set by the hub; absent: this machine). */
  machine?: string;
};

export const FeedbackInputSchema = z.strictObject({
  agentId: z.string().min(1).max(200),
  type: z.enum([FeedbackType.correction, FeedbackType.praise, FeedbackType.preference]),
  aspect: z.string().trim().min(1).max(200),
  content: z.string().trim().min(1).max(10_000),
  importance: z.number().min(0).max(1).default(0.5),
  requestId: z.string().min(1).max(200).optional(),
});
export type FeedbackInput = z.input<typeof FeedbackInputSchema>;
export type FeedbackRecord = z.output<typeof FeedbackInputSchema> & { id: number; createdAt: number; recordedBy: string };

export const FeedbackQuerySchema = z.strictObject({
  agentId: z.string().min(1).max(200).optional(),
  type: FeedbackInputSchema.shape.type.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
});
export type FeedbackQuery = z.input<typeof FeedbackQuerySchema>;

/**
 * `POST /pair`. With `publicKey` the new device authenticates by challenge (see
 * `approver-auth.ts`) and gets no bearer token; without it, a bearer token for a
 * person's own scripts. `ephemeral`: the device lives as long as the browser tab that
 * paired it (the hub forgets it once it has been disconnected for a while).
 */
export const PairSchema = z.strictObject({
  code: z.string().trim().min(4).max(32),
  name: z.string().trim().min(1).max(100),
  publicKey: PublicKeySchema.optional(),
  ephemeral: z.boolean().optional(),
});

/** `GET /stats`, `stats:get`. Times in ms. */
export interface HubStats {
  pending: number;
  total: number;
  byKind: Record<string, Partial<Record<RequestStatus, number>>>;
  byStatus: Partial<Record<RequestStatus, number>>;
  /** Approved share of human-decided approvals, 0..1; `null` before any. */
  approvalRate: number | null;
  responseTimeMs: { mean: number | null; p50: number | null; p90: number | null };
  expired: number;
  escalationsByReason: { reason: string; count: number }[];
  /** Human-decided approvals by outcome (the counts behind `approvalRate`). */
  approvals: { approved: number; rejected: number };
  /**
   * Human response times (every kind) in the buckets of {@link RESPONSE_TIME_BUCKETS_MS}:
   * `count` answers took more than the previous bucket's bound and at most `upToMs`;
   * the last bucket (`upToMs: null`) holds everything longer. Every bucket is listed,
   * empty ones with 0, so a chart keeps its axis.
   */
  responseTimeHistogram: { upToMs: number | null; count: number }[];
  /** Expired requests per `agentId`, most first (ties by name); `agentId: null` for requests sent without one. At most 20. */
  expiredByAgent: { agentId: string | null; count: number }[];
  /**
   * Decided without a person, counted apart from the human figures above: per policy
   * rule (most first, at most 50), by grants, and approvals a guardrail blocked.
   */
  policy: {
    byRule: { rule: string; approved: number; rejected: number }[];
    byGrant: number;
    blockedByGuardrail: number;
  };
  /**
   * Each reviewer of a `then: review` rule (`judge`, or a reviewer command's name), most
   * requests first, at most 50: what it decided itself, what it left to a person and why,
   * and what the person then decided.
   */
  reviewers: ReviewerStats[];
}

/** One reviewer's figures in {@link HubStats}. */
export interface ReviewerStats {
  reviewer: string;
  /** Approved by the reviewer itself (a guardrail may still have blocked the action after). */
  approved: number;
  /** Denied by the reviewer itself. */
  denied: number;
  /** Left to a person with a verdict that did not decide: unsure, not confident enough, a critical request, a run of denials. */
  unsure: number;
  /** Left to a person because the reviewer failed (an error, a timeout, an answer that made no sense) or was not run (too many reviews running). */
  failed: number;
  /** Of those left to a person, decided by one since: approved (or the tool's result sent)… */
  personApproved: number;
  /** …and rejected. */
  personRejected: number;
  /** Of those the person decided, how many the reviewer had leaned on (approve or deny, without deciding)… */
  leaned: number;
  /** …and how many of those the person decided the way the reviewer leaned: the agreement rate is `agreed / leaned`. */
  agreed: number;
}

/** Upper bounds (ms) of the response-time buckets of {@link HubStats}: 10 s, 30 s, 1 m, 5 m, 15 m, 1 h, 4 h, 1 d (then longer). */
export const RESPONSE_TIME_BUCKETS_MS = [10_000, 30_000, 60_000, 300_000, 900_000, 3_600_000, 14_400_000, 86_400_000] as const;

/** One step of a run's timeline. */
export interface RunStep {
  requestId: string;
  kind: RequestKind;
  title: string;
  status: RequestStatus;
  createdAt: number;
  respondedBy: string | null;
  respondedAt: number | null;
  /** How long it waited for a human: until decided, or until now while pending. */
  waitMs: number;
}

export interface RunSummary {
  runId: string;
  agentId: string | null;
  /** `waiting for human` while any of its requests is pending. */
  status: 'waiting for human' | 'running';
  requests: number;
  pending: number;
  firstAt: number;
  lastAt: number;
  /** Total time the run spent waiting on humans. */
  waitedMs: number;
}

export interface RunDetail extends RunSummary {
  timeline: RunStep[];
}

/** An entry of a request's audit trail. */
export interface RequestEvent {
  at: number;
  type: 'created' | 'watched' | 'settled';
  detail?: Record<string, unknown>;
}
