import type Database from 'better-sqlite3';
import type { RequestReview } from '@signoff/shared';

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
