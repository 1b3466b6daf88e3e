import { formatPercent, stackedSegments } from './chart-geometry.js';

const WIDTH = 100;

/**
 * The approval rate: the share as a big number, and approved against rejected as
 * one stacked bar with a legend. Counts only human decisions on approvals.
 */
export function ApprovalChart({ approved, rejected }: { approved: number; rejected: number }) {
  const total = approved + rejected;
  const [yes, no] = stackedSegments([approved, rejected], WIDTH);
  const summary = total === 0 ? 'No approvals decided yet' : `${approved} approved, ${rejected} rejected`;
  return (
    <figure class="sw-chart">
      <figcaption class="sw-chart-title">Approval rate</figcaption>
      <p class="sw-big-number">{formatPercent(total === 0 ? null : approved / total)}</p>
      <svg class="sw-stack" viewBox={`0 0 ${WIDTH} 10`} preserveAspectRatio="none" role="img" aria-label={summary}>
        <rect class="sw-stack-empty" x="0" y="0" width={WIDTH} height="10" rx="2" />
        {yes && yes.width > 0 && <rect class="sw-bar-approved" x={yes.x} y="0" width={yes.width} height="10" />}
        {no && no.width > 0 && <rect class="sw-bar-rejected" x={no.x} y="0" width={no.width} height="10" />}
      </svg>
      <ul class="sw-legend">
        <li>
          <span class="sw-swatch sw-swatch-approved" aria-hidden="true" />
          Approved {approved}
        </li>
        <li>
          <span class="sw-swatch sw-swatch-rejected" aria-hidden="true" />
          Rejected {rejected}
        </li>
      </ul>
    </figure>
  );
}
