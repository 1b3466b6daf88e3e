import type Database from 'better-sqlite3';
import type { PairingAttempt, PairingCodes } from './request-store.js';

/** {@link PairingCodes} on better-sqlite3. The CLI's `pair` writes codes while a hub may hold the file. */
export class SqlitePairing implements PairingCodes {
  private readonly stmt;

  constructor(private readonly db: Database.Database) {
    this.stmt = {
      addCode: db.prepare(`INSERT INTO pairing_codes (code_hash, expires_at) VALUES (?, ?)`),
      findCode: db.prepare(`SELECT expires_at AS expiresAt, used_at AS usedAt FROM pairing_codes WHERE code_hash = ?`),
      useCode: db.prepare(`UPDATE pairing_codes SET used_at = ? WHERE code_hash = ?`),
      expireLiveCodes: db.prepare(`UPDATE pairing_codes SET expires_at = ? WHERE used_at IS NULL AND expires_at > ?`),
    };
  }

  addCode(codeHash: string, expiresAt: number): void {
    this.stmt.addCode.run(codeHash, expiresAt);
  }

  /**
   * A wrong code writes nothing and locks nothing: it names no code, so counting it
   * against the live ones let anyone lock pairing (attempts are limited per connection
   * instead, see `pairing-attempts.ts`).
   */
  tryCode(codeHash: string, now: number): PairingAttempt {
    return this.db.transaction((): PairingAttempt => {
      const code = this.stmt.findCode.get(codeHash) as { expiresAt: number; usedAt: number | null } | undefined;
      if (code && code.usedAt === null && code.expiresAt > now) {
        this.stmt.useCode.run(now, codeHash);
        return { ok: true };
      }
      return { ok: false, reason: code && code.usedAt === null ? 'expired' : 'invalid' };
    })();
  }

  expireCodes(now: number): void {
    this.stmt.expireLiveCodes.run(now, now);
  }
}
