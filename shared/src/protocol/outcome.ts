import type { Decision } from './request.js';

/** How a decision reads for an agent that must act on it. */
export const Outcome = { approved: 'approved', rejected: 'rejected', expired: 'expired' } as const;
export type Outcome = (typeof Outcome)[keyof typeof Outcome];

/**
 * `approved`: go on (approved, answered, accepted, continue…); `rejected`: a human
 * or a guardrail said no (rejected, abort, blocked); `expired`: nobody answered in
 * time or the request was cancelled, so there is no permission either.
 */
export function outcomeOf(decision: Decision): Outcome {
  const response = decision.response as Record<string, unknown> | null;
  if (decision.status === 'blocked') return 'rejected';
  if (decision.status === 'cancelled') return 'expired';
  if (decision.status === 'expired') return response?.approved === true ? 'approved' : 'expired';
  if (response === null) return 'approved'; // notify: recorded, nothing to refuse
  if (response.approved === false) return 'rejected';
  if (response.action === 'reject' || response.action === 'abort') return 'rejected';
  return 'approved';
}
