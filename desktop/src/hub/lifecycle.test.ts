import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateRequestSchema,
  DEFAULT_TIMEOUT_MS,
  SignoffError,
  type CreateRequestInput,
  type Decision,
  type SignoffRequest,
} from '@signoff/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../test/support/hub.js';
import { Lifecycle } from './lifecycle.js';
import { SqliteStore } from './sqlite-store.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const OWNER = 'agent-0123456789ab';
const OTHER_OWNER = 'agent-ba9876543210';
const agent = { role: 'agent', principal: OWNER } as const;

/** A FakeClock that also counts the timers it was asked for and how many are live. */
class CountingClock extends FakeClock {
  readonly live = new Set<unknown>();
  setCalls = 0;
  maxLive = 0;
  override setTimeout(fn: () => void, ms: number): unknown {
    const handle: unknown = super.setTimeout(() => {
      this.live.delete(handle);
      fn();
    }, ms);
    this.setCalls += 1;
    this.live.add(handle);
    this.maxLive = Math.max(this.maxLive, this.live.size);
    return handle;
  }
  override clearTimeout(handle: unknown): void {
    this.live.delete(handle);
    super.clearTimeout(handle);
  }
}

/** What a listener saw, in order. */
type Seen = { event: 'created' | 'settled'; id: string; status: string; decision?: Decision };

let dir: string;
let store: SqliteStore;
let clock: CountingClock;
let lifecycle: Lifecycle;
let seen: Seen[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'signoff-lifecycle-'));
  store = new SqliteStore(join(dir, 'signoff.db'));
  clock = new CountingClock();
  lifecycle = new Lifecycle(store, clock);
  lifecycle.start();
  seen = [];
  lifecycle.subscribe({
    created: (r) => seen.push({ event: 'created', id: r.id, status: r.status }),
    settled: (r, d) => seen.push({ event: 'settled', id: r.id, status: r.status, decision: d }),
  });
});
afterEach(() => {
  lifecycle.stop();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function create(input: CreateRequestInput, owner = OWNER) {
  return lifecycle.create(owner, CreateRequestSchema.parse(input));
}

function status(id: string) {
  return store.requests.get(id)?.status;
}

function thrown(fn: () => unknown): SignoffError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SignoffError);
    return error as SignoffError;
  }
  throw new Error('expected a SignoffError');
}

const approval: Extract<CreateRequestInput, { kind: 'approval' }> = {
  kind: 'approval',
  title: 'Delete the old bucket',
  alternatives: [{ id: 'archive', description: 'Archive it' }],
};

describe('create', () => {
  it('stores a pending request with a deadline and the default expire rule', () => {
    const { request, created } = create(approval);
    expect(created).toBe(true);
    expect(request).toMatchObject({
      ...approval,
      severity: 'medium',
      status: 'pending',
      onTimeout: 'expire',
      createdAt: clock.now(),
      expiresAt: clock.now() + DEFAULT_TIMEOUT_MS.medium,
    });
    expect(request.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(store.requests.get(request.id)).toEqual({ ...request, owner: OWNER });
    expect(seen).toEqual([{ event: 'created', id: request.id, status: 'pending' }]);
  });

  it('clamps the asked-for timeout', () => {
    expect(create({ ...approval, timeoutMs: 1 }).request.expiresAt).toBe(clock.now() + 10 * SECOND);
  });

  it('refuses an onTimeout rule that would let silence approve something dangerous', () => {
    const error = thrown(() => create({ ...approval, severity: 'high', onTimeout: 'approve' }));
    expect(error.code).toBe('invalid_request');
    expect(error.message).toBe('onTimeout: approve is refused for high severity: a human must answer or the request expires');
    expect(thrown(() => create({ kind: 'edit', title: 'x', draft: { format: 'text', content: 'y' }, onTimeout: 'approve' })).message).toMatch(
      /^onTimeout: approve is only possible for approval requests/,
    );
    expect(store.requests.list({ limit: 10 })).toEqual([]);
    expect(seen).toEqual([]);
  });

  it('returns the existing request for a repeated idempotency key, without announcing or scheduling it again', () => {
    const first = create({ ...approval, agentId: 'bot', idempotencyKey: 'k' });
    const callsAfterFirst = clock.setCalls;
    clock.advance(MINUTE);
    const again = create({ ...approval, agentId: 'bot', idempotencyKey: 'k', title: 'different title' });
    expect(again).toEqual({ request: first.request, created: false });
    expect(seen.filter((s) => s.event === 'created')).toHaveLength(1);
    expect(clock.setCalls).toBe(callsAfterFirst);
  });

  it('settles notify at once, with no deadline and no timer', () => {
    const { request, created } = create({ kind: 'notify', title: 'Deployed v2.3.1' });
    expect(created).toBe(true);
    expect(request).toMatchObject({
      status: 'resolved',
      expiresAt: null,
      decision: { requestId: request.id, status: 'resolved', response: null, respondedBy: 'hub', via: 'hub', waitMs: 0, respondedAt: clock.now() },
    });
    expect(request).not.toHaveProperty('owner');
    // Announced once, already settled.
    expect(seen.map((s) => [s.event, s.status])).toEqual([['created', 'resolved']]);
    expect(clock.live.size).toBe(0);
    expect(store.requests.pendingDeadlines()).toEqual([]);
  });
});

describe('deadlines', () => {
  it('expires a request exactly at its deadline under the expire rule', () => {
    const { request } = create({ ...approval, timeoutMs: 30 * SECOND });
    clock.advance(30 * SECOND - 1);
    expect(status(request.id)).toBe('pending');
    clock.advance(1);
    expect(store.requests.get(request.id)).toMatchObject({
      status: 'expired',
      decision: {
        status: 'expired',
        response: null,
        respondedBy: 'timeout',
        via: 'timeout',
        waitMs: 30 * SECOND,
        reason: 'No human answered within 30s. Do not proceed with this action.',
      },
    });
    expect(seen.at(-1)).toMatchObject({ event: 'settled', id: request.id, status: 'expired' });
  });

  it('answers by the reject rule', () => {
    const { request } = create({ ...approval, timeoutMs: MINUTE, onTimeout: 'reject' });
    clock.advance(MINUTE);
    expect(store.requests.get(request.id)?.decision).toMatchObject({
      status: 'expired',
      response: { approved: false, reason: expect.stringContaining('Do not proceed') },
    });
  });

  it('answers by the approve rule for a low approval', () => {
    const { request } = create({ ...approval, severity: 'low', timeoutMs: MINUTE, onTimeout: 'approve' });
    clock.advance(MINUTE);
    expect(store.requests.get(request.id)?.decision).toMatchObject({
      status: 'expired',
      response: { approved: true },
      reason: expect.stringContaining('approved automatically'),
    });
  });

  it('uses the severity default when no timeout is given', () => {
    const { request } = create({ ...approval, severity: 'critical' });
    clock.advance(DEFAULT_TIMEOUT_MS.critical - 1);
    expect(status(request.id)).toBe('pending');
    clock.advance(1);
    expect(status(request.id)).toBe('expired');
  });

  it('keeps a single timer for many requests, in any order of deadlines', () => {
    // Deterministic shuffle of 200 deadlines between 10 s and ~3.3 min.
    const order = Array.from({ length: 200 }, (_, i) => ((i * 73) % 200) + 10);
    const ids = order.map((s) => create({ kind: 'approval', title: `r${s}`, timeoutMs: s * SECOND }).request.id);
    expect(clock.live.size).toBe(1);
    expect(clock.maxLive).toBe(1);

    for (let step = 1; step <= 210; step++) {
      clock.advance(SECOND);
      expect(clock.live.size).toBeLessThanOrEqual(1);
    }
    expect(clock.maxLive).toBe(1);
    expect(clock.live.size).toBe(0);
    expect(ids.every((id) => status(id) === 'expired')).toBe(true);
  });

  it('arms the timer once when each new deadline is later than the armed one', () => {
    for (let i = 1; i <= 50; i++) create({ kind: 'approval', title: `r${i}`, timeoutMs: i * MINUTE });
    expect(clock.setCalls).toBe(1);
    expect(clock.live.size).toBe(1);
  });

  it('expires requests in deadline order', () => {
    const start = clock.now();
    const late = create({ ...approval, title: 'late', timeoutMs: 3 * MINUTE }).request;
    const early = create({ ...approval, title: 'early', timeoutMs: MINUTE }).request;
    const mid = create({ ...approval, title: 'mid', timeoutMs: 2 * MINUTE }).request;
    seen = [];
    clock.advance(10 * MINUTE);
    expect(seen.map((s) => s.id)).toEqual([early.id, mid.id, late.id]);
    expect(seen.map((s) => s.decision!.respondedAt - start)).toEqual([MINUTE, 2 * MINUTE, 3 * MINUTE]);
  });

  it('does nothing when the deadline of an answered request passes', () => {
    const { request } = create({ ...approval, timeoutMs: MINUTE });
    lifecycle.respond('alice', request.id, { approved: true }, 'socket');
    seen = [];
    clock.advance(2 * MINUTE);
    expect(seen).toEqual([]);
    expect(store.requests.get(request.id)?.decision).toMatchObject({ respondedBy: 'alice' });
  });

  it('start() settles requests whose deadline passed while the hub was down and schedules the rest', () => {
    const due = create({ ...approval, title: 'due', timeoutMs: MINUTE, onTimeout: 'reject' }).request;
    const later = create({ ...approval, title: 'later', timeoutMs: 10 * MINUTE }).request;
    lifecycle.stop();
    expect(clock.live.size).toBe(0);

    clock.advance(5 * MINUTE); // the hub is down: nothing fires
    expect(status(due.id)).toBe('pending');

    const restarted = new Lifecycle(store, clock);
    const settled: string[] = [];
    restarted.subscribe({ settled: (r) => settled.push(r.id) });
    restarted.start();
    expect(settled).toEqual([due.id]);
    expect(store.requests.get(due.id)?.decision).toMatchObject({
      status: 'expired',
      via: 'timeout',
      response: { approved: false },
      respondedAt: clock.now(),
      waitMs: 5 * MINUTE,
    });
    expect(status(later.id)).toBe('pending');
    expect(clock.live.size).toBe(1);

    clock.advance(5 * MINUTE);
    expect(settled).toEqual([due.id, later.id]);
    restarted.stop();
  });
});

describe('respond', () => {
  it('records the first answer and tells listeners', () => {
    const { request } = create(approval);
    clock.advance(42 * SECOND);
    const decision = lifecycle.respond('alice', request.id, { approved: false, alternativeId: 'archive' }, 'rest');
    expect(decision).toEqual({
      requestId: request.id,
      status: 'resolved',
      response: { approved: false, alternativeId: 'archive' },
      respondedBy: 'alice',
      via: 'rest',
      respondedAt: clock.now(),
      waitMs: 42 * SECOND,
      receipt: { seq: 1, hash: expect.stringMatching(/^[0-9a-f]{64}$/), actionDigest: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
    expect(store.requests.get(request.id)).toMatchObject({ status: 'resolved', decision });
    expect(seen.at(-1)).toEqual({ event: 'settled', id: request.id, status: 'resolved', decision });
  });

  it('refuses a later answer with conflict and says who decided first', () => {
    const { request } = create(approval);
    clock.advance(SECOND);
    const first = lifecycle.respond('alice', request.id, { approved: true }, 'socket');
    clock.advance(SECOND);
    const error = thrown(() => lifecycle.respond('bob', request.id, { approved: false }, 'rest'));
    expect(error.code).toBe('conflict');
    expect(error.message).toBe(`request already resolved by alice via socket at ${new Date(first.respondedAt).toISOString()}`);
    expect(error.details).toEqual({ status: 'resolved', respondedBy: 'alice', via: 'socket', respondedAt: first.respondedAt });
    expect(store.requests.get(request.id)?.decision).toEqual(first);
    expect(seen.filter((s) => s.event === 'settled')).toHaveLength(1);
  });

  it('refuses an answer after expiry with conflict', () => {
    const { request } = create({ ...approval, timeoutMs: MINUTE });
    clock.advance(MINUTE);
    const error = thrown(() => lifecycle.respond('alice', request.id, { approved: true }, 'socket'));
    expect(error.code).toBe('conflict');
    expect(error.details).toMatchObject({ status: 'expired', respondedBy: 'timeout', via: 'timeout' });
  });

  it('refuses an answer that does not match the kind, naming the field under response.', () => {
    const { request } = create({ kind: 'edit', title: 'Config', draft: { format: 'json', content: '{}' } });
    const missing = thrown(() => lifecycle.respond('alice', request.id, { action: 'edit' }, 'socket'));
    expect(missing.code).toBe('invalid_request');
    expect(missing.message).toBe('response.content: an edit needs content');
    const extra = thrown(() => lifecycle.respond('alice', request.id, { action: 'accept', note: 'x' }, 'socket'));
    expect(extra.message).toMatch(/^response: Unrecognized key: "note"/);
    const badJson = thrown(() => lifecycle.respond('alice', request.id, { action: 'edit', content: '{' }, 'socket'));
    expect(badJson.message).toBe('response.content: the edited draft is not valid JSON');
    expect(status(request.id)).toBe('pending');
  });

  it('refuses an alternative that was not offered', () => {
    const { request } = create(approval);
    const error = thrown(() => lifecycle.respond('alice', request.id, { approved: false, alternativeId: 'shred' }, 'socket'));
    expect(error).toMatchObject({ code: 'invalid_request', message: 'response.alternativeId: "shred" is not one of the offered alternatives' });
    expect(status(request.id)).toBe('pending');
  });

  it('says not_found for an unknown request', () => {
    expect(thrown(() => lifecycle.respond('alice', 'nope', { approved: true }, 'socket')).code).toBe('not_found');
  });
});

describe('cancel and get', () => {
  it('lets the owner cancel, with a reason for the agent', () => {
    const { request } = create(approval);
    clock.advance(SECOND);
    expect(lifecycle.cancel(OWNER, request.id)).toEqual({
      requestId: request.id,
      status: 'cancelled',
      response: null,
      respondedBy: 'agent',
      via: 'agent',
      respondedAt: clock.now(),
      waitMs: SECOND,
      reason: 'Cancelled by the agent that asked.',
      receipt: { seq: 1, hash: expect.any(String), actionDigest: expect.any(String) },
    });
    expect(status(request.id)).toBe('cancelled');
  });

  it('hides another owner’s request: not_found on cancel and get', () => {
    const { request } = create(approval);
    expect(thrown(() => lifecycle.cancel(OTHER_OWNER, request.id)).code).toBe('not_found');
    expect(thrown(() => lifecycle.get({ role: 'agent', principal: OTHER_OWNER }, request.id)).code).toBe('not_found');
    expect(status(request.id)).toBe('pending');
    expect(lifecycle.get(agent, request.id)).toEqual(request);
    expect(lifecycle.get({ role: 'approver', principal: 'alice' }, request.id)).toEqual(request);
  });

  it('refuses to cancel a decided request with conflict', () => {
    const { request } = create(approval);
    lifecycle.respond('alice', request.id, { approved: true }, 'socket');
    const error = thrown(() => lifecycle.cancel(OWNER, request.id));
    expect(error.code).toBe('conflict');
    expect(status(request.id)).toBe('resolved');
  });
});

describe('listeners and waiters', () => {
  it('stops telling a listener once it unsubscribes', () => {
    const mine: string[] = [];
    const unsubscribe = lifecycle.subscribe({ created: (r) => mine.push(r.id) });
    const a = create(approval).request;
    unsubscribe();
    create(approval);
    expect(mine).toEqual([a.id]);
  });

  it('hands settled listeners the settled request', () => {
    let got: SignoffRequest | undefined;
    lifecycle.subscribe({ settled: (r) => (got = r) });
    const { request } = create(approval);
    const decision = lifecycle.respond('alice', request.id, { approved: true }, 'socket');
    expect(got).toEqual({ ...request, status: 'resolved', decision });
  });

  it('waitForSettle wakes every waiter on settle', async () => {
    const { request } = create(approval);
    const woke: number[] = [];
    const waits = [lifecycle.waitForSettle(request.id, 60_000).then(() => woke.push(1)), lifecycle.waitForSettle(request.id, 45_000).then(() => woke.push(2))];
    await new Promise((resolve) => setImmediate(resolve));
    expect(woke).toEqual([]);
    lifecycle.respond('alice', request.id, { approved: true }, 'socket');
    await Promise.all(waits);
    expect(woke.sort()).toEqual([1, 2]);
  });

  it('waitForSettle wakes on expiry and on cancel', async () => {
    const a = create({ ...approval, timeoutMs: MINUTE }).request;
    const b = create(approval).request;
    const woke: string[] = [];
    // Each wait would last a real minute: waking before the test's timeout is the settle, not the wait running out.
    const waits = [lifecycle.waitForSettle(a.id, 60_000).then(() => woke.push(a.id)), lifecycle.waitForSettle(b.id, 60_000).then(() => woke.push(b.id))];
    const tick = () => new Promise((resolve) => setImmediate(resolve));
    await tick();
    expect(woke).toEqual([]);

    clock.advance(MINUTE);
    await tick();
    expect(status(a.id)).toBe('expired');
    expect(woke).toEqual([a.id]);

    lifecycle.cancel(OWNER, b.id);
    await Promise.all(waits);
    expect(status(b.id)).toBe('cancelled');
    expect(woke).toEqual([a.id, b.id]);
  });

  it('waitForSettle only wakes for its own request', async () => {
    const a = create(approval).request;
    const b = create(approval).request;
    let woke = false;
    const wait = lifecycle.waitForSettle(a.id, 60_000).then(() => (woke = true));
    lifecycle.respond('alice', b.id, { approved: true }, 'socket');
    await new Promise((resolve) => setImmediate(resolve));
    expect(woke).toBe(false);
    lifecycle.stop();
    await wait;
    expect(woke).toBe(true);
  });

  it('waitForSettle gives up after its wait with the request still pending', async () => {
    const { request } = create(approval);
    await lifecycle.waitForSettle(request.id, 1);
    expect(status(request.id)).toBe('pending');
  });

  it('stop() releases every waiter and clears the timer', async () => {
    const { request } = create(approval);
    const wait = lifecycle.waitForSettle(request.id, 60_000);
    lifecycle.stop();
    await wait;
    expect(clock.live.size).toBe(0);
    expect(status(request.id)).toBe('pending');
  });
});

describe('the create gate (agent limits)', () => {
  /** A lifecycle whose gate records what it was asked and refuses while `refuse` is set. */
  function gated() {
    const asked: { owner: string; agentId: string | undefined; bytes: number; pending: boolean }[] = [];
    const gate = {
      refuse: false,
      admitCreate(owner: string, agentId: string | undefined, bytes: number, pending: boolean) {
        asked.push({ owner, agentId, bytes, pending });
        if (gate.refuse) throw new SignoffError('rate_limited', 'slow down');
      },
    };
    const gatedLifecycle = new Lifecycle(store, clock, gate);
    const infos: { id: string; owner: string; payloadBytes: number }[] = [];
    gatedLifecycle.subscribe({ created: (r, info) => infos.push({ id: r.id, ...info }) });
    return { gate, asked, infos, lifecycle: gatedLifecycle };
  }

  it('asks before storing, with the stored payload size, and tells listeners who made it and how big it is', () => {
    const { asked, infos, lifecycle: l } = gated();
    const { request } = l.create(OWNER, CreateRequestSchema.parse({ ...approval, agentId: 'bot' }));
    const stored = JSON.stringify((({ status: _s, ...rest }) => rest)(request));
    expect(asked).toEqual([{ owner: OWNER, agentId: 'bot', bytes: Buffer.byteLength(stored), pending: true }]);
    expect(infos).toEqual([{ id: request.id, owner: OWNER, payloadBytes: Buffer.byteLength(stored) }]);
    l.create(OWNER, CreateRequestSchema.parse({ kind: 'notify', title: 'Backup done' }));
    expect(asked[1]).toMatchObject({ pending: false, agentId: undefined });
  });

  it('stores nothing and tells no one when the gate refuses', () => {
    const { gate, infos, lifecycle: l } = gated();
    gate.refuse = true;
    expect(thrown(() => l.create(OWNER, CreateRequestSchema.parse(approval))).code).toBe('rate_limited');
    expect(infos).toEqual([]);
    expect(store.requests.list({ limit: 10 })).toEqual([]);
    expect(clock.live.size).toBe(0);
  });

  it('returns a request already made under the idempotency key without asking the gate', () => {
    const { gate, asked, lifecycle: l } = gated();
    const input = CreateRequestSchema.parse({ ...approval, agentId: 'bot', idempotencyKey: 'k' });
    const first = l.create(OWNER, input);
    gate.refuse = true;
    const again = l.create(OWNER, input);
    expect(again).toEqual({ request: first.request, created: false });
    expect(asked).toHaveLength(1);
  });
});

describe('waitForSettle and abort', () => {
  it('wakes when its signal aborts, and an aborted signal does not wait at all', async () => {
    const { request } = create(approval);
    const hangUp = new AbortController();
    const wait = lifecycle.waitForSettle(request.id, 60_000, hangUp.signal);
    hangUp.abort();
    await wait;
    await lifecycle.waitForSettle(request.id, 60_000, hangUp.signal);
    expect(status(request.id)).toBe('pending');
  });
});
