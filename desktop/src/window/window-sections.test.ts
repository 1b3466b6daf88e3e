import { describe, expect, it } from 'vitest';
import { Section, sectionTabs, stepSection, visibleDashboard } from './window-sections.js';

describe('window sections', () => {
  it('offers the queue as a tab only when narrow', () => {
    expect(sectionTabs(false)).toEqual(['queue', 'stats', 'history', 'runs', 'allowed']);
    expect(sectionTabs(true)).toEqual(['stats', 'history', 'runs', 'allowed']);
  });

  it('shows a dashboard view beside the queue when wide, none when the narrow window shows the queue', () => {
    expect(visibleDashboard(Section.queue, true)).toBe('stats');
    expect(visibleDashboard(Section.queue, false)).toBeNull();
    expect(visibleDashboard(Section.runs, false)).toBe('runs');
    expect(visibleDashboard(Section.history, true)).toBe('history');
  });

  it('moves between tabs with wrap-around', () => {
    const tabs = sectionTabs(false);
    expect(stepSection(tabs, 'queue', 1)).toBe('stats');
    expect(stepSection(tabs, 'queue', -1)).toBe('allowed');
    expect(stepSection(tabs, 'allowed', 1)).toBe('queue');
    // The queue is not a tab when wide: start from the first.
    expect(stepSection(sectionTabs(true), 'queue', 1)).toBe('history');
  });
});
