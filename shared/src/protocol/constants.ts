/** Values that name states on the wire. `as const` objects with derived unions: no enums. */

export const RequestKind = {
  approval: 'approval',
  clarification: 'clarification',
  edit: 'edit',
  escalation: 'escalation',
  checkpoint: 'checkpoint',
  external: 'external',
  notify: 'notify',
} as const;
export type RequestKind = (typeof RequestKind)[keyof typeof RequestKind];
export const REQUEST_KINDS = Object.values(RequestKind) as [RequestKind, ...RequestKind[]];

export const Severity = { low: 'low', medium: 'medium', high: 'high', critical: 'critical' } as const;
export type Severity = (typeof Severity)[keyof typeof Severity];
export const SEVERITIES = Object.values(Severity) as [Severity, ...Severity[]];
/** Higher is more urgent; for sorting queues and picking badge colours. */
export const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

export const RequestStatus = {
  pending: 'pending',
  resolved: 'resolved',
  expired: 'expired',
  cancelled: 'cancelled',
  blocked: 'blocked',
} as const;
export type RequestStatus = (typeof RequestStatus)[keyof typeof RequestStatus];
export const REQUEST_STATUSES = Object.values(RequestStatus) as [RequestStatus, ...RequestStatus[]];
/** Every status a request can end in. */
export type SettledStatus = Exclude<RequestStatus, 'pending'>;

export const OnTimeout = { reject: 'reject', approve: 'approve', expire: 'expire' } as const;
export type OnTimeout = (typeof OnTimeout)[keyof typeof OnTimeout];

export const Role = { agent: 'agent', approver: 'approver' } as const;
export type Role = (typeof Role)[keyof typeof Role];

export const FeedbackType = { correction: 'correction', praise: 'praise', preference: 'preference' } as const;
export type FeedbackType = (typeof FeedbackType)[keyof typeof FeedbackType];

/** The hub's listening port when none is given (`SIGNOFF_PORT`). */
export const DEFAULT_PORT = 7475;
/** Largest accepted REST body or Socket.IO message payload, in bytes. */
export const MAX_PAYLOAD_BYTES = 256 * 1024;
/** Longest `?wait=` long-poll, in seconds. */
export const MAX_WAIT_SECONDS = 60;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Bounds the hub clamps an agent's `timeoutMs` into. */
export const TIMEOUT_BOUNDS = { minMs: 10 * SECOND, maxMs: 7 * 24 * HOUR } as const;

/**
 * Deadline used when a request names no `timeoutMs`. Critical requests are
 * urgent and go stale fast, so their window is short; low ones may wait a day.
 */
export const DEFAULT_TIMEOUT_MS: Record<Severity, number> = {
  critical: 15 * MINUTE,
  high: 1 * HOUR,
  medium: 4 * HOUR,
  low: 24 * HOUR,
};
