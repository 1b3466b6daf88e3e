import { clampIndex, shownToInclude } from './pagination.js';

/**
 * Where the approver is: which tab, which row is selected, how many rows are shown,
 * which request is open. A reducer, so keyboard flows are tested without a DOM.
 */

/** The three lists: the queue, the notification feed, recent decisions. */
export const Tab = { pending: 'pending', feed: 'feed', history: 'history' } as const;
export type Tab = (typeof Tab)[keyof typeof Tab];

/** The approver's place in the UI. */
export interface Navigation {
  tab: Tab;
  /** The selected row by id, so a request arriving above it does not move the selection onto another. */
  selectedId: string | null;
  /** Where the selection last was; used when the selected request leaves the list. */
  selectedIndex: number;
  /** Rows rendered in the current tab. */
  shown: number;
  /** The request whose detail is open, or `null` for the list. */
  openId: string | null;
}

/** What can move the approver: tabs, j/k, opening, going back, "Show more". */
export type NavigationAction =
  | { type: 'tab'; tab: Tab; pageSize: number }
  | { type: 'move'; delta: number; ids: readonly string[]; pageSize: number }
  | { type: 'select'; id: string; index: number }
  | { type: 'open'; id: string; index?: number }
  /** Back to the list; with `id`, only if that request is still the open one (an answer landing late). */
  | { type: 'back'; id?: string }
  | { type: 'showMore'; pageSize: number };

/** The list view of the Pending tab, or the detail of `openId` (a notification's request). */
export function initialNavigation(pageSize: number, openId?: string): Navigation {
  return { tab: Tab.pending, selectedId: openId ?? null, selectedIndex: 0, shown: pageSize, openId: openId ?? null };
}

/** The selected row's index in `ids`: the selected request's place, else the row that took it. */
export function selectedIndexIn(nav: Navigation, ids: readonly string[]): number {
  if (nav.selectedId !== null) {
    const index = ids.indexOf(nav.selectedId);
    if (index !== -1) return index;
  }
  return clampIndex(nav.selectedIndex, ids.length);
}

/** The reducer: the next place after `action`. Unchanged state is returned as is (no re-render). */
export function navigate(nav: Navigation, action: NavigationAction): Navigation {
  switch (action.type) {
    case 'tab':
      if (action.tab === nav.tab && nav.openId === null) return nav;
      return { tab: action.tab, selectedId: null, selectedIndex: 0, shown: action.pageSize, openId: null };
    case 'move': {
      const current = selectedIndexIn(nav, action.ids);
      if (current === -1) return nav;
      const next = clampIndex(current + action.delta, action.ids.length);
      // Moving happens in the list, so a request still awaited from `initialRequestId` is given up.
      return { ...nav, selectedId: action.ids[next] ?? null, selectedIndex: next, shown: shownToInclude(next, nav.shown, action.pageSize), openId: null };
    }
    case 'select':
      return { ...nav, selectedId: action.id, selectedIndex: action.index };
    case 'open':
      return { ...nav, openId: action.id, selectedId: action.id, selectedIndex: action.index ?? nav.selectedIndex };
    case 'back':
      if (nav.openId === null || (action.id !== undefined && action.id !== nav.openId)) return nav;
      return { ...nav, openId: null };
    case 'showMore':
      return { ...nav, shown: nav.shown + action.pageSize };
  }
}
