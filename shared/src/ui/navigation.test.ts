import { describe, expect, it } from 'vitest';
import { initialNavigation, navigate, selectedIndexIn, type Navigation } from './navigation.js';

const ids = Array.from({ length: 120 }, (_, i) => `r${i}`);
const move = (nav: Navigation, delta: number, list: readonly string[] = ids) => navigate(nav, { type: 'move', delta, ids: list, pageSize: 50 });

describe('navigate', () => {
  it('starts on the first pending row with one page shown', () => {
    const nav = initialNavigation(50);
    expect(nav).toMatchObject({ tab: 'pending', openId: null, shown: 50 });
    expect(selectedIndexIn(nav, ids)).toBe(0);
  });

  it('moves with j/k and stops at the ends', () => {
    let nav = move(initialNavigation(50), 1);
    expect(nav.selectedId).toBe('r1');
    nav = move(move(nav, -1), -1);
    expect(nav.selectedId).toBe('r0');
  });

  it('grows the window when moving past the last shown row', () => {
    let nav: Navigation = { ...initialNavigation(50), selectedId: 'r49', selectedIndex: 49 };
    nav = move(nav, 1);
    expect(nav).toMatchObject({ selectedId: 'r50', shown: 100 });
  });

  it('keeps the selected request when others arrive above it', () => {
    const nav = move(move(initialNavigation(50), 1), 1); // r2
    expect(selectedIndexIn(nav, ['new', ...ids])).toBe(3);
    expect(move(nav, 1, ['new', ...ids]).selectedId).toBe('r3');
  });

  it('selects the row that took the place of a vanished one', () => {
    const nav = move(move(initialNavigation(50), 1), 1); // r2 at index 2
    expect(selectedIndexIn(nav, ids.filter((id) => id !== 'r2'))).toBe(2);
    expect(selectedIndexIn(nav, ['only'])).toBe(0);
    expect(selectedIndexIn(nav, [])).toBe(-1);
  });

  it('opens and goes back to the same selection', () => {
    const opened = navigate(initialNavigation(50), { type: 'open', id: 'r7', index: 7 });
    expect(opened).toMatchObject({ openId: 'r7', selectedId: 'r7' });
    const back = navigate(opened, { type: 'back' });
    expect(back).toMatchObject({ openId: null, selectedId: 'r7', selectedIndex: 7 });
  });

  it('closes only the request named, if one is named', () => {
    const opened = navigate(initialNavigation(50), { type: 'open', id: 'r7' });
    expect(navigate(opened, { type: 'back', id: 'r3' })).toBe(opened);
    expect(navigate(opened, { type: 'back', id: 'r7' }).openId).toBeNull();
  });

  it('resets selection and window when switching tabs', () => {
    const nav = navigate({ ...move(initialNavigation(50), 1), shown: 150 }, { type: 'tab', tab: 'history', pageSize: 50 });
    expect(nav).toEqual({ tab: 'history', selectedId: null, selectedIndex: 0, shown: 50, openId: null });
  });

  it('shows another page on "Show more"', () => {
    expect(navigate(initialNavigation(50), { type: 'showMore', pageSize: 50 }).shown).toBe(100);
  });

  it('can start on a request opened from a notification', () => {
    expect(initialNavigation(50, 'abc')).toMatchObject({ openId: 'abc', selectedId: 'abc' });
  });
});
