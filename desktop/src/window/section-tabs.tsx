import type { TargetedKeyboardEvent } from 'preact';
import { SECTION_LABELS, stepSection, type Section } from './window-sections.js';

/** Props of {@link SectionTabs}. */
export interface SectionTabsProps {
  tabs: readonly Section[];
  selected: Section;
  onSelect: (section: Section) => void;
  /** Element ids of what each tab shows: the queue's, and the dashboard panel's. */
  controls: { queue: string; dashboard: string };
  /** Numbers beside tab names (the queue's waiting count). */
  counts?: Partial<Record<Section, number>>;
}

/** The tab ids, so panels can name the tab that labels them. */
export const sectionTabId = (section: Section) => `sw-tab-${section}`;

/** The window's section tabs (Queue, Stats, History, Runs); arrow keys move between them. */
export function SectionTabs({ tabs, selected, onSelect, controls, counts = {} }: SectionTabsProps) {
  const onKeyDown = (event: TargetedKeyboardEvent<HTMLDivElement>) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = stepSection(tabs, selected, step);
    onSelect(next);
    event.currentTarget.querySelector<HTMLElement>(`#${sectionTabId(next)}`)?.focus();
  };
  return (
    <div class="so-tabs sw-section-tabs" role="tablist" aria-label="Sections" onKeyDown={onKeyDown}>
      {tabs.map((tab) => {
        const count = counts[tab];
        return (
          <button
            key={tab}
            type="button"
            role="tab"
            id={sectionTabId(tab)}
            class="so-tab"
            aria-selected={tab === selected ? 'true' : 'false'}
            aria-controls={tab === 'queue' ? controls.queue : controls.dashboard}
            tabIndex={tab === selected ? 0 : -1}
            onClick={() => onSelect(tab)}
          >
            {SECTION_LABELS[tab]}
            {count !== undefined && count > 0 && <span class="so-count">{count}</span>}
          </button>
        );
      })}
    </div>
  );
}
