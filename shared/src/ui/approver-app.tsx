import type { TargetedKeyboardEvent } from 'preact';
import { useEffect, useId, useLayoutEffect, useMemo, useReducer, useRef, useState } from 'preact/hooks';
import type { AnyResponse, Grant, SignoffRequest } from '../protocol/index.js';
import { vanishedNotice } from './decision-summary.js';
import { shortcutFor } from './keyboard.js';
import type { ConnectionState } from './labels.js';
import { initialNavigation, navigate, selectedIndexIn, Tab } from './navigation.js';
import { PagedList } from './paged-list.js';
import { DEFAULT_PAGE_SIZE } from './pagination.js';
import { sortFeed, sortHistory, sortQueue } from './queue-order.js';
import { RequestDetail, type RespondResult } from './request-detail.js';
import { FeedRow, HistoryRow, PendingRow } from './request-rows.js';
import { ConnectionBanner, NoticeList, type Notice } from './status-banners.js';
import { useDocumentKeydown } from './use-document-keydown.js';

/**
 * Everything the approver UI needs, as data and callbacks. The host (extension
 * popup, tray window) owns the connection, storage and clock; the UI owns nothing
 * but what is on screen.
 */
export interface ApproverAppProps {
  /** Requests waiting for a human; shown most severe, then oldest, first. */
  pending: readonly SignoffRequest[];
  /**
   * How many are waiting in all, when `pending` holds only the first page (a host
   * that paints a page from its cache before loading the rest).
   * @default pending.length
   */
  pendingTotal?: number;
  /** Recently settled requests with their `decision`. */
  history: readonly SignoffRequest[];
  /**
   * The feed: `notify` requests (shown, never answered), approvals an audit rule let
   * through, and what a reviewer decided without a person; a host picks them from its
   * settled requests with `isFeedItem`.
   */
  feed: readonly SignoffRequest[];
  /** The hub's "always allow" grants, when the host has them: history names who made the one behind a decision. */
  grants?: readonly Grant[];
  /**
   * Opens the host's "Allowed" list (its grants, with Revoke); without it no such control is shown.
   * `allowedCount` is shown beside it.
   */
  onOpenAllowed?: () => void;
  allowedCount?: number;
  connection: ConnectionState;
  /**
   * Whether the host queues decisions made offline (the extension does; the window
   * does not, and says "Not sent" instead). Only changes the offline banner's words.
   * @default true
   */
  queuesOffline?: boolean;
  /** Ids whose answer is queued while offline. */
  queued: ReadonlySet<string>;
  /** The host's own notices (an answer failed to send, a token expired). */
  notices: readonly Notice[];
  onDismissNotice: (id: string) => void;
  /** The host's clock, in ms; ticking it (each second) drives the countdowns. */
  now: number;
  /** Opens this request's detail at start (a click on a native notification). */
  initialRequestId?: string;
  /** The saved form for a request, as handed to `saveDraft`; `undefined` if none. */
  loadDraft: (id: string) => Promise<unknown>;
  /** Called on every change of a form, to keep half-written answers. */
  saveDraft: (id: string, draft: unknown) => void;
  /**
   * Sends (or queues) an answer. `{ ok: false, message }` is shown to the human as
   * is, so it should read like "already decided by Ada via socket".
   */
  respond: (id: string, response: AnyResponse) => Promise<RespondResult>;
  /** Shows the host's settings (pairing); without it no settings control is shown. */
  onOpenSettings?: () => void;
  /**
   * Rows rendered per list before "Show more".
   * @default 50
   */
  pageSize?: number;
}

const TAB_LABELS: Record<Tab, string> = { pending: 'Pending', feed: 'Feed', history: 'History' };
const TABS = [Tab.pending, Tab.feed, Tab.history] as const;
const MAX_LOCAL_NOTICES = 5;

/**
 * The approver UI: Pending queue, notification Feed and decision History, a
 * detail view per request kind, connection banner and notices. Renders a page of
 * each list at a time, so 10,000 pending requests cost 50 rows. Keys: `j`/`k`
 * move, Enter opens, Escape goes back; in an approval `a` approves, `r` goes to
 * the reason.
 */
export function ApproverApp(props: ApproverAppProps) {
  const pageSize = Math.max(1, Math.floor(props.pageSize ?? DEFAULT_PAGE_SIZE));
  const [nav, dispatch] = useReducer(navigate, undefined, () => initialNavigation(pageSize, props.initialRequestId));
  const [localNotices, setLocalNotices] = useState<Notice[]>([]);
  const baseId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const focusNext = useRef<'row' | 'heading' | 'tab' | null>(props.initialRequestId ? 'heading' : null);
  /** Requests this UI has answered (in flight or sent): their leaving the queue is no news. */
  const answering = useRef(new Set<string>());
  /** The open request as last seen, so its detail survives the frame in which it leaves the queue. */
  const lastOpen = useRef<{ request: SignoffRequest; from: Tab } | null>(null);
  const noticeCount = useRef(0);

  const queue = useMemo(() => sortQueue(props.pending), [props.pending]);
  const feed = useMemo(() => sortFeed(props.feed), [props.feed]);
  const history = useMemo(() => sortHistory(props.history), [props.history]);
  const pendingIds = useMemo(() => new Set(props.pending.map((r) => r.id)), [props.pending]);
  const pendingIdsRef = useRef(pendingIds);
  pendingIdsRef.current = pendingIds;

  const list = nav.tab === Tab.pending ? queue : nav.tab === Tab.feed ? feed : history;
  const ids = useMemo(() => list.map((r) => r.id), [list]);
  const selectedIndex = selectedIndexIn(nav, ids);

  const found = nav.openId === null ? null : findRequest(nav.openId, props);
  if (lastOpen.current && lastOpen.current.request.id !== nav.openId) lastOpen.current = null;
  const seen = lastOpen.current;
  const vanished = nav.openId !== null && seen !== null && seen.request.id === nav.openId && seen.from === Tab.pending && found?.from !== Tab.pending;
  if (found && !vanished) lastOpen.current = found;
  const open = vanished ? seen : found;

  const addNotice = (text: string) => {
    noticeCount.current += 1;
    const notice = { id: `local-${noticeCount.current}`, text };
    setLocalNotices((notices) => [...notices.slice(-(MAX_LOCAL_NOTICES - 1)), notice]);
  };

  // An open request that leaves the queue without our answer was decided elsewhere
  // (another surface, a timeout, the agent cancelled): close it and say so.
  useEffect(() => {
    for (const id of answering.current) if (!pendingIds.has(id) && id !== nav.openId) answering.current.delete(id);
    if (!vanished || nav.openId === null || seen === null || answering.current.has(nav.openId)) return;
    const id = nav.openId;
    focusNext.current = 'row';
    dispatch({ type: 'back', id });
    addNotice(vanishedNotice(seen.request.title, props.history.find((r) => r.id === id)));
  });

  // Focus follows keyboard moves and view changes as soon as the DOM has them (a layout
  // effect: a plain effect waits for a frame, and a fast second key would act on the old focus).
  useLayoutEffect(() => {
    const target = focusNext.current;
    if (target === null) return;
    if (target === 'heading') {
      if (!headingRef.current) return;
      headingRef.current.focus();
    } else if (target === 'row') {
      if (nav.openId !== null && open) return;
      rootRef.current?.querySelector<HTMLElement>('[data-selected="true"]')?.focus();
    } else {
      rootRef.current?.querySelector<HTMLElement>('[role="tab"][aria-selected="true"]')?.focus();
    }
    focusNext.current = null;
  });

  const openRequest = (id: string, index: number) => {
    focusNext.current = 'heading';
    dispatch({ type: 'open', id, index });
  };
  const goBack = () => {
    focusNext.current = 'row';
    dispatch({ type: 'back' });
  };
  const selectTab = (tab: Tab, focusTab: boolean) => {
    if (focusTab) focusNext.current = 'tab';
    dispatch({ type: 'tab', tab, pageSize });
  };

  const respondTo = (request: SignoffRequest) => async (response: AnyResponse): Promise<RespondResult> => {
    const id = request.id;
    answering.current.add(id);
    let result: RespondResult;
    try {
      result = await props.respond(id, response);
    } catch (error) {
      result = { ok: false, message: error instanceof Error ? error.message : String(error) };
    }
    if (result.ok) {
      focusNext.current = 'row';
      dispatch({ type: 'back', id });
    } else {
      answering.current.delete(id);
      if (!pendingIdsRef.current.has(id)) {
        // Refused, and no longer waiting: nothing left to answer here.
        focusNext.current = 'row';
        dispatch({ type: 'back', id });
        addNotice(result.message);
      }
    }
    return result;
  };

  useDocumentKeydown(rootRef, (event) => {
    if (event.defaultPrevented) return;
    const shortcut = shortcutFor(event, open ? 'detail' : 'list');
    switch (shortcut) {
      case 'next':
      case 'previous':
        event.preventDefault();
        focusNext.current = 'row';
        dispatch({ type: 'move', delta: shortcut === 'next' ? 1 : -1, ids, pageSize });
        return;
      case 'open': {
        const id = ids[selectedIndex];
        if (id === undefined) return;
        event.preventDefault();
        openRequest(id, selectedIndex);
        return;
      }
      case 'back':
        event.preventDefault();
        goBack();
        return;
      case 'leaveField':
        event.preventDefault();
        headingRef.current?.focus();
        return;
      default:
        return;
    }
  });

  const onTabKey = (event: TargetedKeyboardEvent<HTMLDivElement>) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = TABS[(TABS.indexOf(nav.tab) + step + TABS.length) % TABS.length]!;
    selectTab(next, true);
  };

  const notices = [...props.notices, ...localNotices];
  const dismiss = (id: string) => {
    if (localNotices.some((n) => n.id === id)) setLocalNotices((list) => list.filter((n) => n.id !== id));
    else props.onDismissNotice(id);
  };
  const waiting = Math.max(props.pendingTotal ?? 0, props.pending.length);
  const counts: Record<Tab, number | null> = { pending: waiting, feed: props.feed.length || null, history: null };

  return (
    <div class="so-app" ref={rootRef}>
      <header class="so-header">
        <h1 class="so-brand">Signoff</h1>
        <span class="so-header-status">{waiting === 0 ? 'Nothing waiting' : `${waiting} waiting`}</span>
        {props.onOpenAllowed && (
          <button type="button" class="so-btn so-btn-quiet so-btn-small" onClick={props.onOpenAllowed}>
            Allowed
            {props.allowedCount ? <span class="so-count">{props.allowedCount}</span> : null}
          </button>
        )}
        {props.onOpenSettings && (
          <button type="button" class="so-btn so-btn-quiet so-btn-small" onClick={props.onOpenSettings}>
            Settings
          </button>
        )}
      </header>
      <ConnectionBanner state={props.connection} onOpenSettings={props.onOpenSettings} queuesOffline={props.queuesOffline ?? true} />
      <NoticeList notices={notices} onDismiss={dismiss} />

      {open ? (
        <RequestDetail
          key={open.request.id}
          request={open.request}
          mode={open.from === Tab.pending && open.request.kind !== 'notify' ? 'respond' : 'read'}
          queued={props.queued.has(open.request.id)}
          now={props.now}
          loadDraft={props.loadDraft}
          saveDraft={props.saveDraft}
          respond={respondTo(open.request)}
          onBack={goBack}
          headingRef={headingRef}
          {...(props.grants ? { grants: props.grants } : {})}
        />
      ) : (
        <>
          <div class="so-tabs" role="tablist" aria-label="Views" onKeyDown={onTabKey}>
            {TABS.map((tab) => {
              const selected = nav.tab === tab;
              const count = counts[tab];
              return (
                <button
                  key={tab}
                  type="button"
                  role="tab"
                  id={`${baseId}-tab-${tab}`}
                  class="so-tab"
                  aria-selected={selected ? 'true' : 'false'}
                  aria-controls={`${baseId}-panel`}
                  tabIndex={selected ? 0 : -1}
                  onClick={() => selectTab(tab, false)}
                >
                  {TAB_LABELS[tab]}
                  {count !== null && <span class="so-count">{count}</span>}
                </button>
              );
            })}
          </div>
          <div class="so-panel" role="tabpanel" id={`${baseId}-panel`} aria-labelledby={`${baseId}-tab-${nav.tab}`}>
            <PagedList
              items={list}
              shown={nav.shown}
              pageSize={pageSize}
              selectedIndex={selectedIndex}
              label={nav.tab === Tab.pending ? 'Pending requests' : nav.tab === Tab.feed ? 'Notifications' : 'Recent decisions'}
              emptyText={nav.tab === Tab.pending ? 'Nothing is waiting for you.' : nav.tab === Tab.feed ? 'No notifications yet.' : 'No decisions yet.'}
              getId={(r) => r.id}
              rowClass={(r) => `so-edge-${r.severity}`}
              renderRow={(r) =>
                nav.tab === Tab.pending ? (
                  <PendingRow request={r} now={props.now} queued={props.queued.has(r.id)} />
                ) : nav.tab === Tab.feed ? (
                  <FeedRow request={r} now={props.now} />
                ) : (
                  <HistoryRow request={r} now={props.now} grants={props.grants} />
                )
              }
              onOpen={(r, index) => openRequest(r.id, index)}
              onShowMore={() => dispatch({ type: 'showMore', pageSize })}
            />
          </div>
        </>
      )}
    </div>
  );
}

/** Where request `id` is shown: the queue first (it can be answered there), then feed, then history. */
function findRequest(id: string, lists: Pick<ApproverAppProps, 'pending' | 'feed' | 'history'>): { request: SignoffRequest; from: Tab } | null {
  const pending = lists.pending.find((r) => r.id === id);
  if (pending) return { request: pending, from: Tab.pending };
  const notice = lists.feed.find((r) => r.id === id);
  if (notice) return { request: notice, from: Tab.feed };
  const past = lists.history.find((r) => r.id === id);
  return past ? { request: past, from: Tab.history } : null;
}
