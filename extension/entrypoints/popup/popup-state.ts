import type { SignoffRequest } from '@signoff/shared';
import { isFeedItem, type Notice } from '@signoff/shared/ui';
import type { SignoffStore } from '../../lib/db.js';

/** What the popup shows, as read from IndexedDB. */
export interface PopupState {
  pending: SignoffRequest[];
  /** All pending, even when `pending` holds only the first page. */
  pendingTotal: number;
  history: SignoffRequest[];
  feed: SignoffRequest[];
  queued: ReadonlySet<string>;
  notices: Notice[];
}

/** Reads the popup's state; with `firstPage`, only that many pending (the fast first paint). */
export async function readPopupState(store: SignoffStore, firstPage?: number): Promise<PopupState> {
  const [page, settled, outbox, notices] = await Promise.all([
    firstPage === undefined ? store.allPending().then((requests) => ({ requests, total: requests.length })) : store.pendingPage(firstPage),
    store.history(),
    store.outbox(),
    store.notices(),
  ]);
  return {
    pending: page.requests,
    pendingTotal: page.total,
    history: settled.filter((r) => r.kind !== 'notify'),
    // Audit-rule approvals are decisions too: in the feed (what ran without asking) and in history.
    feed: settled.filter(isFeedItem),
    queued: new Set(outbox.map((q) => q.requestId)),
    notices: notices.map((n) => ({ id: n.id, text: n.text })),
  };
}
