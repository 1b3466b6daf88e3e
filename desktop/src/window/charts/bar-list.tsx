import { barLength } from './chart-geometry.js';

/** One labelled value of a {@link BarList}. */
export interface BarItem {
  key: string;
  /** Shown as text beside the bar (it may be an agent's id: never markup). */
  label: string;
  value: number;
}

const TRACK = 100;

/**
 * Labelled horizontal bars (expiries by agent, requests by status): the label and
 * the number as text, the bar as decoration sized from the number alone.
 */
export function BarList({ caption, items, emptyText, tone = 'accent' }: { caption: string; items: readonly BarItem[]; emptyText: string; tone?: 'accent' | 'warn' }) {
  const max = Math.max(0, ...items.map((i) => i.value));
  return (
    <figure class="sw-chart">
      <figcaption class="sw-chart-title">{caption}</figcaption>
      {items.length === 0 ? (
        <p class="sw-chart-empty">{emptyText}</p>
      ) : (
        <ul class="sw-bars">
          {items.map((item) => (
            <li class="sw-bar-row" key={item.key}>
              <span class="sw-bar-label" title={item.label}>
                {item.label}
              </span>
              <svg class="sw-bar-track" viewBox={`0 0 ${TRACK} 10`} preserveAspectRatio="none" aria-hidden="true" focusable="false">
                <rect class={`sw-bar sw-bar-${tone}`} x="0" y="0" width={barLength(item.value, max, TRACK)} height="10" rx="1.5" />
              </svg>
              <span class="sw-bar-value">{item.value}</span>
            </li>
          ))}
        </ul>
      )}
    </figure>
  );
}
