import type { RequestReview, SignoffRequest } from '@signoff/shared';
import { describe, expect, it } from 'vitest';
import { withReviews, type ReviewRecords } from './review-store.js';

const pending = (id: string, bodyChars: number) =>
  ({ id, kind: 'approval', title: id, body: 'x'.repeat(bodyChars), createdAt: 0, expiresAt: 1, status: 'pending', onTimeout: 'expire' }) as SignoffRequest;

const recordsOf = (byId: Record<string, RequestReview>): ReviewRecords => ({ put() {}, get: (id) => byId[id] });

/** The largest review a reviewer can leave: 4,000 characters, each escaped in JSON. */
const LARGE_REVIEW: RequestReview = { reviewer: 'judge', verdict: 'unsure', confidence: 0.5, reasoning: '"'.repeat(4000) };

describe('withReviews', () => {
  it('adds each pending request’s review, leaving a page without reviews as the store cut it', () => {
    const page = { requests: [pending('a', 10), pending('b', 10)], more: false };
    expect(withReviews(page, recordsOf({}), 1000)).toBe(page);
    expect(withReviews(page, recordsOf({ b: LARGE_REVIEW }), 1_000_000).requests.map((r) => r.review)).toEqual([undefined, LARGE_REVIEW]);
  });

  it('cuts a page its reviews would take past the bound, keeping at least one request', () => {
    const page = { requests: [pending('a', 4000), pending('b', 4000), pending('c', 4000)], more: false };
    const maxBytes = 3 * JSON.stringify(page.requests[0]).length;
    const cut = withReviews(page, recordsOf({ a: LARGE_REVIEW, b: LARGE_REVIEW, c: LARGE_REVIEW }), maxBytes);
    expect(cut.more).toBe(true);
    expect(cut.requests.map((r) => r.id)).toEqual(['a']);
    // One request is always served, however large: the store's own rule.
    expect(withReviews(page, recordsOf({ a: LARGE_REVIEW }), 1).requests.map((r) => r.id)).toEqual(['a']);
    expect(cut.requests.reduce((n, r) => n + JSON.stringify(r).length, 0)).toBeLessThanOrEqual(maxBytes);
  });
});
