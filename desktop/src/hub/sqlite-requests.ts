import type Database from 'better-sqlite3';
import type { Decision, RequestEvent, RequestPage, RequestStatus, SignoffRequest } from '@signoff/shared';
import type { PendingUsage } from './agent-limits.js';
import { AuditLog, type AuditRequest } from './audit-log.js';
import { storedPayload, type Deadline, type RequestRecords } from './request-store.js';

/** A request row joined with its decision row, if any. */
export interface RequestRow {
  id: string;
  status: RequestStatus;
  owner: string;
  payload: string;
  d_status: Decision['status'] | null;
  response: string | null;
  responded_by: string | null;
  via: Decision['via'] | null;
  responded_at: number | null;
  wait_ms: number | null;
  reason: string | null;
  policy: string | null;
  receipt: string | null;
}

export const SELECT_REQUEST = `
  SELECT r.id, r.status, r.owner, r.payload,
         d.status AS d_status, d.response, d.responded_by, d.via, d.responded_at, d.wait_ms, d.reason, d.policy, d.receipt
  FROM requests r LEFT JOIN decisions d ON d.request_id = r.id`;

export function rowToRequest(row: RequestRow): SignoffRequest {
  const request = JSON.parse(row.payload) as SignoffRequest;
  request.status = row.status;
  if (row.d_status) {
    const decision: Decision = {
      requestId: row.id,
      status: row.d_status,
      response: row.response === null ? null : JSON.parse(row.response),
      respondedBy: row.responded_by!,
      via: row.via!,
      respondedAt: row.responded_at!,
      waitMs: row.wait_ms!,
    };
    if (row.reason !== null) decision.reason = row.reason;
    if (row.policy !== null) Object.assign(decision, JSON.parse(row.policy) as PolicyFields);
    if (row.receipt !== null) decision.receipt = JSON.parse(row.receipt) as Decision['receipt'];
    request.decision = decision;
  }
  return request;
}

/** A decision's policy fields (who decided without a person, what a guardrail did), stored as one JSON column. */
type PolicyFields = Pick<Decision, 'rule' | 'audit' | 'grantId' | 'guardrail' | 'unguarded' | 'confidence'>;

function policyFields(decision: Decision): string | null {
  const { rule, audit, grantId, guardrail, unguarded, confidence } = decision;
  if (rule === undefined && audit === undefined && grantId === undefined && guardrail === undefined && unguarded === undefined && confidence === undefined) return null;
  return JSON.stringify({ rule, audit, grantId, guardrail, unguarded, confidence });
}

/** Audit events derived from the request and decision rows instead of stored (see `events`). */
const DERIVED_EVENTS = `('created', 'settled')`;

/**
 * {@link RequestRecords} on better-sqlite3: the hub's hot path (every create and every
 * decision), so its statements are prepared and its transactions built once.
 */
export class SqliteRequests implements RequestRecords {
  private readonly stmt;
  /**
   * Transactions built once: `db.transaction(fn)` makes four wrapper functions each time
   * it is called, which cost a create and a respond a few percent of the hub's CPU.
   */
  private readonly tx;

  constructor(
    db: Database.Database,
    /** Called after each commit here (the background checkpointer's cue). */
    private readonly noteWrite: () => void,
    /** Where every decision is appended, in the transaction that writes it. */
    private readonly audit: AuditLog = new AuditLog(db),
  ) {
    this.stmt = {
      // The two writes of every decision bind by position: named parameters cost a lookup per name.
      insert: db.prepare(`INSERT INTO requests
        (id, kind, status, severity, owner, agent_id, run_id, idempotency_key, created_at, expires_at, payload, machine)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      byIdempotency: db.prepare(`${SELECT_REQUEST}
        WHERE r.owner = ? AND ifnull(r.agent_id, '') = ? AND r.idempotency_key = ?`),
      byId: db.prepare(`${SELECT_REQUEST} WHERE r.id = ?`),
      listAll: db.prepare(`${SELECT_REQUEST} ORDER BY r.created_at DESC, r.rowid DESC LIMIT ?`),
      listByStatus: db.prepare(`${SELECT_REQUEST} WHERE r.status = ? ORDER BY r.created_at DESC, r.rowid DESC LIMIT ?`),
      pageAll: db.prepare(`${SELECT_REQUEST}
        WHERE (@before IS NULL OR (r.created_at, r.rowid) < (SELECT created_at, rowid FROM requests WHERE id = @before))
        ORDER BY r.created_at DESC, r.rowid DESC LIMIT @limit`),
      pageByStatus: db.prepare(`${SELECT_REQUEST}
        WHERE r.status = @status AND (@before IS NULL OR (r.created_at, r.rowid) < (SELECT created_at, rowid FROM requests WHERE id = @before))
        ORDER BY r.created_at DESC, r.rowid DESC LIMIT @limit`),
      countByStatus: db.prepare(`SELECT count(*) AS n FROM requests WHERE status = ?`),
      setStatus: db.prepare(`UPDATE requests SET status = ? WHERE id = ? AND status = 'pending'`),
      insertDecision: db.prepare(`INSERT INTO decisions
        (request_id, status, response, responded_by, via, responded_at, wait_ms, reason, policy, receipt)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      auditRequest: db.prepare(`SELECT payload FROM requests WHERE id = ?`),
      deadlines: db.prepare(`SELECT id, expires_at AS expiresAt FROM requests
        WHERE status = 'pending' AND expires_at IS NOT NULL`),
      pendingUsage: db.prepare(`SELECT id, owner, agent_id AS agentId, length(CAST(payload AS BLOB)) AS bytes
        FROM requests WHERE status = 'pending'`),
      addEvent: db.prepare(`INSERT INTO request_events (request_id, at, type, detail) VALUES (?, ?, ?, ?)`),
      events: db.prepare(`SELECT at, type, detail FROM request_events
        WHERE request_id = ? AND type NOT IN ${DERIVED_EVENTS} ORDER BY id`),
    };
    this.tx = {
      insertKeyed: db.transaction((request: SignoffRequest, owner: string, payload: string): { request: SignoffRequest; created: boolean } => {
        const row = this.stmt.byIdempotency.get(owner, request.agentId ?? '', request.idempotencyKey) as RequestRow | undefined;
        if (row) return { request: rowToRequest(row), created: false };
        this.insertRow(request, owner, payload);
        return { request, created: true };
      }),
      insertDecided: db.transaction((request: SignoffRequest, owner: string, payload: string, decision: Decision): { request: SignoffRequest; created: boolean } => {
        if (request.idempotencyKey !== undefined) {
          const row = this.stmt.byIdempotency.get(owner, request.agentId ?? '', request.idempotencyKey) as RequestRow | undefined;
          if (row) return { request: rowToRequest(row), created: false };
        }
        this.insertRow(request, owner, payload);
        this.writeDecision(decision, request);
        return { request, created: true };
      }),
      settle: db.transaction((decision: Decision, request: AuditRequest | undefined): boolean => {
        if (this.stmt.setStatus.run(decision.status, decision.requestId).changes === 0) return false;
        this.writeDecision(decision, request ?? this.auditRequest(decision.requestId));
        return true;
      }),
    };
  }

  insert(request: SignoffRequest, owner: string, payload = storedPayload(request), decision?: Decision): { request: SignoffRequest; created: boolean } {
    // No `created` event row: `events` derives it from this row (one B-tree page and one
    // index page fewer per transaction, about a quarter of the commit's WAL writes).
    // Without an idempotency key the insert is one statement, which SQLite commits on its
    // own (atomically, before `run` returns): no BEGIN and COMMIT to run around it.
    // Decided at once (a rule, a grant, a notice): the request and its decision in one commit.
    const result = decision
      ? this.tx.insertDecided(request, owner, payload, decision)
      : request.idempotencyKey === undefined
        ? (this.insertRow(request, owner, payload), { request, created: true })
        : this.tx.insertKeyed(request, owner, payload);
    this.noteWrite();
    return result;
  }

  /** Writes the decision and its audit entry, and sets its `receipt`. Inside a transaction. */
  private writeDecision(decision: Decision, request: AuditRequest): void {
    const response = decision.response === null ? null : JSON.stringify(decision.response);
    const receipt = this.audit.append(request, decision, response);
    decision.receipt = receipt;
    this.stmt.insertDecision.run(
      decision.requestId,
      decision.status,
      response,
      decision.respondedBy,
      decision.via,
      decision.respondedAt,
      decision.waitMs,
      decision.reason ?? null,
      policyFields(decision),
      JSON.stringify(receipt),
    );
  }

  /** What the audit entry needs of a request the caller did not pass in. */
  private auditRequest(id: string): AuditRequest {
    const row = this.stmt.auditRequest.get(id) as { payload: string };
    return Object.assign(JSON.parse(row.payload) as AuditRequest, { id });
  }

  private insertRow(request: SignoffRequest, owner: string, payload: string): void {
    this.stmt.insert.run(
      request.id,
      request.kind,
      request.status,
      request.severity,
      owner,
      request.agentId ?? null,
      request.runId ?? null,
      request.idempotencyKey ?? null,
      request.createdAt,
      request.expiresAt,
      payload,
      request.machine ?? null,
    );
  }

  findByIdempotencyKey(owner: string, agentId: string | undefined, key: string): SignoffRequest | undefined {
    const row = this.stmt.byIdempotency.get(owner, agentId ?? '', key) as RequestRow | undefined;
    return row ? rowToRequest(row) : undefined;
  }

  get(id: string): (SignoffRequest & { owner: string }) | undefined {
    const row = this.stmt.byId.get(id) as RequestRow | undefined;
    return row ? Object.assign(rowToRequest(row), { owner: row.owner }) : undefined;
  }

  list(query: { status?: RequestStatus; limit: number }): SignoffRequest[] {
    const rows = (
      query.status ? this.stmt.listByStatus.all(query.status, query.limit) : this.stmt.listAll.all(query.limit)
    ) as RequestRow[];
    return rows.map(rowToRequest);
  }

  /**
   * A page of {@link list}, older than the request `before`, cut at `maxBytes` of
   * stored payload (at least one request), so no page can grow past what a socket message
   * or a JSON string can carry whatever agents stored.
   */
  page(query: { status?: RequestStatus; limit: number; before?: string | undefined }, maxBytes: number): RequestPage {
    const before = query.before ?? null;
    const rows = (
      query.status
        ? this.stmt.pageByStatus.all({ before, limit: query.limit + 1, status: query.status })
        : this.stmt.pageAll.all({ before, limit: query.limit + 1 })
    ) as RequestRow[];
    const requests: SignoffRequest[] = [];
    let bytes = 0;
    for (const row of rows.slice(0, query.limit)) {
      bytes += row.payload.length + (row.response?.length ?? 0);
      if (requests.length > 0 && bytes > maxBytes) return { requests, more: true };
      requests.push(rowToRequest(row));
    }
    return { requests, more: rows.length > query.limit };
  }

  countByStatus(status: RequestStatus): number {
    return (this.stmt.countByStatus.get(status) as { n: number }).n;
  }

  settle(decision: Decision, request?: AuditRequest): boolean {
    // No `settled` event row either: `events` derives it from the decision row.
    const settled = this.tx.settle(decision, request);
    if (settled) this.noteWrite();
    return settled;
  }

  pendingDeadlines(): Deadline[] {
    return this.stmt.deadlines.all() as Deadline[];
  }

  pendingUsage(): PendingUsage[] {
    return this.stmt.pendingUsage.all() as PendingUsage[];
  }

  addEvent(requestId: string, event: RequestEvent): void {
    this.stmt.addEvent.run(requestId, event.at, event.type, event.detail ? JSON.stringify(event.detail) : null);
    this.noteWrite();
  }

  /**
   * The request's audit trail: `created` (from the request row), the stored events
   * (`watched`), then `settled` (from the decision row). `created` and `settled` rows
   * that older versions wrote into `request_events` are skipped, so old and new data
   * files read the same.
   */
  events(requestId: string): RequestEvent[] {
    const request = this.get(requestId);
    if (!request) return [];
    const rows = this.stmt.events.all(requestId) as { at: number; type: RequestEvent['type']; detail: string | null }[];
    const trail: RequestEvent[] = [{ at: request.createdAt, type: 'created' }];
    for (const r of rows) trail.push(r.detail ? { at: r.at, type: r.type, detail: JSON.parse(r.detail) } : { at: r.at, type: r.type });
    const d = request.decision;
    if (d) trail.push({ at: d.respondedAt, type: 'settled', detail: { status: d.status, by: d.respondedBy, via: d.via } });
    return trail;
  }
}
