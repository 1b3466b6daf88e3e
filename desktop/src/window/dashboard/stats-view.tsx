import type { HubStats, RequestStatus } from '@signoff/shared';
import { formatDuration } from '@signoff/shared/ui';
import { ApprovalChart } from '../charts/approval-chart.js';
import { BarList } from '../charts/bar-list.js';
import { formatPercent } from '../charts/chart-geometry.js';
import { HistogramChart } from '../charts/histogram-chart.js';
import type { LiveResource } from '../use-live-resource.js';
import { ReviewerTable } from './reviewer-table.js';

const STATUS_LABELS: Record<RequestStatus, string> = {
  pending: 'Waiting',
  resolved: 'Decided',
  expired: 'Expired',
  cancelled: 'Cancelled',
  blocked: 'Blocked',
};
const STATUS_ORDER: readonly RequestStatus[] = ['pending', 'resolved', 'expired', 'cancelled', 'blocked'];

const time = (ms: number | null) => (ms === null ? '–' : formatDuration(ms));

/**
 * Stats at a glance: the headline numbers, then small charts (approval rate,
 * response-time distribution, expiries by agent, requests by status, escalations
 * by reason), and a table per reviewer when `policy.yaml` has some. Fresh after
 * every change at the hub.
 */
export function StatsView({ stats }: { stats: LiveResource<HubStats> }) {
  const { data, error, loading } = stats;
  if (!data) {
    return error ? (
      <p class="so-error" role="alert">
        Stats could not be loaded: {error}
      </p>
    ) : (
      <p class="sw-muted">{loading ? 'Loading stats…' : 'No stats yet.'}</p>
    );
  }
  const decided = data.approvals.approved + data.approvals.rejected;
  return (
    <div class="sw-stats">
      {error && (
        <p class="so-error" role="alert">
          Showing older numbers: {error}
        </p>
      )}
      <dl class="sw-cards" aria-label="Totals">
        <Card label="Waiting now" value={String(data.pending)} />
        <Card label="Requests" value={String(data.total)} />
        <Card label="Approval rate" value={formatPercent(data.approvalRate)} note={decided ? `${data.approvals.approved} of ${decided} approvals` : 'no approvals decided yet'} />
        <Card label="Median response" value={time(data.responseTimeMs.p50)} note={`90% within ${time(data.responseTimeMs.p90)}`} />
        <Card label="Expired" value={String(data.expired)} />
      </dl>
      <div class="sw-chart-grid">
        <ApprovalChart approved={data.approvals.approved} rejected={data.approvals.rejected} />
        <HistogramChart buckets={data.responseTimeHistogram} />
        <BarList
          caption="Expiries by agent"
          tone="warn"
          emptyText="Nothing has expired."
          items={data.expiredByAgent.map((e) => ({ key: e.agentId ?? '\u0000none', label: e.agentId ?? 'no agent id', value: e.count }))}
        />
        <BarList
          caption="Requests by status"
          emptyText="No requests yet."
          items={STATUS_ORDER.filter((s) => (data.byStatus[s] ?? 0) > 0).map((s) => ({ key: s, label: STATUS_LABELS[s], value: data.byStatus[s] ?? 0 }))}
        />
        <BarList
          caption="Escalations by reason"
          tone="warn"
          emptyText="No escalations."
          items={data.escalationsByReason.map((e, i) => ({ key: `${i}`, label: e.reason, value: e.count }))}
        />
      </div>
      <ReviewerTable reviewers={data.reviewers} />
    </div>
  );
}

function Card({ label, value, note }: { label: string; value: string; note?: string }) {
  return (
    <div class="sw-card">
      <dt>{label}</dt>
      <dd>
        <span class="sw-card-value">{value}</span>
        {note && <span class="sw-card-note">{note}</span>}
      </dd>
    </div>
  );
}
