import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration.js';
import { UsageError } from './usage-error.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['90s', 90_000],
    ['5m', 300_000],
    ['2h', 7_200_000],
    ['1.5h', 5_400_000],
    ['2d', 172_800_000],
    ['0.5s', 500],
    ['30', 30_000],
    ['2.5', 2_500],
    ['  5m\n', 300_000],
    ['0', 0],
  ])('%j → %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it('rounds to whole milliseconds', () => {
    expect(parseDuration('1.0005s')).toBe(1001);
    expect(parseDuration('0.4ms')).toBe(0);
  });

  it.each(['', 'soon', '5x', '-5s', '5 m', '1e3', '.5s', '5.s', '5M', 'm5', '1h30m'])('refuses %j with a usage hint', (text) => {
    expect(() => parseDuration(text)).toThrow(UsageError);
    expect(() => parseDuration(text)).toThrow(`cannot read duration ${JSON.stringify(text)}: use e.g. 90s, 5m, 2h`);
  });
});
