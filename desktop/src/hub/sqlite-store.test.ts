import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Decision, SignoffRequest } from '@signoff/shared';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from './migrations.js';
import { SqliteStore } from './sqlite-store.js';

const T0 = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;
const OWNER = 'agent-0123456789ab';

let dir: string;
let file: string;
let store: SqliteStore;
let seq = 0;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'signoff-store-'));
  file = join(dir, 'signoff.db');
  store = new SqliteStore(file);
  seq = 0;
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A pending request as the lifecycle would hand it to the store; one second after the previous one. */
function request(fields: Record<string, unknown> = {}): SignoffRequest {
  seq += 1;
  const createdAt = T0 + seq * 1000;
  return {
    kind: 'approval',
    title: `Request ${seq}`,
    severity: 'medium',
    id: `req-${String(seq).padStart(3, '0')}`,
    createdAt,
    expiresAt: createdAt + HOUR,
    status: 'pending',
    onTimeout: 'expire',
    ...fields,
  } as SignoffRequest;
}

function insert(fields: Record<string, unknown> = {}, owner = OWNER): SignoffRequest {
  const r = request(fields);
  expect(store.requests.insert(r, owner).created).toBe(true);
  return r;
}

/** The response-time histogram with every bucket empty but those given (`{ upToMs: count }`; `open` for the last). */
function emptyHistogram(counts: Partial<Record<number | 'open', number>> = {}): { upToMs: number | null; count: number }[] {
  const bounds = [10_000, 30_000, 60_000, 300_000, 900_000, 3_600_000, 14_400_000, 86_400_000];
  return [...bounds.map((upToMs) => ({ upToMs, count: counts[upToMs] ?? 0 })), { upToMs: null, count: counts.open ?? 0 }];
}

function decision(r: SignoffRequest, fields: Partial<Decision> & { waitMs: number }): Decision {
  return {
    requestId: r.id,
    status: 'resolved',
    response: { approved: true } as Decision['response'],
    respondedBy: 'alice',
    via: 'socket',
    respondedAt: r.createdAt + fields.waitMs,
    ...fields,
  };
}

describe('migrations', () => {
  it('brings a fresh file to the latest schema', () => {
    expect(store.schemaVersion).toBe(MIGRATIONS.length);
    store.close();
    const db = new Database(file, { readonly: true });
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]).map(
      (t) => t.name,
    );
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    expect(tables).toEqual(expect.arrayContaining(['approvers', 'decisions', 'feedback', 'pairing_codes', 'request_events', 'requests']));
  });

  it('keeps data and version when reopened', () => {
    const r = insert({ title: 'Survives a restart', agentId: 'bot', runId: 'run-1' });
    store.requests.settle(decision(r, { waitMs: 5000, reason: 'looked fine' }));
    const before = store.requests.get(r.id);
    store.close();

    store = new SqliteStore(file);
    expect(store.schemaVersion).toBe(MIGRATIONS.length);
    expect(store.requests.get(r.id)).toEqual(before);
    expect(store.requests.events(r.id).map((e) => e.type)).toEqual(['created', 'settled']);
  });

  it('refuses a file written by a newer Signoff, and leaves it alone', () => {
    store.close();
    const newer = MIGRATIONS.length + 1;
    const db = new Database(file);
    db.pragma(`user_version = ${newer}`);
    db.close();

    expect(() => new SqliteStore(file)).toThrow(
      `data file schema ${newer} is newer than this Signoff (${MIGRATIONS.length}); upgrade Signoff`,
    );
    // The refused connection was closed, not leaked: its WAL is gone with it.
    expect(existsSync(`${file}-wal`)).toBe(false);
    const check = new Database(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(newer);
    check.close();
    store = new SqliteStore(join(dir, 'other.db'));
  });
});

describe('requests', () => {
  it('stores a request and reads it back whole, with its owner', () => {
    const r = request({
      kind: 'edit',
      title: 'Release notes',
      body: 'Please check the tone',
      context: { release: '2.3.1', files: ['CHANGELOG.md'] },
      severity: 'high',
      agentId: 'writer-bot',
      runId: 'run-9',
      onTimeout: 'reject',
      draft: { format: 'markdown', content: '# 2.3.1\n\n- Faster' },
    });
    expect(store.requests.insert(r, OWNER)).toEqual({ request: r, created: true });
    expect(store.requests.get(r.id)).toEqual({ ...r, owner: OWNER });
    expect(store.requests.get('nope')).toBeUndefined();
  });

  it('keeps null expiresAt (notify) as null', () => {
    const r = insert({ kind: 'notify', expiresAt: null });
    expect(store.requests.get(r.id)?.expiresAt).toBeNull();
  });

  describe('idempotency', () => {
    it('returns the first request for the same owner, agentId and key', () => {
      const first = insert({ agentId: 'bot', idempotencyKey: 'k1', title: 'first' });
      const again = request({ agentId: 'bot', idempotencyKey: 'k1', title: 'second' });
      const result = store.requests.insert(again, OWNER);
      expect(result.created).toBe(false);
      expect(result.request).toEqual(first);
      expect(store.requests.get(again.id)).toBeUndefined();
      expect(store.requests.list({ limit: 10 })).toHaveLength(1);
      expect(store.requests.events(first.id)).toHaveLength(1);
    });

    it('returns the settled request, decision included, when the key is reused later', () => {
      const first = insert({ agentId: 'bot', idempotencyKey: 'k1' });
      store.requests.settle(decision(first, { waitMs: 100 }));
      const result = store.requests.insert(request({ agentId: 'bot', idempotencyKey: 'k1' }), OWNER);
      expect(result.created).toBe(false);
      expect(result.request).toMatchObject({ id: first.id, status: 'resolved', decision: { respondedBy: 'alice' } });
    });

    it('dedupes requests with no agentId too', () => {
      const first = insert({ idempotencyKey: 'k1' });
      expect(store.requests.insert(request({ idempotencyKey: 'k1' }), OWNER)).toEqual({ request: first, created: false });
    });

    it('scopes keys per agentId and per owner', () => {
      insert({ agentId: 'bot-a', idempotencyKey: 'k1' });
      expect(store.requests.insert(request({ agentId: 'bot-b', idempotencyKey: 'k1' }), OWNER).created).toBe(true);
      expect(store.requests.insert(request({ idempotencyKey: 'k1' }), OWNER).created).toBe(true);
      expect(store.requests.insert(request({ agentId: 'bot-a', idempotencyKey: 'k1' }), 'agent-other-owner').created).toBe(true);
      expect(store.requests.list({ limit: 10 })).toHaveLength(4);
    });

    it('never dedupes requests without a key', () => {
      insert({ agentId: 'bot' });
      insert({ agentId: 'bot' });
      expect(store.requests.list({ limit: 10 })).toHaveLength(2);
    });
  });

  describe('settle', () => {
    it('settles a pending request once and records the decision and an event', () => {
      const r = insert();
      const d = decision(r, { waitMs: 4000, respondedBy: 'alice', via: 'rest', reason: 'ok' });
      expect(store.requests.settle(d)).toBe(true);
      expect(store.requests.get(r.id)).toMatchObject({ status: 'resolved', decision: d });
      expect(store.requests.events(r.id)).toEqual([
        { at: r.createdAt, type: 'created' },
        { at: d.respondedAt, type: 'settled', detail: { status: 'resolved', by: 'alice', via: 'rest' } },
      ]);
    });

    it('refuses a second decision and keeps the first', () => {
      const r = insert();
      const first = decision(r, { waitMs: 1000, respondedBy: 'alice' });
      expect(store.requests.settle(first)).toBe(true);
      expect(store.requests.settle(decision(r, { waitMs: 2000, respondedBy: 'bob', status: 'expired', response: null, via: 'timeout' }))).toBe(false);
      expect(store.requests.get(r.id)).toMatchObject({ status: 'resolved', decision: first });
      expect(store.requests.events(r.id)).toHaveLength(2);
    });

    it('refuses to settle an unknown request', () => {
      expect(store.requests.settle({ requestId: 'ghost', status: 'cancelled', response: null, respondedBy: 'agent', via: 'agent', respondedAt: T0, waitMs: 0 })).toBe(false);
    });

    it('stores a null response and no reason as such', () => {
      const r = insert();
      store.requests.settle(decision(r, { waitMs: 10, status: 'cancelled', response: null, respondedBy: 'agent', via: 'agent' }));
      const stored = store.requests.get(r.id)!;
      expect(stored.decision).toEqual({
        requestId: r.id,
        status: 'cancelled',
        response: null,
        respondedBy: 'agent',
        via: 'agent',
        respondedAt: r.createdAt + 10,
        waitMs: 10,
        receipt: { seq: 1, hash: expect.any(String), actionDigest: expect.any(String) },
      });
      expect(stored.decision).not.toHaveProperty('reason');
    });
  });

  describe('listRequests', () => {
    it('lists newest first, ties in reverse insertion order', () => {
      const a = insert();
      const b = insert();
      const tie1 = insert({ createdAt: T0 + 60_000 });
      const tie2 = insert({ createdAt: T0 + 60_000 });
      expect(store.requests.list({ limit: 10 }).map((r) => r.id)).toEqual([tie2.id, tie1.id, b.id, a.id]);
    });

    it('filters by status and honours the limit', () => {
      const rs = [insert(), insert(), insert(), insert()];
      store.requests.settle(decision(rs[1]!, { waitMs: 1 }));
      store.requests.settle(decision(rs[2]!, { waitMs: 1, status: 'expired', response: null, via: 'timeout', respondedBy: 'timeout' }));
      expect(store.requests.list({ status: 'pending', limit: 10 }).map((r) => r.id)).toEqual([rs[3]!.id, rs[0]!.id]);
      expect(store.requests.list({ status: 'resolved', limit: 10 }).map((r) => r.id)).toEqual([rs[1]!.id]);
      expect(store.requests.list({ status: 'expired', limit: 10 })[0]).toMatchObject({ id: rs[2]!.id, decision: { via: 'timeout' } });
      expect(store.requests.list({ status: 'blocked', limit: 10 })).toEqual([]);
      expect(store.requests.list({ limit: 2 }).map((r) => r.id)).toEqual([rs[3]!.id, rs[2]!.id]);
      expect(store.requests.list({ status: 'pending', limit: 1 }).map((r) => r.id)).toEqual([rs[3]!.id]);
    });
  });

  it('pendingDeadlines lists only pending requests that have a deadline', () => {
    const a = insert();
    const settled = insert();
    insert({ kind: 'notify', expiresAt: null });
    const b = insert();
    store.requests.settle(decision(settled, { waitMs: 1 }));
    expect(store.requests.pendingDeadlines().sort((x, y) => x.expiresAt - y.expiresAt)).toEqual([
      { id: a.id, expiresAt: a.expiresAt },
      { id: b.id, expiresAt: b.expiresAt },
    ]);
  });

  it('pendingUsage gives each pending request\'s owner, agentId and stored bytes (what the agent limits load at start)', () => {
    const a = insert({ agentId: 'bot', context: { note: '漢字' } });
    const b = insert({}, 'agent-other');
    const settled = insert({ agentId: 'bot' });
    store.requests.settle(decision(settled, { waitMs: 1 }));
    const bytes = (r: SignoffRequest) => Buffer.byteLength(JSON.stringify((({ status: _s, ...rest }) => rest)(r)));
    expect(store.requests.pendingUsage().sort((x, y) => x.id.localeCompare(y.id))).toEqual([
      { id: a.id, owner: OWNER, agentId: 'bot', bytes: bytes(a) },
      { id: b.id, owner: 'agent-other', agentId: null, bytes: bytes(b) },
    ]);
  });

  it('finds a request by owner, agentId and idempotency key', () => {
    const r = insert({ agentId: 'bot', idempotencyKey: 'k1' });
    const anonymous = insert({ idempotencyKey: 'k1' });
    expect(store.requests.findByIdempotencyKey(OWNER, 'bot', 'k1')?.id).toBe(r.id);
    expect(store.requests.findByIdempotencyKey(OWNER, undefined, 'k1')?.id).toBe(anonymous.id);
    expect(store.requests.findByIdempotencyKey('agent-other', 'bot', 'k1')).toBeUndefined();
    expect(store.requests.findByIdempotencyKey(OWNER, 'bot', 'k2')).toBeUndefined();
  });

  it('keeps an audit trail of events in order', () => {
    const r = insert();
    store.requests.addEvent(r.id, { at: r.createdAt + 5, type: 'watched', detail: { by: 'socket' } });
    store.requests.addEvent(r.id, { at: r.createdAt + 6, type: 'watched' });
    expect(store.requests.events(r.id)).toEqual([
      { at: r.createdAt, type: 'created' },
      { at: r.createdAt + 5, type: 'watched', detail: { by: 'socket' } },
      { at: r.createdAt + 6, type: 'watched' },
    ]);
    expect(store.requests.events('unknown')).toEqual([]);
  });
});

describe('stats', () => {
  it('is empty before any request', () => {
    expect(store.analytics.stats()).toEqual({
      pending: 0,
      total: 0,
      byKind: {},
      byStatus: {},
      approvalRate: null,
      responseTimeMs: { mean: null, p50: null, p90: null },
      expired: 0,
      escalationsByReason: [],
      approvals: { approved: 0, rejected: 0 },
      responseTimeHistogram: emptyHistogram(),
      expiredByAgent: [],
      policy: { byRule: [], byGrant: 0, blockedByGuardrail: 0 },
      reviewers: [],
    });
  });

  it('counts, rates human approvals and takes percentiles of human response times', () => {
    // Ten human-decided approvals, waits 1 s … 10 s, 7 approved.
    for (let i = 1; i <= 10; i++) {
      const r = insert();
      store.requests.settle(decision(r, { waitMs: i * 1000, response: { approved: i <= 7 } as Decision['response'], via: i % 2 ? 'socket' : 'rest' }));
    }
    // Not human: an auto-approval on timeout and a cancel; they count as statuses only.
    const auto = insert({ severity: 'low', onTimeout: 'approve' });
    store.requests.settle(decision(auto, { waitMs: 50_000, status: 'expired', respondedBy: 'timeout', via: 'timeout' }));
    const cancelled = insert();
    store.requests.settle(decision(cancelled, { waitMs: 60_000, status: 'cancelled', response: null, respondedBy: 'agent', via: 'agent' }));
    // Pending ones of other kinds.
    insert({ kind: 'escalation', reason: 'tests still failing' });
    insert({ kind: 'escalation', reason: 'tests still failing' });
    insert({ kind: 'escalation', reason: 'missing credentials' });
    insert({ kind: 'checkpoint', phase: 'copy', progress: 0.5 });

    expect(store.analytics.stats()).toEqual({
      pending: 4,
      total: 16,
      byKind: {
        approval: { resolved: 10, expired: 1, cancelled: 1 },
        escalation: { pending: 3 },
        checkpoint: { pending: 1 },
      },
      byStatus: { resolved: 10, expired: 1, cancelled: 1, pending: 4 },
      approvalRate: 0.7,
      responseTimeMs: { mean: 5500, p50: 5000, p90: 9000 },
      expired: 1,
      escalationsByReason: [
        { reason: 'tests still failing', count: 2 },
        { reason: 'missing credentials', count: 1 },
      ],
      approvals: { approved: 7, rejected: 3 },
      // Waits of 1 s … 10 s, all within the first bucket; the timeout's 50 s is not a human's.
      responseTimeHistogram: emptyHistogram({ 10_000: 10 }),
      expiredByAgent: [{ agentId: null, count: 1 }],
      policy: { byRule: [], byGrant: 0, blockedByGuardrail: 0 },
      reviewers: [],
    });
  });

  it('counts per reviewer what it decided, what it left to a person and why, and whether the person agreed', () => {
    const byJudge = (approved: boolean, fields: Partial<Decision> = {}) =>
      store.requests.settle(decision(insert(), { waitMs: 100, response: { approved } as Decision['response'], respondedBy: 'judge', via: 'judge', confidence: 0.9, ...fields }));
    byJudge(true);
    byJudge(true, { status: 'blocked', guardrail: { id: 'code-safety', reason: 'rm -rf' } }); // approved by the judge, then blocked
    byJudge(false);
    const byCommand = insert({ kind: 'external', tool: { name: 'curl' } });
    store.requests.settle(decision(byCommand, { waitMs: 100, status: 'blocked', response: null, respondedBy: 'reviewer:lint-check', via: 'reviewer' }));
    // Left to a person: the judge leaned approve and the person approved; leaned deny and the person approved; failed and the person rejected; one still pending.
    const left = (reviewer: string, verdict: 'approve' | 'deny' | 'unsure' | 'error', person?: boolean) => {
      const r = insert();
      store.reviews.put(r.id, { reviewer, verdict, reasoning: 'r' });
      if (person !== undefined) store.requests.settle(decision(r, { waitMs: 1000, response: { approved: person } as Decision['response'] }));
    };
    left('judge', 'approve', true);
    left('judge', 'deny', true);
    left('judge', 'error', false);
    left('judge', 'unsure');
    left('lint-check', 'unsure', true);
    // An expired one was left to nobody's answer.
    const expired = insert();
    store.reviews.put(expired.id, { reviewer: 'lint-check', verdict: 'error', reasoning: 'timed out' });
    store.requests.settle(decision(expired, { waitMs: 5000, status: 'expired', response: null, respondedBy: 'timeout', via: 'timeout' }));

    expect(store.analytics.stats().reviewers).toEqual([
      { reviewer: 'judge', approved: 2, denied: 1, unsure: 3, failed: 1, personApproved: 2, personRejected: 1, leaned: 2, agreed: 1 },
      { reviewer: 'lint-check', approved: 0, denied: 1, unsure: 1, failed: 1, personApproved: 1, personRejected: 0, leaned: 0, agreed: 0 },
    ]);
  });

  it('counts human answers of every kind in response times, only approvals in the approval rate', () => {
    const edit = insert({ kind: 'edit', draft: { format: 'text', content: 'x' } });
    store.requests.settle(decision(edit, { waitMs: 3000, response: { action: 'reject' } as Decision['response'] }));
    expect(store.analytics.stats()).toMatchObject({ approvalRate: null, responseTimeMs: { mean: 3000, p50: 3000, p90: 3000 } });
    const approval = insert();
    store.requests.settle(decision(approval, { waitMs: 1000, response: { approved: false } as Decision['response'] }));
    expect(store.analytics.stats()).toMatchObject({ approvalRate: 0, responseTimeMs: { mean: 2000, p50: 1000, p90: 3000 } });
  });
});

describe('stats for charts', () => {
  it('buckets human response times by their upper bound, the longest in the open last bucket', () => {
    const waits = [0, 10_000, 10_001, 45_000, 60_000, 4 * 60_000, 20 * 60_000, 2 * HOUR, 5 * HOUR, 20 * HOUR, 3 * 24 * HOUR];
    for (const waitMs of waits) store.requests.settle(decision(insert({ kind: 'clarification', options: [{ id: 'a', label: 'A' }] }), { waitMs, response: { optionId: 'a' } as Decision['response'] }));
    // Not human: never counted.
    store.requests.settle(decision(insert(), { waitMs: 1000, status: 'cancelled', response: null, respondedBy: 'agent', via: 'agent' }));
    expect(store.analytics.stats().responseTimeHistogram).toEqual([
      { upToMs: 10_000, count: 2 },
      { upToMs: 30_000, count: 1 },
      { upToMs: 60_000, count: 2 },
      { upToMs: 300_000, count: 1 },
      { upToMs: 900_000, count: 0 },
      { upToMs: 3_600_000, count: 1 },
      { upToMs: 14_400_000, count: 1 },
      { upToMs: 86_400_000, count: 2 },
      { upToMs: null, count: 1 },
    ]);
    expect(store.analytics.stats().responseTimeHistogram.reduce((sum, b) => sum + b.count, 0)).toBe(waits.length);
  });

  it('counts human approvals by outcome, leaving out timeouts and other kinds', () => {
    for (const approved of [true, true, false]) store.requests.settle(decision(insert(), { waitMs: 1000, response: { approved } as Decision['response'] }));
    const auto = insert({ severity: 'low', onTimeout: 'approve' });
    store.requests.settle(decision(auto, { waitMs: HOUR, status: 'expired', respondedBy: 'timeout', via: 'timeout' }));
    store.requests.settle(decision(insert({ kind: 'edit', draft: { format: 'text', content: 'x' } }), { waitMs: 1000, response: { action: 'reject' } as Decision['response'] }));
    expect(store.analytics.stats()).toMatchObject({ approvals: { approved: 2, rejected: 1 }, approvalRate: 2 / 3 });
  });

  it('counts expiries per agent, most first, ties by name, requests without an agent as null', () => {
    const expire = (fields: Record<string, unknown>) =>
      store.requests.settle(decision(insert(fields), { waitMs: HOUR, status: 'expired', response: null, respondedBy: 'timeout', via: 'timeout' }));
    expire({ agentId: 'deploy-bot' });
    expire({ agentId: 'deploy-bot' });
    expire({ agentId: 'deploy-bot' });
    expire({ agentId: 'backup-bot' });
    expire({ agentId: 'cleanup-bot' });
    expire({});
    expire({});
    // Pending and human-decided requests of an agent do not count.
    insert({ agentId: 'quiet-bot' });
    store.requests.settle(decision(insert({ agentId: 'quiet-bot' }), { waitMs: 1000 }));
    expect(store.analytics.stats().expiredByAgent).toEqual([
      { agentId: 'deploy-bot', count: 3 },
      { agentId: null, count: 2 },
      { agentId: 'backup-bot', count: 1 },
      { agentId: 'cleanup-bot', count: 1 },
    ]);
    expect(store.analytics.stats().expired).toBe(7);
  });

  it('lists at most 20 agents in expiries', () => {
    for (let i = 0; i < 25; i++) {
      store.requests.settle(decision(insert({ agentId: `bot-${String(i).padStart(2, '0')}` }), { waitMs: HOUR, status: 'expired', response: null, respondedBy: 'timeout', via: 'timeout' }));
    }
    const byAgent = store.analytics.stats().expiredByAgent;
    expect(byAgent).toHaveLength(20);
    expect(byAgent[0]).toEqual({ agentId: 'bot-00', count: 1 });
  });
});

describe('runs', () => {
  it('summarises runs, newest activity first, and waits until now while pending', () => {
    const a1 = insert({ runId: 'run-a', agentId: 'bot-a' });
    const b1 = insert({ runId: 'run-b', agentId: 'bot-b' });
    const a2 = insert({ runId: 'run-a', agentId: 'bot-a' });
    insert(); // no run
    store.requests.settle(decision(a1, { waitMs: 500 }));
    store.requests.settle(decision(a2, { waitMs: 700 }));
    const now = b1.createdAt + 10_000;

    expect(store.analytics.listRuns(10, now)).toEqual([
      { runId: 'run-a', agentId: 'bot-a', status: 'running', requests: 2, pending: 0, firstAt: a1.createdAt, lastAt: a2.createdAt, waitedMs: 1200 },
      { runId: 'run-b', agentId: 'bot-b', status: 'waiting for human', requests: 1, pending: 1, firstAt: b1.createdAt, lastAt: b1.createdAt, waitedMs: 10_000 },
    ]);
    expect(store.analytics.listRuns(1, now).map((r) => r.runId)).toEqual(['run-a']);
  });

  it('gives a run timeline in order', () => {
    const first = insert({ runId: 'run-a', agentId: 'bot-a', kind: 'checkpoint', title: 'Halfway', phase: 'copy', progress: 0.5 });
    const second = insert({ runId: 'run-a', agentId: 'bot-a', title: 'Drop old table' });
    store.requests.settle(decision(first, { waitMs: 2000, response: { action: 'continue' } as Decision['response'], respondedBy: 'bob' }));
    const now = second.createdAt + 3000;

    expect(store.analytics.getRun('run-a', now)).toEqual({
      runId: 'run-a',
      agentId: 'bot-a',
      status: 'waiting for human',
      requests: 2,
      pending: 1,
      firstAt: first.createdAt,
      lastAt: second.createdAt,
      waitedMs: 5000,
      timeline: [
        { requestId: first.id, kind: 'checkpoint', title: 'Halfway', status: 'resolved', createdAt: first.createdAt, respondedBy: 'bob', respondedAt: first.createdAt + 2000, waitMs: 2000 },
        { requestId: second.id, kind: 'approval', title: 'Drop old table', status: 'pending', createdAt: second.createdAt, respondedBy: null, respondedAt: null, waitMs: 3000 },
      ],
    });
    expect(store.analytics.getRun('run-unknown', now)).toBeUndefined();
  });

  it('takes the first agentId of a run that began without one', () => {
    insert({ runId: 'run-x' });
    insert({ runId: 'run-x', agentId: 'late-bot' });
    expect(store.analytics.getRun('run-x', T0 + HOUR)?.agentId).toBe('late-bot');
  });
});

describe('feedback', () => {
  const base = { aspect: 'tone', content: 'Too formal for the changelog', importance: 0.5 };

  it('records feedback and returns the stored record', () => {
    const record = store.feedback.add({ ...base, agentId: 'writer', type: 'correction', requestId: 'req-1' }, 'alice', null, T0);
    expect(record).toEqual({ ...base, agentId: 'writer', type: 'correction', requestId: 'req-1', id: 1, recordedBy: 'alice', createdAt: T0 });
    expect(store.feedback.list({ limit: 10 })).toEqual([record]);
  });

  it('counts the records about one agentId', () => {
    store.feedback.add({ ...base, agentId: 'writer', type: 'praise' }, 'writer', null, T0);
    store.feedback.add({ ...base, agentId: 'writer', type: 'correction' }, 'alice', null, T0);
    store.feedback.add({ ...base, agentId: 'reader', type: 'praise' }, 'reader', null, T0);
    expect([store.feedback.count('writer', null), store.feedback.count('reader', null), store.feedback.count('nobody', null)]).toEqual([2, 1, 0]);
  });

  it('keeps each machine\'s feedback apart: counted and listed per machine, all of it for approvers', () => {
    store.feedback.add({ ...base, agentId: 'writer', type: 'correction' }, 'alice', null, T0);
    store.feedback.add({ ...base, agentId: 'writer', type: 'praise' }, 'writer', 'build-box', T0);
    expect([store.feedback.count('writer', null), store.feedback.count('writer', 'build-box'), store.feedback.count('writer', 'other')]).toEqual([1, 1, 0]);
    expect(store.feedback.list({ limit: 10 }, null).map((f) => f.type)).toEqual(['correction']);
    expect(store.feedback.list({ limit: 10 }, 'build-box').map((f) => f.type)).toEqual(['praise']);
    expect(store.feedback.list({ limit: 10 })).toHaveLength(2);
  });

  it('leaves requestId out when there is none', () => {
    store.feedback.add({ ...base, agentId: 'writer', type: 'praise' }, 'alice', null, T0);
    expect(store.feedback.list({ limit: 10 })[0]).not.toHaveProperty('requestId');
  });

  it('lists newest first, filtered by agent and type, up to the limit', () => {
    const add = (agentId: string, type: 'correction' | 'praise' | 'preference', at: number) =>
      store.feedback.add({ ...base, agentId, type, content: `${agentId} ${type} ${at}` }, 'alice', null, at).id;
    const ids = [
      add('writer', 'correction', 1),
      add('writer', 'praise', 2),
      add('coder', 'correction', 3),
      add('writer', 'correction', 4),
      add('coder', 'preference', 5),
    ];
    expect(store.feedback.list({ limit: 50 }).map((f) => f.id)).toEqual([...ids].reverse());
    expect(store.feedback.list({ agentId: 'writer', limit: 50 }).map((f) => f.id)).toEqual([ids[3], ids[1], ids[0]]);
    expect(store.feedback.list({ type: 'correction', limit: 50 }).map((f) => f.id)).toEqual([ids[3], ids[2], ids[0]]);
    expect(store.feedback.list({ agentId: 'writer', type: 'correction', limit: 50 }).map((f) => f.id)).toEqual([ids[3], ids[0]]);
    expect(store.feedback.list({ agentId: 'writer', type: 'correction', limit: 1 }).map((f) => f.id)).toEqual([ids[3]]);
    expect(store.feedback.list({ agentId: 'nobody', limit: 50 })).toEqual([]);
  });
});
