import 'fake-indexeddb/auto';
import type { SignoffRequest } from '@signoff/shared';
import { describe, expect, it } from 'vitest';
import { openDB } from 'idb';
import { DB_VERSION, HISTORY_LIMIT, openSignoffDB, SignoffStore, UPGRADES, type UpgradeStep } from './db.js';

let dbCount = 0;
const freshName = () => `signoff-test-${++dbCount}`;

const request = (id: string, severity: SignoffRequest['severity'], createdAt: number, extra: Partial<SignoffRequest> = {}): SignoffRequest =>
  ({ kind: 'approval', id, title: `Request ${id}`, severity, createdAt, expiresAt: createdAt + 60_000, status: 'pending', onTimeout: 'expire', ...extra }) as SignoffRequest;

describe('extension IndexedDB', () => {
  it('has one upgrade step per version', () => {
    expect(UPGRADES).toHaveLength(DB_VERSION);
  });

  it('creates every store on a fresh database', async () => {
    const db = await openSignoffDB(DB_VERSION, freshName());
    expect([...db.objectStoreNames].sort()).toEqual(['device', 'drafts', 'history', 'notices', 'outbox', 'pending']);
    expect([...db.transaction('pending').store.indexNames]).toEqual(['bySort']);
    db.close();
  });

  it('upgrades a version 1 database with data: pending rows gain sort keys, drafts and outbox survive', async () => {
    const name = freshName();
    const v1 = await openSignoffDB(1, name);
    // Version 1 stored plain requests.
    await v1.put('pending', request('low-old', 'low', 1) as never);
    await v1.put('pending', request('crit-new', 'critical', 5) as never);
    await v1.put('drafts', { requestId: 'crit-new', draft: { content: 'half done' }, savedAt: 9 });
    await v1.put('outbox', { requestId: 'low-old', title: 'x', response: { approved: true }, queuedAt: 7 });
    v1.close();

    const db = await openSignoffDB(DB_VERSION, name);
    const store = new SignoffStore(db);
    const page = await store.pendingPage(10);
    expect(page.total).toBe(2);
    expect(page.requests.map((r) => r.id)).toEqual(['crit-new', 'low-old']);
    expect(await db.get('pending', 'crit-new')).toMatchObject({ sortKey: [0, 5], request: { title: 'Request crit-new' } });
    expect(await store.loadDraft('crit-new')).toEqual({ content: 'half done' });
    expect(await store.outbox()).toEqual([{ requestId: 'low-old', title: 'x', response: { approved: true }, queuedAt: 7 }]);
    expect(await store.history()).toEqual([]);
    db.close();
  });

  it('upgrades a version 2 database with data: everything stays, and no device comes along', async () => {
    const name = freshName();
    const v2 = new SignoffStore(await openSignoffDB(2, name));
    await v2.putPending(request('p1', 'high', 3));
    await v2.queue({ requestId: 'p1', title: 'Deploy', response: { approved: true }, queuedAt: 4 });
    await v2.saveDraft('p1', 'half done');
    await v2.addNotice({ id: 'n', text: 'hello', at: 1 });
    v2.db.close();

    const store = new SignoffStore(await openSignoffDB(DB_VERSION, name));
    expect((await store.allPending()).map((r) => r.id)).toEqual(['p1']);
    expect(await store.outbox()).toHaveLength(1);
    expect(await store.loadDraft('p1')).toBe('half done');
    expect((await store.notices()).map((n) => n.id)).toEqual(['n']);
    expect(await store.device()).toBeNull();
    store.db.close();
  });

  it('a step that fails mid-upgrade aborts it: the database keeps its old version and data, and the step’s error comes back', async () => {
    const name = freshName();
    const v1 = await openSignoffDB(1, name);
    await v1.put('pending', request('p1', 'low', 1) as never);
    v1.close();

    const failing: UpgradeStep = async (_db, tx) => {
      const pending = tx.objectStore('pending');
      pending.createIndex('bySort', 'sortKey');
      await pending.clear();
      throw new Error('step 1 → 2 broke');
    };
    await expect(openSignoffDB(2, name, [UPGRADES[0]!, failing])).rejects.toThrow('step 1 → 2 broke');

    const db = await openDB(name);
    expect(db.version).toBe(1);
    expect([...db.transaction('pending').store.indexNames]).toEqual([]);
    expect(await db.getAllKeys('pending')).toEqual(['p1']);
    db.close();
  });

  it('keeps the device key non-extractable and usable after reopening, and forgets it with the queue', async () => {
    const name = freshName();
    const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
    const first = new SignoffStore(await openSignoffDB(DB_VERSION, name));
    await first.saveDevice({ deviceId: 'd-1', privateKey: keys.privateKey, hubPublicKey: 'HUBKEY', hubFingerprint: 'AAAA-BBBB', hubUrl: 'http://127.0.0.1:7475', name: 'Browser extension (Chrome)', pairedAt: 5 });
    await first.putPending(request('p1', 'low', 1));
    first.db.close();

    const store = new SignoffStore(await openSignoffDB(DB_VERSION, name));
    const device = await store.device();
    expect(device).toMatchObject({ slot: 'current', deviceId: 'd-1', hubPublicKey: 'HUBKEY', hubUrl: 'http://127.0.0.1:7475' });
    expect(device!.privateKey.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('pkcs8', device!.privateKey)).rejects.toThrow();
    const data = new TextEncoder().encode('challenge');
    const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, device!.privateKey, data);
    expect(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, keys.publicKey, signature, data)).toBe(true);

    await store.forgetDevice();
    expect(await store.device()).toBeNull();
    expect(await store.allPending()).toEqual([]);
    store.db.close();
  });

  it('adds a first page to the mirror without dropping rows the rest of the queue may hold', async () => {
    const store = new SignoffStore(await openSignoffDB(DB_VERSION, freshName()));
    await store.replacePending([request('old', 'low', 1)]);
    await store.putPendingMany([request('new', 'high', 2)]);
    expect((await store.allPending()).map((r) => r.id)).toEqual(['new', 'old']);
    store.db.close();
  });

  it('orders the queue by severity, then oldest first, and pages it', async () => {
    const store = new SignoffStore(await openSignoffDB(DB_VERSION, freshName()));
    await store.replacePending([
      request('m2', 'medium', 20),
      request('c1', 'critical', 30),
      request('m1', 'medium', 10),
      request('h1', 'high', 40),
      request('l1', 'low', 0),
    ]);
    expect((await store.allPending()).map((r) => r.id)).toEqual(['c1', 'h1', 'm1', 'm2', 'l1']);
    expect(await store.pendingPage(2)).toMatchObject({ total: 5, requests: [{ id: 'c1' }, { id: 'h1' }] });
    await store.replacePending([request('only', 'low', 1)]);
    expect((await store.allPending()).map((r) => r.id)).toEqual(['only']);
    store.db.close();
  });

  it('settling moves a request to history (newest first) and drops its draft', async () => {
    const store = new SignoffStore(await openSignoffDB(DB_VERSION, freshName()));
    await store.putPending(request('a', 'high', 1));
    await store.putPending(request('b', 'high', 2));
    await store.saveDraft('a', 'draft text');
    const decided = (id: string, at: number) =>
      request(id, 'high', 1, {
        status: 'resolved',
        decision: { requestId: id, status: 'resolved', response: { approved: true }, respondedBy: 'Ada', via: 'socket', respondedAt: at, waitMs: at - 1 },
      });
    await store.settle(decided('a', 100));
    await store.settle(decided('b', 50));
    expect((await store.allPending()).map((r) => r.id)).toEqual([]);
    expect((await store.history()).map((r) => [r.id, r.decision?.respondedAt])).toEqual([
      ['a', 100],
      ['b', 50],
    ]);
    expect(await store.loadDraft('a')).toBeUndefined();
    store.db.close();
  });

  it(`keeps the newest ${HISTORY_LIMIT} decisions`, async () => {
    const store = new SignoffStore(await openSignoffDB(DB_VERSION, freshName()));
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) {
      await store.settle(request(`r${i}`, 'low', i, { status: 'expired', decision: { requestId: `r${i}`, status: 'expired', response: null, respondedBy: 'timeout', via: 'timeout', respondedAt: 1000 + i, waitMs: 1 } }));
    }
    const history = await store.history(1000);
    expect(history).toHaveLength(HISTORY_LIMIT);
    expect(history[0]!.id).toBe(`r${HISTORY_LIMIT + 4}`);
    expect(history.at(-1)!.id).toBe('r5');
    store.db.close();
  });

  it('queues, lists and removes outbox decisions and notices', async () => {
    const store = new SignoffStore(await openSignoffDB(DB_VERSION, freshName()));
    await store.queue({ requestId: 'x', title: 'Deploy', response: { approved: false, reason: 'no' }, queuedAt: 1 });
    await store.queue({ requestId: 'x', title: 'Deploy', response: { approved: true }, queuedAt: 2 });
    expect(await store.outbox()).toEqual([{ requestId: 'x', title: 'Deploy', response: { approved: true }, queuedAt: 2 }]);
    await store.unqueue('x');
    expect(await store.outbox()).toEqual([]);
    await store.addNotice({ id: 'n2', text: 'second', at: 2 });
    await store.addNotice({ id: 'n1', text: 'first', at: 1 });
    expect((await store.notices()).map((n) => n.text)).toEqual(['first', 'second']);
    await store.dismissNotice('n1');
    expect((await store.notices()).map((n) => n.id)).toEqual(['n2']);
    store.db.close();
  });
});
