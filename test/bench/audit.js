// @ts-check
/**
 * The audit log's cost (part of `npm run bench`; also `node test/bench/audit.js` after a build).
 *   settle_us                mean time of one settle over 10,000, each its own commit, as the hub
 *                            makes them (decision + audit append + commit; background checkpoints)
 *   last_entry_us            the read each append does inside its transaction (the chain's last row)
 *   audit_verify_ms_per_10k  `verify()` over a chain of 100,000 entries, per 10,000 entries (the
 *                            entries past the first 10,000 are appended in batches, to fill it fast)
 * Prints `audit: audit_verify_ms_per_10k=X settle_us=Y last_entry_us=Z`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { SqliteStore } from '@signoff/desktop/hub';
import { AuditLog } from '../../desktop/dist/hub/audit-log.js';

const ENTRIES = 100_000;
const SETTLED = 10_000;

/** @param {number} value @param {number} digits */
const fmt = (value, digits) => value.toFixed(digits);

/** @param {number} i */
function approval(i) {
  const createdAt = Date.UTC(2026, 0, 1) + i;
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
  /** @type {any} */
  const decision = { requestId: request.id, status: 'resolved', response: { approved: true }, respondedBy: 'Ada', via: 'socket', respondedAt: createdAt + 5, waitMs: 5 };
  return { request, decision };
}

export async function benchAudit() {
  const dir = mkdtempSync(join(tmpdir(), 'signoff-bench-audit-'));
  const file = join(dir, 'signoff.db');
  try {
    const store = new SqliteStore(file, { backgroundCheckpoints: true });
    let settleMs = 0;
    try {
      for (let i = 0; i < SETTLED; i++) {
        const { request, decision } = approval(i);
        store.requests.insert(request, 'owner');
        const start = performance.now();
        if (!store.requests.settle(decision, request)) throw new Error(`request ${request.id} did not settle`);
        settleMs += performance.now() - start;
      }
    } finally {
      store.close();
    }

    const db = new Database(file);
    try {
      const log = new AuditLog(db);
      const batch = db.transaction((/** @type {number} */ from) => {
        for (let i = from; i < Math.min(from + 10_000, ENTRIES); i++) {
          const { request, decision } = approval(i);
          log.append(request, decision, JSON.stringify(decision.response));
        }
      });
      for (let from = SETTLED; from < ENTRIES; from += 10_000) batch(from);

      const verifyStart = performance.now();
      const verdict = log.verify();
      const verifyMs = performance.now() - verifyStart;
      if (!verdict.ok || verdict.entries !== ENTRIES) throw new Error(`audit verify: ${JSON.stringify(verdict)}`);

      const last = db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1');
      const reads = 100_000;
      const readStart = performance.now();
      for (let i = 0; i < reads; i++) last.get();
      const lastEntryUs = ((performance.now() - readStart) * 1000) / reads;
      return { auditVerifyMsPer10k: (verifyMs * 10_000) / ENTRIES, settleUs: (settleMs * 1000) / SETTLED, lastEntryUs };
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** @param {{ auditVerifyMsPer10k: number, settleUs: number, lastEntryUs: number }} figures */
export function auditLine(figures) {
  return `audit: audit_verify_ms_per_10k=${fmt(figures.auditVerifyMsPer10k, 1)} settle_us=${fmt(figures.settleUs, 1)} last_entry_us=${fmt(figures.lastEntryUs, 2)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(`audit log: ${SETTLED} decisions settled, a chain of ${ENTRIES} verified …`);
  console.log(auditLine(await benchAudit()));
}
