import { bucketLabels, columnRects } from './chart-geometry.js';

const WIDTH = 360;
const BARS_HEIGHT = 96;
const LABEL_SPACE = 16;
const COUNT_SPACE = 14;

/**
 * Response-time distribution: one column per bucket (`≤10s` … `>1d`) with its count
 * above and its bound below. Drawn from the hub's bucket counts only.
 */
export function HistogramChart({ buckets }: { buckets: readonly { upToMs: number | null; count: number }[] }) {
  const labels = bucketLabels(buckets.map((b) => b.upToMs));
  const rects = columnRects(
    buckets.map((b) => b.count),
    WIDTH,
    BARS_HEIGHT,
    6,
  );
  const total = buckets.reduce((sum, b) => sum + b.count, 0);
  const summary =
    total === 0
      ? 'No human answers yet'
      : `Response times of ${total} answers: ${buckets
          .map((b, i) => (b.count > 0 ? `${b.count} ${labels[i]}` : ''))
          .filter(Boolean)
          .join(', ')}`;
  return (
    <figure class="sw-chart">
      <figcaption class="sw-chart-title">Response times</figcaption>
      <svg class="sw-histogram" viewBox={`0 0 ${WIDTH} ${COUNT_SPACE + BARS_HEIGHT + LABEL_SPACE}`} role="img" aria-label={summary}>
        <g transform={`translate(0 ${COUNT_SPACE})`}>
          <line class="sw-axis" x1="0" x2={WIDTH} y1={BARS_HEIGHT} y2={BARS_HEIGHT} />
          {rects.map((rect, i) => (
            <g key={labels[i]}>
              {rect.height > 0 && <rect class="sw-bar sw-bar-accent" x={rect.x} y={rect.y} width={rect.width} height={rect.height} rx="2" />}
              {(buckets[i]?.count ?? 0) > 0 && (
                <text class="sw-chart-count" x={rect.x + rect.width / 2} y={rect.y - 3} text-anchor="middle">
                  {buckets[i]!.count}
                </text>
              )}
              <text class="sw-chart-label" x={rect.x + rect.width / 2} y={BARS_HEIGHT + 12} text-anchor="middle">
                {labels[i]}
              </text>
            </g>
          ))}
        </g>
      </svg>
    </figure>
  );
}
