/** The window's sections: the queue of the shared approver UI, the dashboard's three views, and the "Allowed" grants. */
export const Section = {
  queue: 'queue',
  history: 'history',
  runs: 'runs',
  stats: 'stats',
  allowed: 'allowed',
} as const;
export type Section = (typeof Section)[keyof typeof Section];

/** Section names as shown on their tabs. */
export const SECTION_LABELS: Record<Section, string> = { queue: 'Queue', history: 'History', runs: 'Runs', stats: 'Stats', allowed: 'Allowed' };

/** Tabs in order: a narrow window shows one section at a time, so the queue is a tab too; a wide one keeps the queue beside the dashboard. */
export function sectionTabs(wide: boolean): readonly Section[] {
  return wide
    ? [Section.stats, Section.history, Section.runs, Section.allowed]
    : [Section.queue, Section.stats, Section.history, Section.runs, Section.allowed];
}

/** The dashboard view shown beside the queue in a wide window, when the selected section is the queue itself. */
export const DEFAULT_DASHBOARD: Section = Section.stats;

/** Which section is on screen for a selection: in a wide window the queue is always there, so the queue tab maps to the default dashboard view. */
export function visibleDashboard(selected: Section, wide: boolean): Section | null {
  if (selected !== Section.queue) return selected;
  return wide ? DEFAULT_DASHBOARD : null;
}

/** The section after `current` by an arrow key (wrapping), for the tab list's keyboard. */
export function stepSection(tabs: readonly Section[], current: Section, step: 1 | -1): Section {
  const index = tabs.indexOf(current);
  const from = index === -1 ? 0 : index;
  return tabs[(from + step + tabs.length) % tabs.length]!;
}
