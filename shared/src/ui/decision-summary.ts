import { outcomeOf, type Outcome, type SignoffRequest } from '../protocol/index.js';

/** A decision in words for history rows and read-only details. */
export interface DecisionSummary {
  /** `Approved`, `Rejected`, `Delegated to ci-bot`, `Expired`… */
  label: string;
  /** Colour class: go on, no, or nobody answered; `null` while still pending. */
  outcome: Outcome | null;
  /** The human's words that came with it (a reason, guidance, notes), if any. */
  note?: string;
}

/**
 * Says what happened to `request`, from its decision. Reads the response loosely:
 * history may hold decisions written by older hubs.
 */
export function summarizeDecision(request: SignoffRequest): DecisionSummary {
  const decision = request.decision;
  if (!decision) return { label: request.status === 'pending' ? 'Waiting' : capitalize(request.status), outcome: null };
  const outcome = outcomeOf(decision);
  const r = (decision.response ?? {}) as Record<string, unknown>;
  const note = firstText(r.reason, r.guidance, r.notes, decision.reason);
  const withNote = (label: string): DecisionSummary => (note === undefined ? { label, outcome } : { label, outcome, note });

  switch (decision.status) {
    case 'expired':
      if (decision.response === null) return withNote('Expired');
      return withNote(outcome === 'approved' ? 'Expired — approved by its timeout rule' : 'Expired — rejected by its timeout rule');
    case 'cancelled':
      return withNote('Cancelled by the agent');
    case 'blocked':
      return withNote('Blocked by a guardrail');
    case 'resolved':
      break;
  }

  switch (request.kind) {
    case 'approval': {
      if (r.approved !== true) return withNote('Rejected');
      const alternative = request.alternatives?.find((a) => a.id === r.alternativeId);
      return withNote(alternative ? `Approved instead: ${alternative.description}` : 'Approved');
    }
    case 'clarification': {
      const option = request.options?.find((o) => o.id === r.optionId);
      return withNote(option ? `Answered: ${option.label}` : 'Answered');
    }
    case 'edit':
      return withNote(r.action === 'edit' ? 'Edited' : r.action === 'reject' ? 'Rejected' : 'Accepted');
    case 'escalation':
      if (r.action === 'delegate') return withNote(`Delegated to ${String(r.targetAgentId)}`);
      return withNote(r.action === 'takeover' ? 'Taken over' : r.action === 'abort' ? 'Aborted' : 'Continued');
    case 'checkpoint':
      return withNote(r.action === 'modify' ? 'Modified' : r.action === 'abort' ? 'Aborted' : 'Continued');
    case 'external':
      return withNote('Result sent');
    case 'notify':
      return withNote('Recorded');
  }
}

/**
 * The short notice shown when an open request leaves the queue without this UI
 * answering it: who decided it and through which surface, when known.
 */
export function vanishedNotice(title: string, settled: SignoffRequest | undefined): string {
  const decision = settled?.decision;
  if (!settled || !decision) return `“${title}” is no longer waiting — decided elsewhere`;
  const { label } = summarizeDecision(settled);
  if (decision.status === 'resolved') return `“${title}” was decided elsewhere: ${label} by ${decision.respondedBy} via ${decision.via}`;
  return `“${title}”: ${label}`;
}

function firstText(...values: unknown[]): string | undefined {
  for (const value of values) if (typeof value === 'string' && value.trim() !== '') return value;
  return undefined;
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
