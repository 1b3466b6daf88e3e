import { describe, expect, it } from 'vitest';
import { countdownUrgency, formatAge, formatAgo, formatCountdown, formatDuration, isoTime } from './time-format.js';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe('formatCountdown', () => {
  it('ticks as mm:ss under an hour, rounding up', () => {
    expect(formatCountdown(59 * m + 59 * s)).toBe('59:59');
    expect(formatCountdown(4 * m + 5 * s)).toBe('04:05');
    expect(formatCountdown(1)).toBe('00:01');
    expect(formatCountdown(4 * m + 4 * s + 1)).toBe('04:05');
  });

  it('uses hours and minutes under a day, days and hours beyond', () => {
    expect(formatCountdown(h)).toBe('1h 00m');
    expect(formatCountdown(3 * h + 7 * m)).toBe('3h 07m');
    expect(formatCountdown(2 * d + 3 * h)).toBe('2d 3h');
  });

  it('says expired once the deadline passed', () => {
    expect(formatCountdown(0)).toBe('expired');
    expect(formatCountdown(-5 * s)).toBe('expired');
    expect(formatCountdown(Number.NaN)).toBe('expired');
  });
});

describe('countdownUrgency', () => {
  it('flags the last minute', () => {
    expect(countdownUrgency(-1)).toBe('expired');
    expect(countdownUrgency(30 * s)).toBe('soon');
    expect(countdownUrgency(2 * m)).toBe('normal');
  });
});

describe('formatAge', () => {
  it('uses one coarse unit', () => {
    expect(formatAge(12 * s)).toBe('12s');
    expect(formatAge(4 * m + 59 * s)).toBe('4m');
    expect(formatAge(3 * h + 10 * m)).toBe('3h');
    expect(formatAge(2 * d + 5 * h)).toBe('2d');
  });

  it('never goes negative when clocks disagree', () => {
    expect(formatAge(-3 * s)).toBe('0s');
  });
});

describe('formatDuration', () => {
  it('uses two units', () => {
    expect(formatDuration(300)).toBe('<1s');
    expect(formatDuration(42 * s)).toBe('42s');
    expect(formatDuration(4 * m + 5 * s)).toBe('4m 05s');
    expect(formatDuration(h + 2 * m)).toBe('1h 02m');
    expect(formatDuration(2 * d + 3 * h)).toBe('2d 3h');
  });
});

describe('formatAgo / isoTime', () => {
  it('reads relative to now', () => {
    expect(formatAgo(1000, 2000)).toBe('just now');
    expect(formatAgo(0, 5 * m)).toBe('5m ago');
  });

  it('gives an ISO string, or nothing for a bad time', () => {
    expect(isoTime(0)).toBe('1970-01-01T00:00:00.000Z');
    expect(isoTime(Number.NaN)).toBe('');
  });
});
