/**
 * Lists render a page, never the whole queue: 10,000 pending requests as DOM rows
 * would freeze a popup. "Show more" and moving the selection past the end grow the
 * window a page at a time.
 */

/**
 * Rows rendered before "Show more".
 * @default 50
 */
export const DEFAULT_PAGE_SIZE = 50;

/** The first `shown` items and how many stay hidden. */
export function visiblePage<T>(items: readonly T[], shown: number): { visible: T[]; remaining: number } {
  const count = Math.max(0, Math.min(items.length, Math.floor(shown)));
  return { visible: items.slice(0, count), remaining: items.length - count };
}

/** How many rows to show so that row `index` is rendered: whole pages, at least one. */
export function shownToInclude(index: number, shown: number, pageSize: number): number {
  const size = Math.max(1, Math.floor(pageSize));
  if (index < shown) return Math.max(shown, size);
  return (Math.floor(index / size) + 1) * size;
}

/** `index` kept inside a list of `length` items; -1 for an empty list. */
export function clampIndex(index: number, length: number): number {
  if (length <= 0) return -1;
  return Math.max(0, Math.min(length - 1, index));
}
