import { describe, expect, it } from 'vitest';
import type { SignoffRequest } from '../protocol/index.js';
import { sortFeed, sortHistory, sortQueue } from './queue-order.js';
import { sampleRequest } from '../samples/requests.js';

const makeRequest = (overrides: Partial<SignoffRequest>) => sampleRequest('approval', overrides as Partial<SignoffRequest<'approval'>>);

const ids = (list: SignoffRequest[]) => list.map((r) => r.id);

describe('sortQueue', () => {
  it('puts the most severe first, then the oldest', () => {
    const list = [
      makeRequest({ id: 'low-old', severity: 'low', createdAt: 1 }),
      makeRequest({ id: 'med-new', severity: 'medium', createdAt: 50 }),
      makeRequest({ id: 'crit-new', severity: 'critical', createdAt: 99 }),
      makeRequest({ id: 'med-old', severity: 'medium', createdAt: 10 }),
      makeRequest({ id: 'high', severity: 'high', createdAt: 70 }),
      makeRequest({ id: 'crit-old', severity: 'critical', createdAt: 5 }),
    ];
    expect(ids(sortQueue(list))).toEqual(['crit-old', 'crit-new', 'high', 'med-old', 'med-new', 'low-old']);
  });

  it('keeps ties stable by id and leaves the input alone', () => {
    const list = [makeRequest({ id: 'b', createdAt: 1 }), makeRequest({ id: 'a', createdAt: 1 })];
    expect(ids(sortQueue(list))).toEqual(['a', 'b']);
    expect(ids(list)).toEqual(['b', 'a']);
  });
});

describe('sortHistory', () => {
  it('shows the latest decision first', () => {
    const decided = (id: string, respondedAt: number) =>
      makeRequest({
        id,
        status: 'resolved',
        decision: { requestId: id, status: 'resolved', response: { approved: true }, respondedBy: 'Ada', via: 'socket', respondedAt, waitMs: 1 },
      });
    expect(ids(sortHistory([decided('first', 10), decided('last', 30), decided('middle', 20)]))).toEqual(['last', 'middle', 'first']);
  });
});

describe('sortFeed', () => {
  it('shows the newest first', () => {
    const list = [makeRequest({ id: 'old', createdAt: 1 }), makeRequest({ id: 'new', createdAt: 9 })];
    expect(ids(sortFeed(list))).toEqual(['new', 'old']);
  });
});
