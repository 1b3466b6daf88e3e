import { describe, expect, it } from 'vitest';
import { barLength, bucketLabels, columnRects, compactDuration, formatPercent, stackedSegments } from './chart-geometry.js';

describe('barLength', () => {
  it('scales to the largest value and keeps small non-zero bars visible', () => {
    expect(barLength(5, 10, 100)).toBe(50);
    expect(barLength(10, 10, 100)).toBe(100);
    expect(barLength(1, 1000, 100)).toBe(2);
    expect(barLength(0, 10, 100)).toBe(0);
    expect(barLength(3, 0, 100)).toBe(0);
    expect(barLength(Number.NaN, 10, 100)).toBe(0);
  });
});

describe('columnRects', () => {
  it('gives equal slots with bars standing on the baseline', () => {
    expect(columnRects([2, 0, 4], 300, 100, 10)).toEqual([
      { x: 5, y: 50, width: 90, height: 50 },
      { x: 105, y: 100, width: 90, height: 0 },
      { x: 205, y: 0, width: 90, height: 100 },
    ]);
    expect(columnRects([], 300, 100)).toEqual([]);
  });
});

describe('stackedSegments', () => {
  it('splits the width in proportion, in order', () => {
    expect(stackedSegments([3, 1], 100)).toEqual([
      { x: 0, width: 75 },
      { x: 75, width: 25 },
    ]);
    expect(stackedSegments([0, 0], 100)).toEqual([
      { x: 0, width: 0 },
      { x: 0, width: 0 },
    ]);
    expect(stackedSegments([2, -1], 100)).toEqual([
      { x: 0, width: 100 },
      { x: 100, width: 0 },
    ]);
  });
});

describe('labels', () => {
  it('formats shares as whole percentages, and no share as a dash', () => {
    expect(formatPercent(2 / 3)).toBe('67%');
    expect(formatPercent(1)).toBe('100%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(null)).toBe('–');
  });

  it('names bucket bounds in one unit, the open last one after the previous bound', () => {
    expect(compactDuration(10_000)).toBe('10s');
    expect(compactDuration(300_000)).toBe('5m');
    expect(compactDuration(14_400_000)).toBe('4h');
    expect(compactDuration(86_400_000)).toBe('1d');
    expect(bucketLabels([10_000, 60_000, 86_400_000, null])).toEqual(['≤10s', '≤1m', '≤1d', '>1d']);
    expect(bucketLabels([null])).toEqual(['all']);
  });
});
