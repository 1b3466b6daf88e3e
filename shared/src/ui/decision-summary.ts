import { outcomeOf, type Grant, type Outcome, type SignoffRequest } from '../protocol/index.js';

/** A decision in words for history rows and read-only details. */
export interface DecisionSummary {
  /** `Approved`, `Rejected`, `Delegated to ci-bot`, `Expired`… */
  label: string;
  /** Colour class: go on, no, or nobody answered; `null` while still pending. */
  outcome: Outcome | null;
  /** The human's words that came with it (a reason, guidance, notes), or a rule's or guardrail's reason, if any. */
  note?: string;
  /**
   * A warning to show with it: the approval stood only because a guardrail is off in
   * `policy.yaml` (what that guardrail would have blocked).
   */
  warning?: string;
}

/** Who made the grants a decision may name; without it a grant is named by its id. */
export interface DecisionContext {
  grants?: readonly Grant[];
}

/**
 * Says what happened to `request`, from its decision. Reads the response loosely:
 * history may hold decisions written by older hubs.
 */
export function summarizeDecision(request: SignoffRequest, context: DecisionContext = {}): DecisionSummary {
  const decision = request.decision;
  if (!decision) return { label: request.status === 'pending' ? 'Waiting' : capitalize(request.status), outcome: null };
  const outcome = outcomeOf(decision);
  const r = (decision.response ?? {}) as Record<string, unknown>;
  const note = firstText(r.reason, r.guidance, r.notes, decision.reason);
  const warning = decision.unguarded
    ? `Approved only because the ${decision.unguarded.id} guardrail is off in policy.yaml; it would have blocked this: ${decision.unguarded.reason}`
    : undefined;
  const withNote = (label: string, text = note): DecisionSummary => ({
    label,
    outcome,
    ...(text === undefined ? {} : { note: text }),
    ...(warning === undefined ? {} : { warning }),
  });

  // A guardrail stopped an approval (a person's, a rule's or a grant's): say which, and why.
  if (decision.guardrail) return withNote(`Blocked by the ${decision.guardrail.id} guardrail`, decision.guardrail.reason);
  if (decision.rule !== undefined && decision.via === 'rule') {
    if (outcome === 'approved') return withNote(`Allowed by rule “${decision.rule}”`);
    return withNote(`Denied by rule “${decision.rule}”`);
  }
  if (decision.via === 'judge' || decision.via === 'reviewer') {
    const who = reviewerName(decision);
    if (outcome === 'approved') return withNote(`Allowed by ${who}`, decision.reason);
    return withNote(`Denied by ${who}`, decision.reason);
  }
  if (decision.grantId !== undefined && decision.via === 'grant') {
    const grant = context.grants?.find((g) => g.id === decision.grantId);
    return withNote(grant ? `Allowed by a grant from ${grant.createdBy}` : `Allowed by a remembered grant (${decision.grantId})`);
  }

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

/**
 * Whether a settled request belongs in the feed: a notice (`notify`), an approval an
 * `audit` rule let through without asking (shown as "Allowed by rule …"), or a request
 * a reviewer (the judge, a reviewer command) allowed or denied without a person, so the
 * person sees what was decided on their behalf. The popup and the window both use this.
 */
export function isFeedItem(request: SignoffRequest): boolean {
  const via = request.decision?.via;
  return request.kind === 'notify' || request.decision?.audit === true || via === 'judge' || via === 'reviewer';
}

/** The longest reviewer reasoning a feed row shows; the full text is in the request's detail. */
export const FEED_NOTE_MAX = 160;

/**
 * A reviewer's reasoning for a feed row: one line (line breaks as spaces), cut at
 * {@link FEED_NOTE_MAX} characters with an ellipsis. Plain text: it is rendered as text,
 * never as markdown, because the reviewer read what the agent wrote.
 */
export function feedNote(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  const chars = [...line];
  return chars.length > FEED_NOTE_MAX ? `${chars.slice(0, FEED_NOTE_MAX - 1).join('')}…` : line;
}

/** `the judge (0.93)`, `reviewer lint-check`: who decided, from the decision (`respondedBy` is `judge` or `reviewer:<name>`). */
function reviewerName(decision: { via: string; respondedBy: string; confidence?: number | undefined }): string {
  if (decision.via === 'judge') return decision.confidence === undefined ? 'the judge' : `the judge (${decision.confidence.toFixed(2)})`;
  return `reviewer ${decision.respondedBy.replace(/^reviewer:/, '')}`;
}

function firstText(...values: unknown[]): string | undefined {
  for (const value of values) if (typeof value === 'string' && value.trim() !== '') return value;
  return undefined;
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
