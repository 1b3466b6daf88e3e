import { describe, expect, it } from 'vitest';
import { clampIndex, shownToInclude, visiblePage } from './pagination.js';

describe('visiblePage', () => {
  const items = Array.from({ length: 10_000 }, (_, i) => i);

  it('renders one page of a huge list', () => {
    const { visible, remaining } = visiblePage(items, 50);
    expect(visible).toHaveLength(50);
    expect(visible[49]).toBe(49);
    expect(remaining).toBe(9_950);
  });

  it('copes with more room than items and with nonsense', () => {
    expect(visiblePage([1, 2], 50)).toEqual({ visible: [1, 2], remaining: 0 });
    expect(visiblePage([1, 2], -3)).toEqual({ visible: [], remaining: 2 });
  });
});

describe('shownToInclude', () => {
  it('keeps the window when the row is inside', () => {
    expect(shownToInclude(10, 50, 50)).toBe(50);
  });

  it('grows by whole pages to reach the row', () => {
    expect(shownToInclude(50, 50, 50)).toBe(100);
    expect(shownToInclude(130, 50, 50)).toBe(150);
  });
});

describe('clampIndex', () => {
  it('keeps the index inside the list', () => {
    expect(clampIndex(-1, 3)).toBe(0);
    expect(clampIndex(5, 3)).toBe(2);
    expect(clampIndex(1, 3)).toBe(1);
    expect(clampIndex(0, 0)).toBe(-1);
  });
});
