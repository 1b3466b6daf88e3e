// @ts-check
/**
 * Reads a hub's SQLite file directly (better-sqlite3, the hub's own driver): what is
 * really on disk, independent of what the hub answers.
 */
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';

/**
 * Opens the database; read-only while a hub runs on it (WAL lets readers in), read-write
 * after a crash so SQLite recovers the WAL as the next hub start would.
 * @param {string} path
 * @param {{ readonly?: boolean }} [options]
 */
export function openDb(path, options = {}) {
  return new Database(path, { readonly: options.readonly ?? false, fileMustExist: true, timeout: 10_000 });
}

/** @param {import('better-sqlite3').Database} db */
export function integrityCheck(db) {
  const rows = /** @type {{ integrity_check: string }[]} */ (db.pragma('integrity_check'));
  return rows.map((r) => r.integrity_check).join('; ');
}

/**
 * SHA-256 of the given requests and their decisions as stored (every column), in id order.
 * @param {string} path
 * @param {string[]} ids
 */
export function checksumRequests(path, ids) {
  const db = openDb(path, { readonly: true });
  try {
    const hash = createHash('sha256');
    const request = db.prepare('SELECT * FROM requests WHERE id = ?');
    const decision = db.prepare('SELECT * FROM decisions WHERE request_id = ?');
    for (const id of [...ids].sort()) {
      hash.update(JSON.stringify(request.get(id) ?? null));
      hash.update(JSON.stringify(decision.get(id) ?? null));
    }
    return hash.digest('hex');
  } finally {
    db.close();
  }
}
