import Database from 'better-sqlite3';
import { AuditLog } from './audit-log.js';
import { DeviceStore } from './device-store.js';
import { GrantStore } from './grant-store.js';
import { MachineStore } from './machine-store.js';
import { MIGRATIONS } from './migrations.js';
import { ensurePrivateFile } from './private-files.js';
import { PushSubscriptions } from './push-store.js';
import type { RequestStore } from './request-store.js';
import { SqliteReviews } from './review-store.js';
import { SqliteAnalytics } from './sqlite-analytics.js';
import { BackgroundCheckpoints } from './sqlite-checkpoints.js';
import { SqliteFeedback } from './sqlite-feedback.js';
import { SqlitePairing } from './sqlite-pairing.js';
import { SqliteRequests } from './sqlite-requests.js';

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
 * {@link RequestStore} on better-sqlite3: opens the file, migrates it, and composes one
 * module per kind of record over the one connection. WAL with `synchronous=NORMAL`:
 * every commit survives a crash of the hub process; a power cut may lose the last
 * commits (SQLite's documented WAL trade-off), never corrupt the file.
 */
export class SqliteStore implements RequestStore {
  private readonly db: Database.Database;
  private readonly checkpoints: BackgroundCheckpoints | null = null;
  readonly requests: SqliteRequests;
  readonly analytics: SqliteAnalytics;
  readonly feedback: SqliteFeedback;
  readonly pairing: SqlitePairing;
  readonly devices: DeviceStore;
  readonly grants: GrantStore;
  readonly machines: MachineStore;
  readonly audit: AuditLog;
  readonly reviews: SqliteReviews;
  readonly push: PushSubscriptions;

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
    const db = this.db;
    if (options.backgroundCheckpoints && !db.memory) this.checkpoints = BackgroundCheckpoints.start(db, file);
    const checkpoints = this.checkpoints;
    const noteWrite = checkpoints ? () => checkpoints.noteWrite() : () => {};
    this.audit = new AuditLog(db);
    this.requests = new SqliteRequests(db, noteWrite, this.audit);
    this.analytics = new SqliteAnalytics(db);
    this.feedback = new SqliteFeedback(db, noteWrite);
    this.pairing = new SqlitePairing(db);
    this.devices = new DeviceStore(db);
    this.grants = new GrantStore(db);
    this.machines = new MachineStore(db);
    this.reviews = new SqliteReviews(db, noteWrite);
    this.push = new PushSubscriptions(db);
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

  dataVersion(): number {
    return this.db.pragma('data_version', { simple: true }) as number;
  }

  /** Stops the checkpointer first: the hub's connection closes last and removes the WAL. */
  close(): void {
    this.checkpoints?.stop();
    if (this.db.open) this.db.close();
  }
}
