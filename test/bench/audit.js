// @ts-check
/**
 * The audit log's cost (part of `npm run bench`; also `node test/bench/audit.js` after a build).
 * A fresh store over real SQLite in a temp dir, 100,000 requests settled one commit each,
 * as the hub settles them (the decision and its audit entry in one transaction), then:
 *   audit_verify_ms_per_10k  `store.audit.verify()` over the whole chain, per 10,000 entries
 *   settle_us                mean time of one settle (decision + audit append + commit)
 *   last_entry_us            the read each append does inside its transaction (the chain's last row)
 * Prints `audit: audit_verify_ms_per_10k=X settle_us=Y last_entry_us=Z`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { SqliteStore } from '@signoff/desktop/hub';

const ENTRIES = 100_000;

/** @param {number} value @param {number} digits */
const fmt = (value, digits) => value.toFixed(digits);

export async function benchAudit() {
  const dir = mkdtempSync(join(tmpdir(), 'signoff-bench-audit-'));
  const file = join(dir, 'signoff.db');
  const store = new SqliteStore(file);
  try {
    const t0 = Date.UTC(2026, 0, 1);
    let settleMs = 0;
    for (let i = 0; i < ENTRIES; i++) {
      const createdAt = t0 + i;
      /** @type {any} */
      const request = {
        kind: 'approval',
        title: `Run the tests ${i}`,
        severity: 'medium',
        agentId: 'bench',
        action: { name: 'Bash', args: { command: `npm test -- --run ${i}`, description: 'run the test suite' } },
        id: `req-${i}`,
        createdAt,
        expiresAt: createdAt + 60_000,
        status: 'pending',
        onTimeout: 'expire',
      };
      store.requests.insert(request, 'owner');
      /** @type {any} */
      const decision = { requestId: request.id, status: 'resolved', response: { approved: true }, respondedBy: 'Ada', via: 'socket', respondedAt: createdAt + 5, waitMs: 5 };
      const start = performance.now();
      if (!store.requests.settle(decision, request)) throw new Error(`request ${request.id} did not settle`);
      settleMs += performance.now() - start;
    }
    const verifyStart = performance.now();
    const verdict = store.audit.verify();
    const verifyMs = performance.now() - verifyStart;
    if (!verdict.ok || verdict.entries !== ENTRIES) throw new Error(`audit verify: ${JSON.stringify(verdict)}`);

    const db = new Database(file, { readonly: true });
    const last = db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1');
    const reads = 100_000;
    const readStart = performance.now();
    for (let i = 0; i < reads; i++) last.get();
    const lastEntryUs = ((performance.now() - readStart) * 1000) / reads;
    db.close();

    return { auditVerifyMsPer10k: (verifyMs * 10_000) / ENTRIES, settleUs: (settleMs * 1000) / ENTRIES, lastEntryUs };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** @param {{ auditVerifyMsPer10k: number, settleUs: number, lastEntryUs: number }} figures */
export function auditLine(figures) {
  return `audit: audit_verify_ms_per_10k=${fmt(figures.auditVerifyMsPer10k, 1)} settle_us=${fmt(figures.settleUs, 1)} last_entry_us=${fmt(figures.lastEntryUs, 2)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(`audit log: ${ENTRIES} decisions settled, then the chain verified …`);
  console.log(auditLine(await benchAudit()));
}
