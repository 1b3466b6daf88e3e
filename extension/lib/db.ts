import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import { SEVERITY_RANK, type AnyResponse, type SignoffRequest } from '@signoff/shared';
import type { KeptDevice } from '@signoff/shared/approver';

/**
 * The extension's IndexedDB: everything that must outlive the MV3 service worker
 * (which Chrome stops whenever it likes) and paint the popup before the hub answers.
 */

export const DB_NAME = 'signoff';
export const DB_VERSION = 3;

/** A pending request, keyed for the popup's order: severity first (critical = 0), then age. */
export interface PendingRecord {
  id: string;
  sortKey: [number, number];
  request: SignoffRequest;
}

/** A decision the person made while the hub was unreachable. */
export interface OutboxRecord {
  requestId: string;
  title: string;
  response: AnyResponse;
  queuedAt: number;
}

export interface DraftRecord {
  requestId: string;
  draft: unknown;
  savedAt: number;
}

/** Something the person must be told once (a queued decision that could not be sent…). */
export interface NoticeRecord {
  id: string;
  text: string;
  at: number;
}

/** This browser's paired device: the only thing the extension keeps that grants power. */
export type DeviceRecord = KeptDevice;

export interface SignoffDB extends DBSchema {
  pending: { key: string; value: PendingRecord; indexes: { bySort: [number, number] } };
  drafts: { key: string; value: DraftRecord };
  outbox: { key: string; value: OutboxRecord };
  history: { key: string; value: SignoffRequest & { decidedAt: number }; indexes: { byDecidedAt: number } };
  notices: { key: string; value: NoticeRecord };
  device: { key: 'current'; value: DeviceRecord };
}

export const sortKeyOf = (request: SignoffRequest): [number, number] => [
  SEVERITY_RANK.critical - SEVERITY_RANK[request.severity],
  request.createdAt,
];

type UpgradeTx = IDBPTransaction<SignoffDB, StoreNames<SignoffDB>[], 'versionchange'>;

/** One schema step, inside the version-change transaction: it may await that transaction's requests, nothing else. */
export type UpgradeStep = (db: IDBPDatabase<SignoffDB>, tx: UpgradeTx) => Promise<void> | void;

/**
 * Upgrade steps; step N takes a database at version N to N + 1. Never edit a
 * shipped step: add one. Each is tested from the version before it, with data.
 */
export const UPGRADES: readonly UpgradeStep[] = [
  // 0 → 1: the pending mirror (plain requests), drafts, and the offline outbox.
  (db) => {
    db.createObjectStore('pending', { keyPath: 'id' });
    db.createObjectStore('drafts', { keyPath: 'requestId' });
    db.createObjectStore('outbox', { keyPath: 'requestId' });
  },
  // 1 → 2: pending rows carry a sort key with an index, so the popup reads its first
  // page in order without loading 10,000 rows; history and notices get stores.
  async (db, tx) => {
    const pending = tx.objectStore('pending');
    pending.createIndex('bySort', 'sortKey');
    for (let cursor = await pending.openCursor(); cursor; cursor = await cursor.continue()) {
      const old = cursor.value as unknown as SignoffRequest;
      await cursor.update({ id: old.id, sortKey: sortKeyOf(old), request: old });
    }
    db.createObjectStore('history', { keyPath: 'id' }).createIndex('byDecidedAt', 'decidedAt');
    db.createObjectStore('notices', { keyPath: 'id' });
  },
  // 2 → 3: the paired device (its non-extractable key and the pinned hub key) moves here
  // from extension storage, which held a bearer token; nothing is carried over.
  (db) => {
    db.createObjectStore('device', { keyPath: 'slot' });
  },
];

/**
 * Opens (and upgrades) the database. A step that fails aborts the whole upgrade: the
 * database stays at the version it had, and this rejects with the step's error.
 * `version` and `steps` are for tests of older schemas and of a failing step.
 */
export async function openSignoffDB(version = DB_VERSION, name = DB_NAME, steps: readonly UpgradeStep[] = UPGRADES): Promise<IDBPDatabase<SignoffDB>> {
  const migration: { failed: boolean; error?: unknown } = { failed: false };
  try {
    return await openDB<SignoffDB>(name, version, {
      upgrade(db, oldVersion, newVersion, tx) {
        // idb ignores a promise returned from `upgrade`: a step failing after an await would be an
        // unhandled rejection while the version change commits half done. Abort it instead.
        const migrate = async () => {
          for (let v = oldVersion; v < (newVersion ?? version); v++) await steps[v]!(db, tx);
        };
        // An abort rejects `tx.done` as well as the open; the open's rejection is the one reported.
        tx.done.catch(() => undefined);
        migrate().catch((error: unknown) => {
          migration.failed = true;
          migration.error = error;
          try {
            tx.abort();
          } catch {
            // Already finished (the step awaited something other than this transaction): too late to undo.
          }
        });
      },
    });
  } catch (error) {
    // The abort surfaces as an AbortError; the step's own error says what went wrong.
    throw migration.failed ? migration.error : error;
  }
}

/** How many decided requests the popup's History keeps. */
export const HISTORY_LIMIT = 200;

/** The pending mirror and everything around it, over one open database. */
export class SignoffStore {
  constructor(readonly db: IDBPDatabase<SignoffDB>) {}

  /** Replaces the pending mirror with a hub snapshot (one transaction). */
  async replacePending(requests: SignoffRequest[]): Promise<void> {
    const tx = this.db.transaction('pending', 'readwrite');
    await tx.store.clear();
    for (const request of requests) void tx.store.put({ id: request.id, sortKey: sortKeyOf(request), request });
    await tx.done;
  }

  async putPending(request: SignoffRequest): Promise<void> {
    await this.db.put('pending', { id: request.id, sortKey: sortKeyOf(request), request });
  }

  /** Moves a settled request out of the queue into history; drops its draft. */
  async settle(request: SignoffRequest): Promise<void> {
    const tx = this.db.transaction(['pending', 'history', 'drafts'], 'readwrite');
    void tx.objectStore('pending').delete(request.id);
    void tx.objectStore('drafts').delete(request.id);
    void tx.objectStore('history').put({ ...request, decidedAt: request.decision?.respondedAt ?? Date.now() });
    await tx.done;
    await this.trimHistory();
  }

  /** The first `limit` pending requests in queue order, and how many there are. */
  async pendingPage(limit: number): Promise<{ requests: SignoffRequest[]; total: number }> {
    const tx = this.db.transaction('pending');
    // One getAll on the index, not a cursor step per row: this read gates the popup's first paint.
    const [rows, total] = await Promise.all([tx.store.index('bySort').getAll(null, limit), tx.store.count()]);
    await tx.done;
    return { requests: rows.map((r) => r.request), total };
  }

  async allPending(): Promise<SignoffRequest[]> {
    return (await this.db.getAllFromIndex('pending', 'bySort')).map((r) => r.request);
  }

  async getPending(id: string): Promise<SignoffRequest | undefined> {
    return (await this.db.get('pending', id))?.request;
  }

  /** Newest decided first. History is trimmed to {@link HISTORY_LIMIT}, so one getAll reads it. */
  async history(limit = HISTORY_LIMIT): Promise<SignoffRequest[]> {
    const rows = await this.db.getAllFromIndex('history', 'byDecidedAt');
    return rows
      .reverse()
      .slice(0, limit)
      .map(({ decidedAt: _decidedAt, ...request }) => request as SignoffRequest);
  }

  /** Deletes the oldest decisions beyond {@link HISTORY_LIMIT} (usually none: one count, no walk). */
  private async trimHistory(): Promise<void> {
    const tx = this.db.transaction('history', 'readwrite');
    let excess = (await tx.store.count()) - HISTORY_LIMIT;
    let oldest = excess > 0 ? await tx.store.index('byDecidedAt').openCursor() : null;
    while (oldest && excess-- > 0) {
      await oldest.delete();
      oldest = await oldest.continue();
    }
    await tx.done;
  }

  async saveDraft(requestId: string, draft: unknown, now = Date.now()): Promise<void> {
    await this.db.put('drafts', { requestId, draft, savedAt: now });
  }

  async loadDraft(requestId: string): Promise<unknown> {
    return (await this.db.get('drafts', requestId))?.draft;
  }

  async queue(record: OutboxRecord): Promise<void> {
    await this.db.put('outbox', record);
  }

  async outbox(): Promise<OutboxRecord[]> {
    return this.db.getAll('outbox');
  }

  async unqueue(requestId: string): Promise<void> {
    await this.db.delete('outbox', requestId);
  }

  /** This browser's paired device, or null when unpaired. */
  async device(): Promise<DeviceRecord | null> {
    return (await this.db.get('device', 'current')) ?? null;
  }

  async saveDevice(device: Omit<DeviceRecord, 'slot'>): Promise<void> {
    await this.db.put('device', { ...device, slot: 'current' });
  }

  /** Forgets the device and the queue it saw (drafts and the outbox stay: they are the person's words). */
  async forgetDevice(): Promise<void> {
    const tx = this.db.transaction(['device', 'pending'], 'readwrite');
    void tx.objectStore('device').delete('current');
    void tx.objectStore('pending').clear();
    await tx.done;
  }

  /** Adds the first page of a snapshot without dropping what the rest of it may still hold. */
  async putPendingMany(requests: readonly SignoffRequest[]): Promise<void> {
    const tx = this.db.transaction('pending', 'readwrite');
    for (const request of requests) void tx.store.put({ id: request.id, sortKey: sortKeyOf(request), request });
    await tx.done;
  }

  async addNotice(notice: NoticeRecord): Promise<void> {
    await this.db.put('notices', notice);
  }

  async notices(): Promise<NoticeRecord[]> {
    return (await this.db.getAll('notices')).sort((a, b) => a.at - b.at);
  }

  async dismissNotice(id: string): Promise<void> {
    await this.db.delete('notices', id);
  }
}
