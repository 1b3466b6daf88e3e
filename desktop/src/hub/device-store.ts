import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { DeviceInfo } from '@signoff/shared';

/** A paired approver device as stored. */
export interface DeviceRecord extends DeviceInfo {
  /** SPKI base64url for `key` devices. */
  publicKey: string | null;
}

export interface NewDevice {
  name: string;
  /** A `key` device authenticates by challenge with this key… */
  publicKey?: string;
  /** …a `token` device by the SHA-256 of its bearer token. */
  tokenHash?: string;
  ephemeral?: boolean;
}

interface DeviceRow {
  id: string;
  name: string;
  public_key: string | null;
  ephemeral: number;
  created_at: number;
  last_seen_at: number | null;
}

const COLUMNS = 'id, name, public_key, ephemeral, created_at, last_seen_at';

function toRecord(row: DeviceRow): DeviceRecord {
  return {
    id: row.id,
    name: row.name,
    credential: row.public_key ? 'key' : 'token',
    ephemeral: row.ephemeral === 1,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    publicKey: row.public_key,
  };
}

/**
 * Paired approver devices (the `approvers` table): who may decide. Only active
 * (unrevoked) devices are ever returned, so a revoked one is gone for every check.
 */
export class DeviceStore {
  private readonly stmt;

  private readonly revokeWithPush: (id: string, now: number) => boolean;

  constructor(db: Database.Database) {
    this.stmt = {
      add: db.prepare(`INSERT INTO approvers (id, name, token_hash, public_key, ephemeral, created_at) VALUES (?, ?, ?, ?, ?, ?)`),
      byToken: db.prepare(`SELECT ${COLUMNS} FROM approvers WHERE token_hash = ? AND revoked_at IS NULL`),
      byId: db.prepare(`SELECT ${COLUMNS} FROM approvers WHERE id = ? AND revoked_at IS NULL`),
      isActive: db.prepare(`SELECT 1 FROM approvers WHERE id = ? AND revoked_at IS NULL`).pluck(),
      list: db.prepare(`SELECT ${COLUMNS} FROM approvers WHERE revoked_at IS NULL ORDER BY created_at, id`),
      revoke: db.prepare(`UPDATE approvers SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`),
      // Devices are revoked, not deleted, so ON DELETE CASCADE never fires: their push subscriptions go here.
      dropPush: db.prepare(`DELETE FROM push_subscriptions WHERE device_id = ?`),
      touch: db.prepare(`UPDATE approvers SET last_seen_at = ? WHERE id = ?`),
      revoked: db.prepare(`SELECT id FROM approvers WHERE revoked_at IS NOT NULL`),
      staleEphemeral: db.prepare(`SELECT id FROM approvers
        WHERE ephemeral = 1 AND revoked_at IS NULL AND ifnull(last_seen_at, created_at) < ?`),
    };
    this.revokeWithPush = db.transaction((id: string, now: number): boolean => {
      if (this.stmt.revoke.run(now, id).changes === 0) return false;
      this.stmt.dropPush.run(id);
      return true;
    });
  }

  add(device: NewDevice, now: number): DeviceRecord {
    const id = randomUUID();
    // token_hash is NOT NULL UNIQUE: a key device gets a placeholder no SHA-256 hex can equal.
    const tokenHash = device.tokenHash ?? `key:${id}`;
    this.stmt.add.run(id, device.name, tokenHash, device.publicKey ?? null, device.ephemeral ? 1 : 0, now);
    return this.byId(id)!;
  }

  byTokenHash(tokenHash: string): DeviceRecord | undefined {
    const row = this.stmt.byToken.get(tokenHash) as DeviceRow | undefined;
    return row ? toRecord(row) : undefined;
  }

  byId(id: string): DeviceRecord | undefined {
    const row = this.stmt.byId.get(id) as DeviceRow | undefined;
    return row ? toRecord(row) : undefined;
  }

  /** Whether `id` is a paired, unrevoked device: {@link byId} without building the record (asked on every decision). */
  isActive(id: string): boolean {
    return this.stmt.isActive.get(id) !== undefined;
  }

  list(): DeviceInfo[] {
    return (this.stmt.list.all() as DeviceRow[]).map((row) => {
      const { publicKey: _publicKey, ...info } = toRecord(row);
      return info;
    });
  }

  /** False when there was no such active device. Its push subscriptions go with it, in the same transaction. */
  revoke(id: string, now: number): boolean {
    return this.revokeWithPush(id, now);
  }

  touch(id: string, now: number): void {
    this.stmt.touch.run(now, id);
  }

  /** Ids of every revoked device (so a person told "no such device" can be told "already revoked" instead). */
  revokedIds(): string[] {
    return (this.stmt.revoked.all() as { id: string }[]).map((r) => r.id);
  }

  /** Ephemeral devices (browser tabs) not seen since `before`: their tab is gone. */
  staleEphemeral(before: number): string[] {
    return (this.stmt.staleEphemeral.all(before) as { id: string }[]).map((r) => r.id);
  }
}
