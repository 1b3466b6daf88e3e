import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SignoffRequest } from '@signoff/shared';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from './sqlite-store.js';

const T0 = Date.UTC(2026, 0, 1);
let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'signoff-ckpt-'));
  file = join(dir, 'signoff.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function request(n: number): SignoffRequest {
  return {
    kind: 'approval',
    title: `Request ${n}`,
    body: 'x'.repeat(500),
    severity: 'medium',
    id: `req-${n}`,
    createdAt: T0 + n,
    expiresAt: T0 + n + 3_600_000,
    status: 'pending',
    onTimeout: 'expire',
  } as SignoffRequest;
}

const settle = (store: SqliteStore, r: SignoffRequest) =>
  store.requests.settle({ requestId: r.id, status: 'resolved', response: { approved: true }, respondedBy: 'ana', via: 'socket', respondedAt: r.createdAt + 7, waitMs: 7 });

const until = async (check: () => boolean, ms = 5000) => {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 20))) if (check()) return true;
  return check();
};

describe('background WAL checkpoints', () => {
  it('copies the WAL into the database off the writing thread, and close removes the WAL', async () => {
    const store = new SqliteStore(file, { backgroundCheckpoints: true });
    const before = statSync(file).size;
    // ≈ 500 WAL pages: under SQLite's inline threshold (1000) and the backstop (10,000),
    // so only the background checkpointer can move them into the database file.
    for (let n = 0; n < 50; n++) {
      const r = request(n);
      store.requests.insert(r, 'owner');
      settle(store, r);
    }
    expect(await until(() => statSync(file).size > before)).toBe(true);
    store.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
    const reopened = new SqliteStore(file);
    expect(reopened.requests.list({ status: 'resolved', limit: 1000 })).toHaveLength(50);
    reopened.close();
  });

  it('is off by default: the connection checkpoints inline, as SQLite does', async () => {
    const store = new SqliteStore(file);
    const before = statSync(file).size;
    for (let n = 0; n < 50; n++) {
      const r = request(n);
      store.requests.insert(r, 'owner');
      settle(store, r);
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(statSync(file).size).toBe(before); // still all in the WAL, under the inline threshold
    store.close();
  });
});

describe('derived audit events', () => {
  it('reads created/settled from the request and decision rows, skipping rows older versions stored', () => {
    const store = new SqliteStore(file);
    const r = request(1);
    store.requests.insert(r, 'owner');
    store.requests.addEvent(r.id, { at: r.createdAt + 3, type: 'watched' });
    settle(store, r);
    // What an older hub wrote for the same request: must not show twice.
    const db = new Database(file);
    db.prepare(`INSERT INTO request_events (request_id, at, type, detail) VALUES (?, ?, 'created', NULL)`).run(r.id, r.createdAt);
    db.prepare(`INSERT INTO request_events (request_id, at, type, detail) VALUES (?, ?, 'settled', ?)`).run(r.id, r.createdAt + 7, '{}');
    db.close();
    expect(store.requests.events(r.id)).toEqual([
      { at: r.createdAt, type: 'created' },
      { at: r.createdAt + 3, type: 'watched' },
      { at: r.createdAt + 7, type: 'settled', detail: { status: 'resolved', by: 'ana', via: 'socket' } },
    ]);
    store.close();
  });
});
