import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { ErrorCode, MachineNameSchema, SignoffError, validate, type MachineCreated, type MachineInfo } from '@signoff/shared';
import { hashSecret, newToken } from './auth.js';

interface MachineRow {
  id: string;
  name: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

const COLUMNS = 'id, name, created_at, last_used_at, revoked_at';

function toInfo(row: MachineRow): MachineInfo {
  return { id: row.id, name: row.name, createdAt: row.created_at, lastUsedAt: row.last_used_at, revokedAt: row.revoked_at };
}

/** How often `last_used_at` is written for one machine at most: a busy agent must not write on every call. */
const TOUCH_EVERY_MS = 60_000;

/**
 * Machine tokens (the `machine_tokens` table): agent credentials for other machines,
 * stored as SHA-256 hashes. Looked up on every call (an indexed read), never cached,
 * so a revocation — by the hub or by `signoff token revoke` on the file — counts at once.
 */
export class MachineStore {
  private readonly stmt;

  constructor(db: Database.Database) {
    this.stmt = {
      add: db.prepare(`INSERT INTO machine_tokens (id, name, token_hash, created_at) VALUES (?, ?, ?, ?)`),
      byToken: db.prepare(`SELECT ${COLUMNS} FROM machine_tokens WHERE token_hash = ? AND revoked_at IS NULL`),
      isRevokedToken: db.prepare(`SELECT 1 FROM machine_tokens WHERE token_hash = ? AND revoked_at IS NOT NULL`).pluck(),
      byId: db.prepare(`SELECT ${COLUMNS} FROM machine_tokens WHERE id = ?`),
      liveByName: db.prepare(`SELECT ${COLUMNS} FROM machine_tokens WHERE name = ? AND revoked_at IS NULL`),
      isLive: db.prepare(`SELECT 1 FROM machine_tokens WHERE id = ? AND revoked_at IS NULL`).pluck(),
      list: db.prepare(`SELECT ${COLUMNS} FROM machine_tokens ORDER BY created_at, id`),
      revoke: db.prepare(`UPDATE machine_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`),
      touch: db.prepare(`UPDATE machine_tokens SET last_used_at = ? WHERE id = ? AND ifnull(last_used_at, 0) <= ?`),
    };
  }

  /** Makes a token for a new machine; the token is returned this once, only its hash is kept. */
  create(name: unknown, now: number): MachineCreated {
    const parsed = validate(MachineNameSchema, name);
    if (!parsed.ok) throw new SignoffError(ErrorCode.invalid, `name: ${parsed.error.message.replace(/^\(root\): /, '')}`);
    if (this.stmt.liveByName.get(parsed.data)) {
      throw new SignoffError(ErrorCode.conflict, `name: a machine called ${JSON.stringify(parsed.data)} already has a token; revoke it first or pick another name`);
    }
    const id = randomUUID();
    const token = newToken();
    this.stmt.add.run(id, parsed.data, hashSecret(token), now);
    return { machine: this.byId(id)!, token };
  }

  /** The live machine whose token hashes to `tokenHash`. */
  byTokenHash(tokenHash: string): MachineInfo | undefined {
    const row = this.stmt.byToken.get(tokenHash) as MachineRow | undefined;
    return row ? toInfo(row) : undefined;
  }

  /** Whether `tokenHash` is a revoked machine token's: the hub then says so, not "unknown". */
  isRevokedToken(tokenHash: string): boolean {
    return this.stmt.isRevokedToken.get(tokenHash) !== undefined;
  }

  /** A machine by id, revoked or not. */
  byId(id: string): MachineInfo | undefined {
    const row = this.stmt.byId.get(id) as MachineRow | undefined;
    return row ? toInfo(row) : undefined;
  }

  /** Whether `id` is a machine whose token still works (asked on every event of its live sockets). */
  isLive(id: string): boolean {
    return this.stmt.isLive.get(id) !== undefined;
  }

  /** Every machine token ever made, revoked ones included (with `revokedAt`), oldest first. */
  list(): MachineInfo[] {
    return (this.stmt.list.all() as MachineRow[]).map(toInfo);
  }

  /** Revokes the machine token with this id. Returns the machine as revoked, or `undefined` when it was not live. */
  revokeById(id: string, now: number): MachineInfo | undefined {
    return this.stmt.revoke.run(now, id).changes ? this.byId(id) : undefined;
  }

  /** Revokes the live token of the machine with this id, or else this name (what a person types at the CLI). */
  revoke(idOrName: string, now: number): MachineInfo | undefined {
    const row = (this.stmt.byId.get(idOrName) as MachineRow | undefined) ?? (this.stmt.liveByName.get(idOrName) as MachineRow | undefined);
    return row ? this.revokeById(row.id, now) : undefined;
  }

  /** Notes that the machine's token was used now (at most once a minute per machine). */
  touch(id: string, now: number): void {
    this.stmt.touch.run(now, id, now - TOUCH_EVERY_MS);
  }
}
