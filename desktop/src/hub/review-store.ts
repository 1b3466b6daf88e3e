import type Database from 'better-sqlite3';
import type { RequestPage, RequestReview, SignoffRequest } from '@signoff/shared';

/** Reviewers' verdicts on requests they left to a person (migration 5), so a reconnecting approver or a restarted hub still shows them. */
export interface ReviewRecords {
  /** Records (or replaces) the verdict on a request. */
  put(requestId: string, review: RequestReview): void;
  get(requestId: string): RequestReview | undefined;
}

/** {@link ReviewRecords} on better-sqlite3. */
export class SqliteReviews implements ReviewRecords {
  private readonly stmt;

  constructor(
    db: Database.Database,
    /** Called after each commit here (the background checkpointer's cue). */
    private readonly noteWrite: () => void,
  ) {
    this.stmt = {
      put: db.prepare(`INSERT INTO reviews (request_id, review) VALUES (?, ?) ON CONFLICT(request_id) DO UPDATE SET review = excluded.review`),
      get: db.prepare(`SELECT review FROM reviews WHERE request_id = ?`),
    };
  }

  put(requestId: string, review: RequestReview): void {
    this.stmt.put.run(requestId, JSON.stringify(review));
    this.noteWrite();
  }

  get(requestId: string): RequestReview | undefined {
    const row = this.stmt.get.get(requestId) as { review: string } | undefined;
    return row ? (JSON.parse(row.review) as RequestReview) : undefined;
  }
}

/**
 * A page of requests with each pending one's review, for the person deciding (the request
 * list and the approver snapshot). Reviews add to what the store measured when it cut the
 * page at `maxBytes`, so a page that gained any is measured again and cut (keeping at
 * least one request, `more: true`): a page of large requests with large reviews stays
 * within the bound.
 */
export function withReviews<P extends RequestPage>(page: P, reviews: ReviewRecords | undefined, maxBytes: number): P {
  if (!reviews || !page.requests.some((r) => r.status === 'pending')) return page;
  let reviewed = false;
  const requests = page.requests.map((request) => {
    if (request.status !== 'pending') return request;
    const review = reviews.get(request.id);
    if (!review) return request;
    reviewed = true;
    return { ...request, review } as SignoffRequest;
  });
  if (!reviewed) return page;
  // Measured as the store measures (JSON string length), now with the reviews.
  let size = 0;
  for (let i = 0; i < requests.length; i++) {
    size += JSON.stringify(requests[i]).length;
    if (i > 0 && size > maxBytes) return { ...page, requests: requests.slice(0, i), more: true };
  }
  return { ...page, requests };
}
