import type { RequestReview, SignoffRequest } from '../protocol/index.js';
import { agentLabel } from '../protocol/agent-label.js';
import { prettyJson } from './json-text.js';
import { KIND_LABELS, SEVERITY_LABELS } from './labels.js';
import { countdownUrgency, formatAgo, formatCountdown, isoTime } from './time-format.js';
import { visibleText } from './visible-text.js';

/** The severity as a coloured word (never colour alone). */
export function SeverityBadge({ severity }: { severity: SignoffRequest['severity'] }) {
  return <span class={`so-sev so-sev-${severity}`}>{SEVERITY_LABELS[severity]}</span>;
}

/** Time left to decide, ticking with the host's `now`; flagged in the last minute. */
export function Countdown({ expiresAt, now }: { expiresAt: number | null; now: number }) {
  if (expiresAt === null) return <span class="so-countdown">no deadline</span>;
  const left = expiresAt - now;
  const urgency = countdownUrgency(left);
  return (
    <span class={`so-countdown so-countdown-${urgency}`}>
      {urgency === 'expired' ? 'expired' : <>expires in {formatCountdown(left)}</>}
    </span>
  );
}

/**
 * A reviewer's verdict as one line: `Judge: 0.62 approve — reasoning`, `shell-check: unsure — reasoning`.
 * The reasoning came from a model or a script reading what the agent wrote: shown as text.
 */
export function reviewSummary(review: RequestReview): string {
  const who = review.reviewer === 'judge' ? 'Judge' : review.reviewer;
  const confidence = review.confidence !== undefined ? `${review.confidence.toFixed(2)} ` : '';
  return `${who}: ${confidence}${review.verdict} — ${review.reasoning}`;
}

/** Who asks, in which run, how urgent, since when, until when; a reviewer's verdict when one left it to the person. */
export function RequestMeta({ request, now, pending }: { request: SignoffRequest; now: number; pending: boolean }) {
  return (
    <dl class="so-meta">
      <div>
        <dt>Kind</dt>
        <dd>{KIND_LABELS[request.kind]}</dd>
      </div>
      <div>
        <dt>Severity</dt>
        <dd>
          <SeverityBadge severity={request.severity} />
        </dd>
      </div>
      {agentLabel(request) && (
        <div>
          <dt>Agent</dt>
          <dd>{visibleText(agentLabel(request)!)}</dd>
        </div>
      )}
      {request.runId && (
        <div>
          <dt>Run</dt>
          <dd>{visibleText(request.runId)}</dd>
        </div>
      )}
      <div>
        <dt>Created</dt>
        <dd>
          <time dateTime={isoTime(request.createdAt)} title={new Date(request.createdAt).toLocaleString()}>
            {formatAgo(request.createdAt, now)}
          </time>
        </dd>
      </div>
      {request.review && (
        <div class="so-review">
          <dt>Review</dt>
          <dd>{visibleText(reviewSummary(request.review))}</dd>
        </div>
      )}
      {pending && (
        <div>
          <dt>Deadline</dt>
          <dd>
            <Countdown expiresAt={request.expiresAt} now={now} />
          </dd>
        </div>
      )}
    </dl>
  );
}

/** The agent's context object: each key with its value as text (nested values as indented JSON). */
export function ContextView({ context }: { context: Record<string, unknown> | undefined }) {
  const entries = Object.entries(context ?? {});
  if (entries.length === 0) return null;
  return (
    <section class="so-section">
      <h3>Context</h3>
      <dl class="so-context">
        {entries.map(([key, value]) => (
          <div key={key}>
            <dt>{visibleText(key)}</dt>
            <dd>{value !== null && typeof value === 'object' ? <pre class="so-json">{visibleText(prettyJson(value))}</pre> : visibleText(String(value))}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
