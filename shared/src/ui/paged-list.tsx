import type { ComponentChildren } from 'preact';
import { visiblePage } from './pagination.js';

/** Props of {@link PagedList}. */
export interface PagedListProps<T> {
  items: readonly T[];
  /** How many rows to render; the rest wait behind "Show more". */
  shown: number;
  pageSize: number;
  selectedIndex: number;
  /** Names the list for screen readers ("Pending requests"). */
  label: string;
  emptyText: string;
  getId: (item: T) => string;
  /** The row's content; it sits inside the row's button, so it holds no controls. */
  renderRow: (item: T) => ComponentChildren;
  rowClass?: (item: T) => string;
  onOpen: (item: T, index: number) => void;
  onShowMore: () => void;
}

/**
 * A list that renders one window of rows, each a button that opens its item.
 * The selected row carries `data-selected` so keyboard moves can focus it.
 */
export function PagedList<T>(props: PagedListProps<T>) {
  const { items, shown, pageSize, selectedIndex, getId } = props;
  if (items.length === 0) return <p class="so-empty">{props.emptyText}</p>;
  const { visible, remaining } = visiblePage(items, shown);
  return (
    <>
      <ul class="so-list" aria-label={props.label}>
        {visible.map((item, index) => {
          const selected = index === selectedIndex;
          return (
            <li key={getId(item)}>
              <button
                type="button"
                class={`so-row${selected ? ' is-selected' : ''}${props.rowClass ? ` ${props.rowClass(item)}` : ''}`}
                data-selected={selected ? 'true' : undefined}
                aria-current={selected ? 'true' : undefined}
                onClick={() => props.onOpen(item, index)}
              >
                {props.renderRow(item)}
              </button>
            </li>
          );
        })}
      </ul>
      {remaining > 0 && (
        <button type="button" class="so-btn so-show-more" onClick={props.onShowMore}>
          Show more ({Math.min(pageSize, remaining)} of {remaining} hidden)
        </button>
      )}
    </>
  );
}
