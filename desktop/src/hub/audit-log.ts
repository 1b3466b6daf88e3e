import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { approvedAction, canonicalJson, type Decision, type DecisionReceipt, type ExportedDecision, type SignoffRequest } from '@signoff/shared';
import { rowToRequest, type RequestRow } from './sqlite-requests.js';

/** The schema version that added the `audit` table and receipts (migration 4). */
export const AUDIT_SCHEMA = 4;

/** `prevHash` of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** What an audit entry keeps of its request. */
export type AuditRequest = Pick<SignoffRequest, 'id' | 'kind' | 'title' | 'severity'> & {
  agentId?: string | undefined;
  action?: { name: string; args?: Record<string, unknown> };
  tool?: { name: string; args?: Record<string, unknown> };
};

/** One settled decision in the hash-chained log. `hash` covers every other field. */
export interface AuditEntry {
  seq: number;
  at: number;
  request: { id: string; kind: string; title: string; agentId: string | null; severity: string };
  decision: { status: string; response: unknown };
  by: string;
  via: string;
  actionDigest: string;
  prevHash: string;
  hash: string;
}

/** What `verify` found: every entry chained, or the first that is not and why. */
export type AuditVerdict = { ok: true; entries: number } | { ok: false; entries: number; seq: number; problem: string };

interface AuditRow {
  seq: number;
  at: number;
  request_id: string;
  kind: string;
  title: string;
  agent_id: string | null;
  severity: string;
  status: string;
  response: string | null;
  responded_by: string;
  via: string;
  action_digest: string;
  prev_hash: string;
  hash: string;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The hash of an entry: SHA-256 over the previous hash, a newline, and the canonical JSON of the rest of the entry. */
export function entryHash(entry: Omit<AuditEntry, 'hash'> & { hash?: string }): string {
  const { prevHash, hash: _hash, ...body } = entry;
  return sha256(`${prevHash}\n${canonicalJson(body)}`);
}

function rowToEntry(row: AuditRow): AuditEntry {
  return {
    seq: row.seq,
    at: row.at,
    request: { id: row.request_id, kind: row.kind, title: row.title, agentId: row.agent_id, severity: row.severity },
    decision: { status: row.status, response: row.response === null ? null : JSON.parse(row.response) },
    by: row.responded_by,
    via: row.via,
    actionDigest: row.action_digest,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** Rows read per statement when paging (the export and verify never hold a statement open across awaits). */
const PAGE = 1000;

/**
 * The append-only, hash-chained log of every settled decision (the `audit` table).
 * `append` runs inside the decision's own transaction: the entry commits with the
 * decision or not at all. It reads the last entry in that transaction rather than
 * keeping it in memory, so another process writing the file (the CLI, a second hub
 * for a moment) chains onto the right entry, and a rolled-back transaction leaves
 * nothing stale behind; the read is one seek to the end of the table's B-tree.
 */
export class AuditLog {
  private readonly stmt;

  constructor(db: Database.Database) {
    this.stmt = {
      last: db.prepare(`SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1`),
      insert: db.prepare(`INSERT INTO audit
        (seq, at, request_id, kind, title, agent_id, severity, status, response, responded_by, via, action_digest, prev_hash, hash)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      after: db.prepare(`SELECT * FROM audit WHERE seq > ? ORDER BY seq LIMIT ?`),
      // In the order decisions were written (their rowid): a seek per page, no index to keep up on the hot path.
      exportPage: db.prepare(`SELECT r.id, r.status, r.owner, r.payload,
          d.status AS d_status, d.response, d.responded_by, d.via, d.responded_at, d.wait_ms, d.reason, d.policy, d.receipt,
          d.rowid AS d_rowid
        FROM decisions d JOIN requests r ON r.id = d.request_id
        WHERE d.rowid > ? AND d.responded_at >= ? AND d.responded_at < ?
        ORDER BY d.rowid LIMIT ?`),
    };
  }

  /**
   * Appends the entry for `decision` and returns its receipt. Call it inside the
   * transaction that writes the decision. `responseJson`: the decision's response as
   * stored (JSON text), when the caller already made it.
   */
  append(request: AuditRequest, decision: Decision, responseJson: string | null): DecisionReceipt {
    const last = this.stmt.last.get() as { seq: number; hash: string } | undefined;
    const entry: Omit<AuditEntry, 'hash'> = {
      seq: (last?.seq ?? 0) + 1,
      at: decision.respondedAt,
      request: { id: request.id, kind: request.kind, title: request.title, agentId: request.agentId ?? null, severity: request.severity },
      // The response as it will read back from its JSON, so verify recomputes the same text.
      decision: { status: decision.status, response: responseJson === null ? null : (JSON.parse(responseJson) as unknown) },
      by: decision.respondedBy,
      via: decision.via,
      actionDigest: sha256(canonicalJson(approvedAction(request, decision.response))),
      prevHash: last?.hash ?? GENESIS_HASH,
    };
    const hash = entryHash(entry);
    const r = entry.request;
    this.stmt.insert.run(entry.seq, entry.at, r.id, r.kind, r.title, r.agentId, r.severity, entry.decision.status, responseJson, entry.by, entry.via, entry.actionDigest, entry.prevHash, hash);
    return { seq: entry.seq, hash, actionDigest: entry.actionDigest };
  }

  /** Every entry in order, read a page at a time. */
  *entries(): Generator<AuditEntry> {
    let after = 0;
    for (;;) {
      const rows = this.stmt.after.all(after, PAGE) as AuditRow[];
      for (const row of rows) yield rowToEntry(row);
      if (rows.length < PAGE) return;
      after = rows[rows.length - 1]!.seq;
    }
  }

  /**
   * Walks the chain from the first entry: each must follow the one before it (`seq`
   * one more, `prevHash` its hash) and hash to its `hash`. A changed row fails its own
   * hash; a deleted one breaks the sequence at the entry after it. Truncating the end
   * of the log leaves a shorter valid chain: the receipts agents hold (seq and hash)
   * are what prove those entries existed.
   */
  verify(): AuditVerdict {
    let expectSeq = 1;
    let prevHash = GENESIS_HASH;
    let entries = 0;
    for (const entry of this.entries()) {
      const broken = (problem: string): AuditVerdict => ({ ok: false, entries, seq: entry.seq, problem });
      if (entry.seq !== expectSeq) return broken(`expected entry ${expectSeq} here: ${entry.seq - expectSeq} missing before it`);
      if (entry.prevHash !== prevHash) return broken("its prevHash is not the previous entry's hash");
      if (entryHash(entry) !== entry.hash) return broken('its content does not match its hash (the row was changed)');
      prevHash = entry.hash;
      expectSeq++;
      entries++;
    }
    return { ok: true, entries };
  }

  /**
   * Every decision (with or without an audit entry: those settled before receipts
   * existed too) settled in [since, until), in the order they were written, a page at a time.
   */
  *decisions(range: { since?: number | undefined; until?: number | undefined } = {}): Generator<ExportedDecision> {
    let after = 0;
    for (;;) {
      const rows = this.exportRows(range, after, PAGE);
      for (const row of rows) yield exportedDecision(row);
      if (rows.length < PAGE) return;
      after = rows[rows.length - 1]!.d_rowid;
    }
  }

  /**
   * One page of {@link decisions}: up to `limit` decisions after the position `after` (the
   * `next` of the page before; 0 for the first), fewer when their JSON passes `maxBytes`
   * (never none while any are left). `next` is `null` once nothing follows.
   */
  decisionsPage(range: { since?: number | undefined; until?: number | undefined }, after: number, limit: number, maxBytes: number): { entries: ExportedDecision[]; next: number | null } {
    const rows = this.exportRows(range, after, limit + 1);
    const entries: ExportedDecision[] = [];
    let bytes = 0;
    let last = after;
    for (const row of rows.slice(0, limit)) {
      const entry = exportedDecision(row);
      bytes += Buffer.byteLength(JSON.stringify(entry));
      if (entries.length > 0 && bytes > maxBytes) return { entries, next: last };
      entries.push(entry);
      last = row.d_rowid;
    }
    return { entries, next: rows.length > limit ? last : null };
  }

  private exportRows(range: { since?: number | undefined; until?: number | undefined }, after: number, limit: number): ExportRow[] {
    return this.stmt.exportPage.all(after, range.since ?? Number.MIN_SAFE_INTEGER, range.until ?? Number.MAX_SAFE_INTEGER, limit) as ExportRow[];
  }
}

type ExportRow = RequestRow & { d_rowid: number };

function exportedDecision(row: ExportRow): ExportedDecision {
  const request = rowToRequest(row);
  return {
    request: {
      id: request.id,
      kind: request.kind,
      title: request.title,
      agentId: request.agentId ?? null,
      machine: request.machine ?? null,
      runId: request.runId ?? null,
      severity: request.severity,
      createdAt: request.createdAt,
    },
    decision: request.decision!,
  };
}
