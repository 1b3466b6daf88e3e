import {
  DEFAULT_TIMEOUT_MS,
  TIMEOUT_BOUNDS,
  type AnyResponse,
  type CreateRequest,
  type OnTimeout,
  type SignoffRequest,
} from '@signoff/shared';

/** The deadline a request gets: its own `timeoutMs` clamped to the hub's bounds, else its severity's default. */
export function timeoutFor(input: Pick<CreateRequest, 'timeoutMs' | 'severity'>): number {
  if (input.timeoutMs === undefined) return DEFAULT_TIMEOUT_MS[input.severity];
  return Math.min(TIMEOUT_BOUNDS.maxMs, Math.max(TIMEOUT_BOUNDS.minMs, input.timeoutMs));
}

/**
 * Why an `onTimeout` rule is not allowed for this request, or `null`.
 * Auto-approval only makes sense for approvals, and never for high or critical ones:
 * silence must not authorise something dangerous.
 */
export function refuseOnTimeout(input: Pick<CreateRequest, 'kind' | 'severity' | 'onTimeout'>): string | null {
  if (input.onTimeout !== 'approve') return null;
  if (input.kind !== 'approval') return `approve is only possible for approval requests, not ${input.kind}`;
  if (input.severity === 'high' || input.severity === 'critical') {
    return `approve is refused for ${input.severity} severity: a human must answer or the request expires`;
  }
  return null;
}

export function formatDuration(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${Math.round(ms / 1000)}s`;
}

/** The answer recorded when nobody answered in time, and a plain sentence for the agent. */
export function timeoutOutcome(request: SignoffRequest): { response: AnyResponse | null; reason: string } {
  const waited = formatDuration(request.expiresAt! - request.createdAt);
  const rule: OnTimeout = request.onTimeout;
  if (rule === 'approve' && request.kind === 'approval') {
    return {
      response: { approved: true, reason: 'auto-approved: no human answered before the deadline' },
      reason: `No human answered within ${waited}; approved automatically by the request's onTimeout rule.`,
    };
  }
  const reason = `No human answered within ${waited}. Do not proceed with this action.`;
  if (rule !== 'reject') return { response: null, reason };
  switch (request.kind) {
    case 'approval':
      return { response: { approved: false, reason }, reason };
    case 'edit':
      return { response: { action: 'reject', reason }, reason };
    case 'checkpoint':
      return { response: { action: 'abort', notes: reason }, reason };
    case 'escalation':
      return { response: { action: 'abort', guidance: reason }, reason };
    default:
      return { response: null, reason };
  }
}
