import type { Decision, SignoffRequest } from '@signoff/shared';
import { describe, expect, it } from 'vitest';
import { applyQueueEvent, EMPTY_QUEUE, MAX_SETTLED, type QueueState } from './queue-state.js';

const T0 = Date.UTC(2026, 0, 1);

function pending(id: string, fields: Partial<SignoffRequest> = {}): SignoffRequest {
  return { id, kind: 'approval', title: id, severity: 'medium', status: 'pending', createdAt: T0, expiresAt: T0 + 3_600_000, onTimeout: 'expire', ...fields } as SignoffRequest;
}

function settled(id: string, at: number, status: Decision['status'] = 'resolved'): SignoffRequest {
  const decision: Decision = { requestId: id, status, response: { approved: true } as Decision['response'], respondedBy: 'Dana', via: 'socket', respondedAt: at, waitMs: at - T0 };
  return { ...pending(id), status, decision };
}

const ids = (list: readonly SignoffRequest[]) => list.map((r) => r.id);

describe('applyQueueEvent', () => {
  it('takes the pending list from a snapshot, leaving what is known to be settled out', () => {
    const state: QueueState = { pending: [pending('old')], settled: [settled('done', T0 + 5)] };
    const next = applyQueueEvent(state, { type: 'snapshot', requests: [pending('a'), pending('done'), pending('b')] });
    expect(ids(next.pending)).toEqual(['a', 'b']);
    expect(ids(next.settled)).toEqual(['done']);
    expect(ids(state.pending)).toEqual(['old']); // never mutated
  });

  it('adds new pending requests once, and a notify straight to the settled list', () => {
    let state = applyQueueEvent(EMPTY_QUEUE, { type: 'new', request: pending('a') });
    state = applyQueueEvent(state, { type: 'new', request: pending('a') });
    state = applyQueueEvent(state, { type: 'new', request: { ...settled('note', T0 + 1), kind: 'notify' } });
    expect(ids(state.pending)).toEqual(['a']);
    expect(ids(state.settled)).toEqual(['note']);
  });

  it('moves a request that left the queue to the settled list, latest first', () => {
    let state: QueueState = { pending: [pending('a'), pending('b')], settled: [settled('x', T0 + 10)] };
    state = applyQueueEvent(state, { type: 'left', request: settled('a', T0 + 20) });
    state = applyQueueEvent(state, { type: 'left', request: settled('b', T0 + 5, 'expired') });
    expect(ids(state.pending)).toEqual([]);
    expect(ids(state.settled)).toEqual(['a', 'x', 'b']);
  });

  it('merges a history page by id, and drops from the queue what it says is settled', () => {
    const state: QueueState = { pending: [pending('a'), pending('b')], settled: [settled('x', T0 + 10)] };
    const next = applyQueueEvent(state, { type: 'history', requests: [pending('b'), settled('a', T0 + 30), settled('x', T0 + 10)] });
    expect(ids(next.pending)).toEqual(['b']);
    expect(ids(next.settled)).toEqual(['a', 'x']);
  });

  it('does not bring back a settled request when a late new arrives for it', () => {
    const state: QueueState = { pending: [], settled: [settled('a', T0 + 1)] };
    expect(applyQueueEvent(state, { type: 'new', request: pending('a') })).toBe(state);
  });

  it(`keeps at most ${MAX_SETTLED} settled requests, the latest`, () => {
    const many = Array.from({ length: MAX_SETTLED + 20 }, (_, i) => settled(`r${i}`, T0 + i));
    const next = applyQueueEvent(EMPTY_QUEUE, { type: 'history', requests: many });
    expect(next.settled).toHaveLength(MAX_SETTLED);
    expect(next.settled[0]!.id).toBe(`r${MAX_SETTLED + 19}`);
  });
});
