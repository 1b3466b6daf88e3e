import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type {
  Decision,
  FeedbackInputSchema,
  FeedbackQuerySchema,
  FeedbackRecord,
  HubStats,
  RequestEvent,
  RequestKind,
  RequestPage,
  RequestStatus,
  RunDetail,
  RunStep,
  RunSummary,
  SignoffRequest,
} from '@signoff/shared';
import { RESPONSE_TIME_BUCKETS_MS } from '@signoff/shared';
import type { z } from 'zod';
import type { PendingUsage } from './agent-limits.js';
import { DeviceStore } from './device-store.js';
import { GrantStore } from './grant-store.js';
import { MIGRATIONS } from './migrations.js';
import { ensurePrivateFile } from './private-files.js';
import { storedPayload, type Deadline, type PairingAttempt, type RequestStore } from './request-store.js';

interface RequestRow {
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
}

const SELECT_REQUEST = `
  SELECT r.id, r.status, r.owner, r.payload,
         d.status AS d_status, d.response, d.responded_by, d.via, d.responded_at, d.wait_ms, d.reason, d.policy
  FROM requests r LEFT JOIN decisions d ON d.request_id = r.id`;

/** Human decisions, as opposed to timeouts, cancellations and guardrails. */
const HUMAN_VIA = `('rest', 'socket')`;

function rowToRequest(row: RequestRow): SignoffRequest {
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
    request.decision = decision;
  }
  return request;
}


/** A decision's policy fields (who decided without a person, what a guardrail did), stored as one JSON column. */
type PolicyFields = Pick<Decision, 'rule' | 'audit' | 'grantId' | 'guardrail' | 'unguarded'>;

function policyFields(decision: Decision): string | null {
  const { rule, audit, grantId, guardrail, unguarded } = decision;
  if (rule === undefined && audit === undefined && grantId === undefined && guardrail === undefined && unguarded === undefined) return null;
  return JSON.stringify({ rule, audit, grantId, guardrail, unguarded });
}

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

/** Audit events derived from the request and decision rows instead of stored (see `events`). */
const DERIVED_EVENTS = `('created', 'settled')`;

/** Delay between a write and the background checkpoint it asks for, so a burst of writes shares one. */
const CHECKPOINT_DELAY_MS = 50;
/**
 * With background checkpoints on, the connection's own auto-checkpoint is only a
 * backstop (≈ 40 MB of WAL): for sustained writes that never pause long enough for the
 * background one to finish, or a checkpointer that could not start. SQLite's default is 1000.
 */
const BACKSTOP_CHECKPOINT_PAGES = 10_000;
const DEFAULT_CHECKPOINT_PAGES = 1000;

/**
 * Worker thread source (CommonJS, run with `eval` so it works from `dist/` and from
 * sources under a test runner alike): a second connection to the same file that runs a
 * PASSIVE checkpoint when asked. PASSIVE never waits for, nor blocks, the hub's own
 * connection; the point is that the checkpoint's fsyncs block this thread, not the
 * hub's event loop. On `close` it closes its connection and flags `closed` for the
 * hub thread waiting on it.
 */
const CHECKPOINTER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
// A checkpoint syncs the WAL before copying it and the database after: keep those fsyncs.
db.pragma('synchronous = NORMAL');
parentPort.on('message', (message) => {
  if (message === 'checkpoint') {
    try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* the next write asks again */ }
    return;
  }
  try { db.close(); } finally {
    Atomics.store(workerData.closed, 0, 1);
    Atomics.notify(workerData.closed, 0);
    parentPort.close();
  }
});
`;

export interface SqliteStoreOptions {
  /**
   * Run WAL checkpoints in a worker thread instead of inside the commit that crosses
   * SQLite's threshold. With `synchronous=NORMAL` a commit only appends to the WAL; the
   * fsyncs happen at checkpoints, and by default one runs inline every 1000 pages
   * (≈ 60 decisions in the hub), stalling that request 4–20 ms. For the long-running
   * hub; short-lived users (the CLI) need not pay for a thread. Durability is the same:
   * commits are written identically, only where the checkpoint runs changes.
   * @default false
   */
  backgroundCheckpoints?: boolean;
}

/**
 * {@link RequestStore} on better-sqlite3. WAL with `synchronous=NORMAL`: every
 * commit survives a crash of the hub process; a power cut may lose the last
 * commits (SQLite's documented WAL trade-off), never corrupt the file.
 */
export class SqliteStore implements RequestStore {
  private readonly db: Database.Database;
  private readonly stmt;
  /**
   * Transactions built once: `db.transaction(fn)` makes four wrapper functions each time
   * it is called, which cost a create and a respond a few percent of the hub's CPU.
   */
  private readonly tx;
  readonly devices: DeviceStore;
  readonly grants: GrantStore;
  private checkpointer: { worker: Worker; closed: Int32Array } | null = null;
  private checkpointTimer: NodeJS.Timeout | null = null;

  constructor(file: string, options: SqliteStoreOptions = {}) {
    // 0600 before SQLite creates it with 0644 less the umask; its WAL and SHM take this mode.
    if (file !== ':memory:' && file !== '') ensurePrivateFile(file);
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    // The CLI's `pair` writes codes while a hub may hold the file.
    this.db.pragma('busy_timeout = 5000');
    try {
      this.migrate();
    } catch (error) {
      this.db.close();
      throw error;
    }
    if (options.backgroundCheckpoints && !this.db.memory) this.startCheckpointer(file);
    const db = this.db;
    this.devices = new DeviceStore(db);
    this.grants = new GrantStore(db);
    this.stmt = {
      // The two writes of every decision bind by position: named parameters cost a lookup per name.
      insert: db.prepare(`INSERT INTO requests
        (id, kind, status, severity, owner, agent_id, run_id, idempotency_key, created_at, expires_at, payload)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
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
        (request_id, status, response, responded_by, via, responded_at, wait_ms, reason, policy)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      deadlines: db.prepare(`SELECT id, expires_at AS expiresAt FROM requests
        WHERE status = 'pending' AND expires_at IS NOT NULL`),
      pendingUsage: db.prepare(`SELECT id, owner, agent_id AS agentId, length(CAST(payload AS BLOB)) AS bytes
        FROM requests WHERE status = 'pending'`),
      countFeedback: db.prepare(`SELECT count(*) AS n FROM feedback WHERE agent_id = ?`),
      addEvent: db.prepare(`INSERT INTO request_events (request_id, at, type, detail) VALUES (?, ?, ?, ?)`),
      events: db.prepare(`SELECT at, type, detail FROM request_events
        WHERE request_id = ? AND type NOT IN ${DERIVED_EVENTS} ORDER BY id`),
      addFeedback: db.prepare(`INSERT INTO feedback
        (agent_id, type, aspect, content, importance, request_id, recorded_by, created_at)
        VALUES (@agentId, @type, @aspect, @content, @importance, @requestId, @recordedBy, @createdAt)`),
      addCode: db.prepare(`INSERT INTO pairing_codes (code_hash, expires_at) VALUES (?, ?)`),
      findCode: db.prepare(`SELECT expires_at AS expiresAt, used_at AS usedAt FROM pairing_codes WHERE code_hash = ?`),
      useCode: db.prepare(`UPDATE pairing_codes SET used_at = ? WHERE code_hash = ?`),
      expireLiveCodes: db.prepare(`UPDATE pairing_codes SET expires_at = ? WHERE used_at IS NULL AND expires_at > ?`),
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
        this.writeDecision(decision);
        return { request, created: true };
      }),
      settle: db.transaction((decision: Decision): boolean => {
        if (this.stmt.setStatus.run(decision.status, decision.requestId).changes === 0) return false;
        this.writeDecision(decision);
        return true;
      }),
    };
  }

  private migrate(): void {
    const current = this.db.pragma('user_version', { simple: true }) as number;
    if (current > MIGRATIONS.length) {
      throw new Error(`data file schema ${current} is newer than this Signoff (${MIGRATIONS.length}); upgrade Signoff`);
    }
    MIGRATIONS.slice(current).forEach((sql, i) => {
      this.db.transaction(() => {
        this.db.exec(sql);
        this.db.pragma(`user_version = ${current + i + 1}`);
      })();
    });
  }

  /** Schema version of the open file. */
  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  insertRequest(request: SignoffRequest, owner: string, payload = storedPayload(request), decision?: Decision): { request: SignoffRequest; created: boolean } {
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

  private writeDecision(decision: Decision): void {
    this.stmt.insertDecision.run(
      decision.requestId,
      decision.status,
      decision.response === null ? null : JSON.stringify(decision.response),
      decision.respondedBy,
      decision.via,
      decision.respondedAt,
      decision.waitMs,
      decision.reason ?? null,
      policyFields(decision),
    );
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
    );
  }

  findByIdempotencyKey(owner: string, agentId: string | undefined, key: string): SignoffRequest | undefined {
    const row = this.stmt.byIdempotency.get(owner, agentId ?? '', key) as RequestRow | undefined;
    return row ? rowToRequest(row) : undefined;
  }

  getRequest(id: string): (SignoffRequest & { owner: string }) | undefined {
    const row = this.stmt.byId.get(id) as RequestRow | undefined;
    return row ? Object.assign(rowToRequest(row), { owner: row.owner }) : undefined;
  }

  listRequests(query: { status?: RequestStatus; limit: number }): SignoffRequest[] {
    const rows = (
      query.status ? this.stmt.listByStatus.all(query.status, query.limit) : this.stmt.listAll.all(query.limit)
    ) as RequestRow[];
    return rows.map(rowToRequest);
  }

  /**
   * A page of {@link listRequests}, older than the request `before`, cut at `maxBytes` of
   * stored payload (at least one request), so no page can grow past what a socket message
   * or a JSON string can carry whatever agents stored.
   */
  pageRequests(query: { status?: RequestStatus; limit: number; before?: string | undefined }, maxBytes: number): RequestPage {
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

  settle(decision: Decision): boolean {
    // No `settled` event row either: `events` derives it from the decision row.
    const settled = this.tx.settle(decision);
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
    const request = this.getRequest(requestId);
    if (!request) return [];
    const rows = this.stmt.events.all(requestId) as { at: number; type: RequestEvent['type']; detail: string | null }[];
    const trail: RequestEvent[] = [{ at: request.createdAt, type: 'created' }];
    for (const r of rows) trail.push(r.detail ? { at: r.at, type: r.type, detail: JSON.parse(r.detail) } : { at: r.at, type: r.type });
    const d = request.decision;
    if (d) trail.push({ at: d.respondedAt, type: 'settled', detail: { status: d.status, by: d.respondedBy, via: d.via } });
    return trail;
  }

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
    };
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

  addFeedback(input: z.output<typeof FeedbackInputSchema>, recordedBy: string, now: number): FeedbackRecord {
    const row = { ...input, requestId: input.requestId ?? null, recordedBy, createdAt: now };
    const id = Number(this.stmt.addFeedback.run(row).lastInsertRowid);
    this.noteWrite();
    return { ...input, id, recordedBy, createdAt: now };
  }

  countFeedback(agentId: string): number {
    return (this.stmt.countFeedback.get(agentId) as { n: number }).n;
  }

  listFeedback(query: z.output<typeof FeedbackQuerySchema>): FeedbackRecord[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.agentId) (where.push('agent_id = ?'), params.push(query.agentId));
    if (query.type) (where.push('type = ?'), params.push(query.type));
    const rows = this.db
      .prepare(
        `SELECT id, agent_id AS agentId, type, aspect, content, importance, request_id AS requestId,
                recorded_by AS recordedBy, created_at AS createdAt
         FROM feedback ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
      )
      .all(...params, query.limit) as (FeedbackRecord & { requestId: string | null })[];
    return rows.map(({ requestId, ...rest }) => (requestId === null ? rest : { ...rest, requestId }));
  }

  addPairingCode(codeHash: string, expiresAt: number): void {
    this.stmt.addCode.run(codeHash, expiresAt);
  }

  /**
   * A wrong code writes nothing and locks nothing: it names no code, so counting it
   * against the live ones let anyone lock pairing (attempts are limited per connection
   * instead, see `pairing-attempts.ts`).
   */
  tryPairingCode(codeHash: string, now: number): PairingAttempt {
    return this.db.transaction((): PairingAttempt => {
      const code = this.stmt.findCode.get(codeHash) as { expiresAt: number; usedAt: number | null } | undefined;
      if (code && code.usedAt === null && code.expiresAt > now) {
        this.stmt.useCode.run(now, codeHash);
        return { ok: true };
      }
      return { ok: false, reason: code && code.usedAt === null ? 'expired' : 'invalid' };
    })();
  }

  expirePairingCodes(now: number): void {
    this.stmt.expireLiveCodes.run(now, now);
  }

  dataVersion(): number {
    return this.db.pragma('data_version', { simple: true }) as number;
  }

  close(): void {
    this.stopCheckpointer();
    if (this.db.open) this.db.close();
  }

  /** Starts the background checkpointer; on any failure the connection checkpoints inline as before. */
  private startCheckpointer(file: string): void {
    const closed = new Int32Array(new SharedArrayBuffer(4));
    let worker: Worker;
    try {
      const driver = createRequire(import.meta.url).resolve('better-sqlite3');
      worker = new Worker(CHECKPOINTER_SOURCE, { eval: true, workerData: { file, driver, closed } });
    } catch {
      return;
    }
    worker.unref(); // never what keeps a process alive
    worker.on('error', () => {
      if (this.checkpointer?.worker !== worker) return;
      this.checkpointer = null;
      if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${DEFAULT_CHECKPOINT_PAGES}`);
    });
    this.checkpointer = { worker, closed };
    this.db.pragma(`wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`);
  }

  /** After a commit: asks the checkpointer for a checkpoint soon, once per burst of writes. */
  private noteWrite(): void {
    if (!this.checkpointer || this.checkpointTimer) return;
    this.checkpointTimer = setTimeout(() => {
      this.checkpointTimer = null;
      this.checkpointer?.worker.postMessage('checkpoint');
    }, CHECKPOINT_DELAY_MS);
    this.checkpointTimer.unref();
  }

  /**
   * Closes the checkpointer's connection before ours, waiting (bounded) for it, so that
   * ours is the last one and SQLite checkpoints and removes the WAL on close as before.
   */
  private stopCheckpointer(): void {
    if (this.checkpointTimer) clearTimeout(this.checkpointTimer);
    this.checkpointTimer = null;
    const checkpointer = this.checkpointer;
    this.checkpointer = null;
    if (!checkpointer) return;
    checkpointer.worker.postMessage('close');
    Atomics.wait(checkpointer.closed, 0, 0, 1000);
  }
}
