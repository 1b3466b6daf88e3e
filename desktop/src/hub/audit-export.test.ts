import { describe, expect, it } from 'vitest';
import { parseTimeBound } from './audit-export.js';

describe('parseTimeBound', () => {
  const now = Date.UTC(2026, 5, 1);
  it('reads spans back from now, dates, date-times and epoch milliseconds', () => {
    expect(parseTimeBound('since', '7d', now)).toBe(now - 7 * 86_400_000);
    expect(parseTimeBound('since', '90m', now)).toBe(now - 90 * 60_000);
    expect(parseTimeBound('since', '2026-01-31', now)).toBe(Date.UTC(2026, 0, 31));
    expect(parseTimeBound('since', '2026-01-31T12:00:00Z', now)).toBe(Date.UTC(2026, 0, 31, 12));
    expect(parseTimeBound('since', '1767225600000', now)).toBe(1767225600000);
  });
  it('refuses anything else with the parameter named', () => {
    expect(() => parseTimeBound('--since', 'yesterday', now)).toThrow(/^--since: cannot read "yesterday"/);
    expect(() => parseTimeBound('since', '2026-13-45', now)).toThrow(/since/);
  });
});
