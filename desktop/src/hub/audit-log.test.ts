import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson, type Decision, type SignoffRequest } from '@signoff/shared';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH } from './audit-log.js';
import { SqliteStore } from './sqlite-store.js';

const T0 = Date.UTC(2026, 0, 1);
const OWNER = 'agent-0123456789ab';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let dir: string;
let file: string;
let store: SqliteStore;
let n = 0;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'signoff-audit-'));
  file = join(dir, 'signoff.db');
  store = new SqliteStore(file);
  n = 0;
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function pending(fields: Record<string, unknown> = {}): SignoffRequest {
  n += 1;
  const r = {
    kind: 'approval',
    title: `Request ${n}`,
    severity: 'medium',
    agentId: 'claude',
    action: { name: 'Bash', args: { command: `echo ${n}` } },
    id: `req-${String(n).padStart(3, '0')}`,
    createdAt: T0 + n * 1000,
    expiresAt: T0 + n * 1000 + 60_000,
    status: 'pending',
    onTimeout: 'expire',
    ...fields,
  } as SignoffRequest;
  expect(store.requests.insert(r, OWNER).created).toBe(true);
  return r;
}

function settle(r: SignoffRequest, fields: Partial<Decision> = {}): Decision {
  const d: Decision = { requestId: r.id, status: 'resolved', response: { approved: true }, respondedBy: 'ana', via: 'socket', respondedAt: r.createdAt + 500, waitMs: 500, ...fields } as Decision;
  expect(store.requests.settle(d, r)).toBe(true);
  return d;
}

/** Five decisions of different kinds and surfaces, the chain's history. */
function history(): Decision[] {
  return [
    settle(pending()),
    settle(pending(), { response: { approved: true, editedArgs: { command: 'echo safe' } } as Decision['response'] }),
    settle(pending({ kind: 'external', tool: { name: 'deploy', args: { env: 'prod' } }, action: undefined }), { status: 'expired', response: null, respondedBy: 'timeout', via: 'timeout' }),
    settle(pending({ kind: 'notify', action: undefined }), { status: 'cancelled', response: null, respondedBy: 'agent', via: 'agent' }),
    settle(pending(), { response: { approved: false, reason: 'no' } as Decision['response'], respondedBy: 'rule:deny-rm', via: 'rule', rule: 'deny-rm' }),
  ];
}

describe('AuditLog', () => {
  it('appends every decision in its own commit, chained, and the decision carries its receipt', () => {
    const decisions = history();
    const entries = [...store.audit.entries()];
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(entries[0]!.prevHash).toBe(GENESIS_HASH);
    entries.forEach((e, i) => {
      if (i > 0) expect(e.prevHash).toBe(entries[i - 1]!.hash);
      expect(decisions[i]!.receipt).toEqual({ seq: e.seq, hash: e.hash, actionDigest: e.actionDigest });
      // Reads return the receipt too.
      expect(store.requests.get(e.request.id)!.decision!.receipt).toEqual(decisions[i]!.receipt);
    });
    expect(entries[4]).toMatchObject({
      request: { id: 'req-005', kind: 'approval', title: 'Request 5', agentId: 'claude', severity: 'medium' },
      decision: { status: 'resolved', response: { approved: false, reason: 'no' } },
      by: 'rule:deny-rm',
      via: 'rule',
    });
    expect(store.audit.verify()).toEqual({ ok: true, entries: 5 });
  });

  it('digests the action as approved: the edited arguments when given, the tool of an external request, null otherwise', () => {
    const [plain, edited, external, notice] = history();
    expect(plain!.receipt!.actionDigest).toBe(sha256(canonicalJson({ name: 'Bash', args: { command: 'echo 1' } })));
    expect(edited!.receipt!.actionDigest).toBe(sha256(canonicalJson({ args: { command: 'echo safe' }, name: 'Bash' })));
    expect(external!.receipt!.actionDigest).toBe(sha256('{"args":{"env":"prod"},"name":"deploy"}'));
    expect(notice!.receipt!.actionDigest).toBe(sha256('null'));
  });

  it('reads the request back when the caller does not pass it, and appends nothing for a request no longer pending', () => {
    const r = pending();
    const d: Decision = { requestId: r.id, status: 'cancelled', response: null, respondedBy: 'agent', via: 'agent', respondedAt: T0, waitMs: 0 };
    expect(store.requests.settle(d)).toBe(true);
    expect(d.receipt?.seq).toBe(1);
    expect(store.requests.settle({ ...d, receipt: undefined }, r)).toBe(false);
    expect([...store.audit.entries()]).toHaveLength(1);
  });

  it('chains onto entries another connection wrote to the same file', () => {
    settle(pending());
    const other = new SqliteStore(file);
    try {
      const r = pending();
      const d: Decision = { requestId: r.id, status: 'resolved', response: { approved: true }, respondedBy: 'bob', via: 'rest', respondedAt: T0, waitMs: 0 } as Decision;
      expect(other.requests.settle(d, r)).toBe(true);
      expect(d.receipt!.seq).toBe(2);
    } finally {
      other.close();
    }
    expect(settle(pending()).receipt!.seq).toBe(3);
    expect(store.audit.verify()).toEqual({ ok: true, entries: 3 });
  });

  describe('verify names the first broken entry', () => {
    let raw: Database.Database;
    beforeEach(() => {
      history();
      raw = new Database(file);
    });
    afterEach(() => raw.close());

    it('when a row was changed', () => {
      raw.prepare(`UPDATE audit SET response = '{"approved":true}' WHERE seq = 5`).run();
      expect(store.audit.verify()).toEqual({ ok: false, entries: 4, seq: 5, problem: 'its content does not match its hash (the row was changed)' });
      raw.prepare(`UPDATE audit SET responded_by = 'mallory' WHERE seq = 2`).run();
      expect(store.audit.verify()).toMatchObject({ ok: false, entries: 1, seq: 2 });
    });

    it('when a row was changed and rehashed: the next entry no longer chains', () => {
      const row = raw.prepare(`SELECT * FROM audit WHERE seq = 3`).get() as Record<string, unknown>;
      const entry = [...store.audit.entries()][2]!;
      const forged = { ...entry, by: 'mallory' };
      const { hash: _hash, prevHash, ...body } = forged;
      const hash = sha256(`${prevHash}\n${canonicalJson(body)}`);
      raw.prepare(`UPDATE audit SET responded_by = 'mallory', hash = ? WHERE seq = 3`).run(hash);
      expect(row.hash).not.toBe(hash);
      expect(store.audit.verify()).toEqual({ ok: false, entries: 3, seq: 4, problem: "its prevHash is not the previous entry's hash" });
    });

    it('when a row was deleted', () => {
      raw.prepare(`DELETE FROM audit WHERE seq = 2`).run();
      expect(store.audit.verify()).toEqual({ ok: false, entries: 1, seq: 3, problem: 'expected entry 2 here: 1 missing before it' });
    });
  });

  it('exports every decision with its request, in the order written, within a time range', () => {
    const decisions = history();
    const all = [...store.audit.decisions()];
    expect(all.map((e) => e.decision)).toEqual(decisions);
    expect(all[0]!.request).toEqual({ id: 'req-001', kind: 'approval', title: 'Request 1', agentId: 'claude', machine: null, runId: null, severity: 'medium', createdAt: T0 + 1000 });
    const some = [...store.audit.decisions({ since: decisions[1]!.respondedAt, until: decisions[3]!.respondedAt })];
    expect(some.map((e) => e.request.id)).toEqual(['req-002', 'req-003']);
  });

  it('pages the export: the pages join into the whole, bounded by count and by bytes, never empty while any are left', () => {
    history();
    const all = [...store.audit.decisions()];
    const pages: string[][] = [];
    let after = 0;
    for (;;) {
      const page = store.audit.decisionsPage({}, after, 2, Number.MAX_SAFE_INTEGER);
      pages.push(page.entries.map((e) => e.request.id));
      if (page.next === null) break;
      after = page.next;
    }
    expect(pages).toEqual([['req-001', 'req-002'], ['req-003', 'req-004'], ['req-005']]);
    // Past the byte bound a page ends early, but always holds one decision.
    const tiny = store.audit.decisionsPage({}, 0, 5, 1);
    expect(tiny.entries.map((e) => e.request.id)).toEqual(['req-001']);
    expect(store.audit.decisionsPage({}, tiny.next!, 5, 1).entries.map((e) => e.request.id)).toEqual(['req-002']);
    // A page that ends the log says so; a range is kept across pages.
    expect(store.audit.decisionsPage({}, 0, 5, Number.MAX_SAFE_INTEGER)).toEqual({ entries: all, next: null });
    const ranged = store.audit.decisionsPage({ since: all[1]!.decision.respondedAt, until: all[3]!.decision.respondedAt }, 0, 1, Number.MAX_SAFE_INTEGER);
    expect(ranged.entries.map((e) => e.request.id)).toEqual(['req-002']);
    expect(store.audit.decisionsPage({ since: all[1]!.decision.respondedAt, until: all[3]!.decision.respondedAt }, ranged.next!, 1, Number.MAX_SAFE_INTEGER)).toEqual({ entries: [all[2]], next: null });
  });
});
