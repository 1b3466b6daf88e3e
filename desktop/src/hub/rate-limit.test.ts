import { describe, expect, it } from 'vitest';
import { RateLimit } from './rate-limit.js';

const T0 = Date.UTC(2026, 0, 1);

describe('RateLimit', () => {
  it('allows max hits per window, then refuses', () => {
    const limit = new RateLimit(3, 1000);
    expect([limit.take(T0), limit.take(T0 + 1), limit.take(T0 + 2)]).toEqual([true, true, true]);
    expect(limit.take(T0 + 3)).toBe(false);
    expect(limit.take(T0 + 999)).toBe(false);
  });

  it('starts a fresh window once windowMs has passed since the window began', () => {
    const limit = new RateLimit(2, 1000);
    limit.take(T0);
    limit.take(T0 + 500);
    expect(limit.take(T0 + 999)).toBe(false);
    expect(limit.take(T0 + 1000)).toBe(true);
    expect(limit.take(T0 + 1001)).toBe(true);
    expect(limit.take(T0 + 1002)).toBe(false);
  });

  it('counts refused hits too, so hammering does not open a gap', () => {
    const limit = new RateLimit(1, 1000);
    expect(limit.take(T0)).toBe(true);
    for (let i = 1; i < 50; i++) expect(limit.take(T0 + i)).toBe(false);
    expect(limit.take(T0 + 1000)).toBe(true);
  });

  it('refuses everything with max 0', () => {
    const limit = new RateLimit(0, 1000);
    expect(limit.take(T0)).toBe(false);
    expect(limit.take(T0 + 5000)).toBe(false);
  });

  it('works from time zero', () => {
    const limit = new RateLimit(1, 100);
    expect(limit.take(0)).toBe(true);
    expect(limit.take(50)).toBe(false);
    expect(limit.take(100)).toBe(true);
  });
});
