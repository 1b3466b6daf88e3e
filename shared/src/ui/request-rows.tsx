import type { Grant, SignoffRequest } from '../protocol/index.js';
import { feedNote, summarizeDecision } from './decision-summary.js';
import { agentLabel } from '../protocol/agent-label.js';
import { KIND_LABELS } from './labels.js';
import { settledAt } from './queue-order.js';
import { Countdown, SeverityBadge } from './request-meta.js';
import { formatAge, formatAgo, formatDuration } from './time-format.js';
import { visibleText } from './visible-text.js';

/** The row's "who sent it" (agent, and machine when another one): nothing when neither is known. */
function AgentSpan({ request }: { request: SignoffRequest }) {
  const label = agentLabel(request);
  return label ? <span>{visibleText(label)}</span> : null;
}

/** A queue row: severity, title, kind, agent, age and time left; "Queued" once answered offline. */
export function PendingRow({ request, now, queued }: { request: SignoffRequest; now: number; queued: boolean }) {
  return (
    <>
      <span class="so-row-head">
        <SeverityBadge severity={request.severity} />
        <span class="so-row-title">{visibleText(request.title)}</span>
        {queued && <span class="so-pill">Queued</span>}
      </span>
      <span class="so-row-meta">
        <span>{KIND_LABELS[request.kind]}</span>
        <AgentSpan request={request} />
        <span>{formatAge(now - request.createdAt)} old</span>
        <Countdown expiresAt={request.expiresAt} now={now} />
      </span>
    </>
  );
}

/**
 * A feed item: a notice the agent reported, an approval an audit rule let through
 * ("Allowed by rule …"), or a reviewer's decision with its reasoning, cut short
 * ("Denied by reviewer lint-check — reasoning"), and when.
 */
export function FeedRow({ request, now }: { request: SignoffRequest; now: number }) {
  const audited = request.kind !== 'notify' && request.decision !== undefined;
  const summary = audited ? summarizeDecision(request) : null;
  const via = request.decision?.via;
  const reasoning = (via === 'judge' || via === 'reviewer') && summary?.note !== undefined ? feedNote(summary.note) : null;
  return (
    <>
      <span class="so-row-head">
        <SeverityBadge severity={request.severity} />
        {summary && <span class={`so-outcome so-outcome-${summary.outcome ?? 'none'}`}>{visibleText(summary.label)}</span>}
        <span class="so-row-title">{visibleText(request.title)}</span>
      </span>
      {reasoning && <span class="so-row-note">{visibleText(reasoning)}</span>}
      <span class="so-row-meta">
        <AgentSpan request={request} />
        <span>{formatAgo(audited ? settledAt(request) : request.createdAt, now)}</span>
      </span>
    </>
  );
}

/**
 * A past decision: outcome (a rule, a grant or a guardrail named), what, who decided
 * via which surface, when, and how long it waited; "Guardrail off" when it stood only
 * because a guardrail is off.
 */
export function HistoryRow({ request, now, grants }: { request: SignoffRequest; now: number; grants?: readonly Grant[] | undefined }) {
  const summary = summarizeDecision(request, grants ? { grants } : {});
  const decision = request.decision;
  return (
    <>
      <span class="so-row-head">
        <span class={`so-outcome so-outcome-${summary.outcome ?? 'none'}`}>{visibleText(summary.label)}</span>
        <span class="so-row-title">{visibleText(request.title)}</span>
        {summary.warning !== undefined && (
          <span class="so-pill so-pill-warn" title={summary.warning}>
            Guardrail off
          </span>
        )}
      </span>
      <span class="so-row-meta">
        <span>{KIND_LABELS[request.kind]}</span>
        <AgentSpan request={request} />
        {decision && (
          <span>
            by {visibleText(decision.respondedBy)} via {decision.via}
          </span>
        )}
        <span>{formatAgo(settledAt(request), now)}</span>
        {decision && decision.waitMs > 0 && <span>waited {formatDuration(decision.waitMs)}</span>}
      </span>
    </>
  );
}
