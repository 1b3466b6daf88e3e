/**
 * Numbers to shapes for the dashboard's small SVG charts. Pure: every chart is
 * drawn from counts only (never from agent text), and these functions are tested
 * without a browser.
 */

/** A bar's length out of `full`, in proportion to the largest value; a non-zero value is never drawn thinner than `minimum`. */
export function barLength(value: number, max: number, full: number, minimum = 2): number {
  if (!(value > 0) || !(max > 0)) return 0;
  return Math.max(minimum, Math.min(full, (value / max) * full));
}

/** A rectangle in a chart's viewBox. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Vertical bars for a histogram: `counts.length` equal slots across `width`, each
 * bar as tall as its count relative to the largest, standing on the baseline at `height`.
 */
export function columnRects(counts: readonly number[], width: number, height: number, gap = 4): Rect[] {
  const max = Math.max(0, ...counts);
  const slot = counts.length ? width / counts.length : 0;
  const barWidth = Math.max(1, slot - gap);
  return counts.map((count, i) => {
    const h = barLength(count, max, height);
    return { x: i * slot + (slot - barWidth) / 2, y: height - h, width: barWidth, height: h };
  });
}

/** Segments of a stacked bar across `width`, one per part (in order), zero-width for empty parts; all zero when nothing was counted. */
export function stackedSegments(parts: readonly number[], width: number): { x: number; width: number }[] {
  const total = parts.reduce((sum, p) => sum + Math.max(0, p), 0);
  let x = 0;
  return parts.map((part) => {
    const w = total > 0 ? (Math.max(0, part) / total) * width : 0;
    const segment = { x, width: w };
    x += w;
    return segment;
  });
}

/** A share as a whole percentage (`0.666…` → `67%`); `–` when there is no share yet. */
export function formatPercent(share: number | null): string {
  if (share === null || !Number.isFinite(share)) return '–';
  return `${Math.round(share * 100)}%`;
}

/** A duration bound in one short unit (`10s`, `5m`, `4h`, `1d`), for axis labels. */
export function compactDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)}h`;
  return `${Math.round(seconds / 86_400)}d`;
}

/** Labels of the response-time buckets: `≤10s` … `≤1d`, and `>1d` for the open last one (after the previous bound). */
export function bucketLabels(bounds: readonly (number | null)[]): string[] {
  return bounds.map((bound, i) => {
    if (bound !== null) return `≤${compactDuration(bound)}`;
    const previous = bounds[i - 1];
    return previous === null || previous === undefined ? 'all' : `>${compactDuration(previous)}`;
  });
}
