import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRequestSchema, ErrorCode, SignoffError, type CreateRequestInput, type SignoffRequest } from '@signoff/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../test/support/hub.js';
import { Lifecycle } from './lifecycle.js';
import { SqliteStore } from './sqlite-store.js';

/**
 * A decision on a request this hub just created is checked against the copy the lifecycle
 * keeps instead of one read back from the store. Whatever that copy says, the store decides
 * whether the request is still pending: these tests settle requests behind the lifecycle's
 * back, as another process on the same file would, and check that nothing is decided twice.
 */

const OWNER = 'agent-0123456789ab';

let dir: string;
let file: string;
let store: SqliteStore;
let lifecycle: Lifecycle;
let settled: SignoffRequest[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'signoff-lifecycle-recent-'));
  file = join(dir, 'signoff.db');
  store = new SqliteStore(file);
  lifecycle = new Lifecycle(store, new FakeClock());
  lifecycle.start();
  settled = [];
  lifecycle.subscribe({ settled: (r) => settled.push(r) });
});
afterEach(() => {
  lifecycle.stop();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function create(input: CreateRequestInput): SignoffRequest {
  return lifecycle.create(OWNER, CreateRequestSchema.parse(input)).request;
}

function thrown(fn: () => unknown): SignoffError {
  try {
    fn();
  } catch (error) {
    if (error instanceof SignoffError) return error;
    throw error;
  }
  throw new Error('expected a SignoffError');
}

/** Settles `id` through a second connection to the file, as another process would. */
function settleElsewhere(id: string, createdAt: number): void {
  const other = new SqliteStore(file);
  try {
    expect(other.requests.settle({ requestId: id, status: 'cancelled', response: null, respondedBy: 'agent', via: 'agent', respondedAt: createdAt + 5, waitMs: 5 })).toBe(true);
  } finally {
    other.close();
  }
}

describe('deciding a request the hub just created', () => {
  it('is refused with conflict, naming the stored decision, when another process settled it first', () => {
    const request = create({ kind: 'approval', title: 'Deploy' });
    settleElsewhere(request.id, request.createdAt);
    const error = thrown(() => lifecycle.respond('alice', request.id, { approved: true }, 'socket'));
    expect(error.code).toBe(ErrorCode.conflict);
    expect(error.details).toMatchObject({ status: 'cancelled', respondedBy: 'agent', via: 'agent' });
    expect(settled).toEqual([]);
    expect(store.requests.get(request.id)?.decision?.status).toBe('cancelled');
    // Asked again, it is read from the store and refused the same way.
    expect(thrown(() => lifecycle.respond('alice', request.id, { approved: true }, 'socket')).code).toBe(ErrorCode.conflict);
  });

  it('validates the response against the request exactly as one read from the store', () => {
    const request = create({
      kind: 'approval',
      title: 'Archive the logs',
      alternatives: [{ id: 'keep', description: 'Keep the logs for a week' }],
    });
    expect(thrown(() => lifecycle.respond('alice', request.id, { approved: false, alternativeId: 'shred' }, 'socket')).code).toBe(ErrorCode.invalid);
    expect(thrown(() => lifecycle.respond('alice', request.id, { action: 'accept' }, 'socket')).code).toBe(ErrorCode.invalid);
    const decision = lifecycle.respond('alice', request.id, { approved: false, alternativeId: 'keep' }, 'socket');
    expect(decision).toMatchObject({ status: 'resolved', response: { approved: false, alternativeId: 'keep' } });
    // The pushed request equals the stored one (key order aside).
    expect(settled).toHaveLength(1);
    expect(settled[0]).toEqual(lifecycle.get({ role: 'approver', principal: 'alice' }, request.id));
  });

  it('decides once: the second answer is a conflict, whether or not the first came through the cache', () => {
    const fresh = create({ kind: 'approval', title: 'Fresh' });
    lifecycle.respond('alice', fresh.id, { approved: true }, 'socket');
    expect(thrown(() => lifecycle.respond('bob', fresh.id, { approved: false }, 'rest')).code).toBe(ErrorCode.conflict);
    expect(settled.map((r) => r.id)).toEqual([fresh.id]);
  });

  it('still decides requests the cache has forgotten, reading them from the store', () => {
    const first = create({ kind: 'approval', title: 'Oldest', agentId: 'a' });
    // More than the lifecycle keeps: the oldest drops out of its cache.
    for (let i = 0; i < 1_050; i++) create({ kind: 'approval', title: `r${i}`, agentId: `bot-${i % 20}` });
    const decision = lifecycle.respond('alice', first.id, { approved: true }, 'socket');
    expect(decision.status).toBe('resolved');
    expect(store.requests.get(first.id)?.status).toBe('resolved');
  });
});
