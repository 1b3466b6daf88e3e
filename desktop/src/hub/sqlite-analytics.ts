import type Database from 'better-sqlite3';
import type { HubStats, RequestKind, RequestStatus, ReviewerStats, RunDetail, RunStep, RunSummary } from '@signoff/shared';
import { RESPONSE_TIME_BUCKETS_MS } from '@signoff/shared';
import type { RequestAnalytics } from './request-store.js';
import { rowToRequest, SELECT_REQUEST, type RequestRow } from './sqlite-requests.js';

/** Human decisions, as opposed to timeouts, cancellations and guardrails. */
const HUMAN_VIA = `('rest', 'socket')`;

/** Most reviewers listed in the stats. */
const REVIEWERS_LISTED = 50;

/** A person's decision approved (for an `external` request: the person sent the tool's result). */
const PERSON_APPROVED = `(r.kind = 'external' OR json_extract(d.response, '$.approved') = 1)`;

/** A run waits for a human while any of its requests is pending. */
const runStatus = (pending: number): RunSummary['status'] => (pending > 0 ? 'waiting for human' : 'running');

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? null;
}

/** Counts `waits` into the buckets of {@link RESPONSE_TIME_BUCKETS_MS}, plus an open-ended last one. */
function histogram(waits: readonly number[]): HubStats['responseTimeHistogram'] {
  const buckets: HubStats['responseTimeHistogram'] = [...RESPONSE_TIME_BUCKETS_MS, null].map((upToMs) => ({ upToMs, count: 0 }));
  for (const wait of waits) {
    const index = RESPONSE_TIME_BUCKETS_MS.findIndex((bound) => wait <= bound);
    buckets[index === -1 ? buckets.length - 1 : index]!.count += 1;
  }
  return buckets;
}

/**
 * {@link RequestAnalytics} on better-sqlite3: aggregate reads over the requests and
 * decisions, asked for by a person opening a dashboard, never on the request path.
 */
export class SqliteAnalytics implements RequestAnalytics {
  constructor(private readonly db: Database.Database) {}

  stats(): HubStats {
    const counts = this.db.prepare(`SELECT kind, status, count(*) AS n FROM requests GROUP BY kind, status`).all() as {
      kind: RequestKind;
      status: RequestStatus;
      n: number;
    }[];
    const byKind: HubStats['byKind'] = {};
    const byStatus: HubStats['byStatus'] = {};
    let total = 0;
    for (const { kind, status, n } of counts) {
      (byKind[kind] ??= {})[status] = n;
      byStatus[status] = (byStatus[status] ?? 0) + n;
      total += n;
    }
    const approvals = this.db
      .prepare(
        `SELECT count(*) AS n, sum(json_extract(d.response, '$.approved')) AS yes
         FROM decisions d JOIN requests r ON r.id = d.request_id
         WHERE r.kind = 'approval' AND d.status = 'resolved' AND d.via IN ${HUMAN_VIA}`,
      )
      .get() as { n: number; yes: number | null };
    const waits = (
      this.db.prepare(`SELECT wait_ms AS w FROM decisions WHERE via IN ${HUMAN_VIA} ORDER BY wait_ms`).all() as { w: number }[]
    ).map((r) => r.w);
    const escalations = this.db
      .prepare(
        `SELECT json_extract(payload, '$.reason') AS reason, count(*) AS count FROM requests
         WHERE kind = 'escalation' GROUP BY reason ORDER BY count DESC, reason LIMIT 20`,
      )
      .all() as { reason: string; count: number }[];
    const expiredByAgent = this.db
      .prepare(
        `SELECT agent_id AS agentId, count(*) AS count FROM requests WHERE status = 'expired'
         GROUP BY agent_id ORDER BY count DESC, agent_id IS NULL, agent_id LIMIT 20`,
      )
      .all() as { agentId: string | null; count: number }[];
    const approved = approvals.yes ?? 0;
    const byRule = this.db
      .prepare(
        `SELECT json_extract(policy, '$.rule') AS rule,
                sum(status = 'resolved' AND json_extract(response, '$.approved') = 1) AS approved,
                sum(NOT (status = 'resolved' AND json_extract(response, '$.approved') = 1)) AS rejected
         FROM decisions WHERE via = 'rule' GROUP BY rule ORDER BY count(*) DESC, rule LIMIT 50`,
      )
      .all() as { rule: string; approved: number; rejected: number }[];
    const automatic = this.db
      .prepare(
        `SELECT sum(via = 'grant') AS byGrant, sum(status = 'blocked' AND json_extract(policy, '$.guardrail') IS NOT NULL) AS blocked
         FROM decisions WHERE policy IS NOT NULL`,
      )
      .get() as { byGrant: number | null; blocked: number | null };
    return {
      pending: byStatus.pending ?? 0,
      total,
      byKind,
      byStatus,
      approvalRate: approvals.n > 0 ? (approvals.yes ?? 0) / approvals.n : null,
      responseTimeMs: {
        mean: waits.length ? Math.round(waits.reduce((a, b) => a + b, 0) / waits.length) : null,
        p50: percentile(waits, 0.5),
        p90: percentile(waits, 0.9),
      },
      expired: byStatus.expired ?? 0,
      escalationsByReason: escalations,
      approvals: { approved, rejected: approvals.n - approved },
      responseTimeHistogram: histogram(waits),
      expiredByAgent,
      policy: { byRule, byGrant: automatic.byGrant ?? 0, blockedByGuardrail: automatic.blocked ?? 0 },
      reviewers: this.reviewerStats(),
    };
  }

  /**
   * Per reviewer: its own decisions (`via` judge or reviewer; `respondedBy` is `judge` or
   * `reviewer:<name>`), and the verdicts it left to a person (the `reviews` table) joined by
   * primary key to what the person then decided. Two scans, of decisions and of reviews,
   * asked for by a person opening the stats, never on the request path.
   */
  private reviewerStats(): ReviewerStats[] {
    const decided = this.db
      .prepare(
        `SELECT CASE via WHEN 'judge' THEN 'judge' ELSE substr(responded_by, length('reviewer:') + 1) END AS reviewer,
                sum(ifnull(json_extract(response, '$.approved') = 1, 0)) AS approved,
                sum(NOT ifnull(json_extract(response, '$.approved') = 1, 0)) AS denied
         FROM decisions WHERE via IN ('judge', 'reviewer') GROUP BY reviewer`,
      )
      .all() as { reviewer: string; approved: number; denied: number }[];
    const left = this.db
      .prepare(
        `SELECT json_extract(v.review, '$.reviewer') AS reviewer,
                sum(json_extract(v.review, '$.verdict') = 'error') AS failed,
                sum(json_extract(v.review, '$.verdict') <> 'error') AS unsure,
                sum(ifnull(d.via IN ${HUMAN_VIA} AND d.status = 'resolved' AND ${PERSON_APPROVED}, 0)) AS personApproved,
                sum(ifnull(d.via IN ${HUMAN_VIA} AND d.status = 'resolved' AND NOT ${PERSON_APPROVED}, 0)) AS personRejected,
                sum(ifnull(d.via IN ${HUMAN_VIA} AND d.status = 'resolved' AND json_extract(v.review, '$.verdict') IN ('approve', 'deny'), 0)) AS leaned,
                sum(ifnull(d.via IN ${HUMAN_VIA} AND d.status = 'resolved' AND json_extract(v.review, '$.verdict') IN ('approve', 'deny')
                    AND (json_extract(v.review, '$.verdict') = 'approve') = ${PERSON_APPROVED}, 0)) AS agreed
         FROM reviews v JOIN requests r ON r.id = v.request_id LEFT JOIN decisions d ON d.request_id = v.request_id
         GROUP BY reviewer`,
      )
      .all() as Omit<ReviewerStats, 'approved' | 'denied'>[];
    const byName = new Map<string, ReviewerStats>();
    const entry = (reviewer: string) => {
      let stats = byName.get(reviewer);
      if (!stats) byName.set(reviewer, (stats = { reviewer, approved: 0, denied: 0, unsure: 0, failed: 0, personApproved: 0, personRejected: 0, leaned: 0, agreed: 0 }));
      return stats;
    };
    for (const { reviewer, approved, denied } of decided) Object.assign(entry(reviewer), { approved, denied });
    for (const { reviewer, ...rest } of left) Object.assign(entry(reviewer), rest);
    const reviewed = (r: ReviewerStats) => r.approved + r.denied + r.unsure + r.failed;
    return [...byName.values()].sort((a, b) => reviewed(b) - reviewed(a) || a.reviewer.localeCompare(b.reviewer)).slice(0, REVIEWERS_LISTED);
  }

  listRuns(limit: number, now: number): RunSummary[] {
    const rows = this.db
      .prepare(
        `SELECT r.run_id AS runId, max(r.agent_id) AS agentId, count(*) AS requests,
                sum(r.status = 'pending') AS pending, min(r.created_at) AS firstAt, max(r.created_at) AS lastAt,
                sum(ifnull(d.responded_at, ?) - r.created_at) AS waitedMs
         FROM requests r LEFT JOIN decisions d ON d.request_id = r.id
         WHERE r.run_id IS NOT NULL
         GROUP BY r.run_id ORDER BY lastAt DESC LIMIT ?`,
      )
      .all(now, limit) as Omit<RunSummary, 'status'>[];
    return rows.map((r) => ({ ...r, status: runStatus(r.pending) }));
  }

  getRun(runId: string, now: number): RunDetail | undefined {
    const rows = this.db
      .prepare(`${SELECT_REQUEST} WHERE r.run_id = ? ORDER BY r.created_at, r.rowid`)
      .all(runId) as RequestRow[];
    if (rows.length === 0) return undefined;
    const requests = rows.map(rowToRequest);
    const timeline: RunStep[] = requests.map((r) => ({
      requestId: r.id,
      kind: r.kind,
      title: r.title,
      status: r.status,
      createdAt: r.createdAt,
      respondedBy: r.decision?.respondedBy ?? null,
      respondedAt: r.decision?.respondedAt ?? null,
      waitMs: r.decision ? r.decision.waitMs : now - r.createdAt,
    }));
    const pending = timeline.filter((s) => s.status === 'pending').length;
    return {
      runId,
      agentId: requests.find((r) => r.agentId)?.agentId ?? null,
      status: runStatus(pending),
      requests: timeline.length,
      pending,
      firstAt: timeline[0]!.createdAt,
      lastAt: timeline[timeline.length - 1]!.createdAt,
      waitedMs: timeline.reduce((sum, s) => sum + s.waitMs, 0),
      timeline,
    };
  }
}
