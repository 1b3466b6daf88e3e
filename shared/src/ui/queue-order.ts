import { SEVERITY_RANK, type SignoffRequest } from '../protocol/index.js';

/**
 * The orders the approver's lists are shown in. Each returns a new array and never
 * mutates the host's (it may be a store's live list).
 */

/**
 * The pending queue: most severe first (a critical request must not hide behind a
 * hundred low ones), then oldest first (first come, first served), then by id so
 * equal rows keep a stable place as the list updates.
 */
export function sortQueue(requests: readonly SignoffRequest[]): SignoffRequest[] {
  return [...requests].sort(
    (a, b) =>
      SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
      a.createdAt - b.createdAt ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/** When a request was settled: its decision's time, else its creation (a decision not yet loaded). */
export function settledAt(request: SignoffRequest): number {
  return request.decision?.respondedAt ?? request.createdAt;
}

/** Recent decisions: the latest first, which is what "what just happened?" asks for. */
export function sortHistory(requests: readonly SignoffRequest[]): SignoffRequest[] {
  return [...requests].sort((a, b) => settledAt(b) - settledAt(a) || (a.id < b.id ? -1 : 1));
}

/** The notify feed: newest first, like any activity log. */
export function sortFeed(requests: readonly SignoffRequest[]): SignoffRequest[] {
  return [...requests].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1));
}
