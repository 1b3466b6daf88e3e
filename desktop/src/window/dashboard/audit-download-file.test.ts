import { describe, expect, it } from 'vitest';
import { exportFileName } from './audit-download-file.js';

describe('exportFileName', () => {
  it('names the format, and the days covered when the History is narrowed to some', () => {
    expect(exportFileName('jsonl', {})).toBe('signoff-decisions.jsonl');
    expect(exportFileName('csv', { since: new Date(2026, 0, 1).getTime() })).toBe('signoff-decisions-from-2026-01-01.csv');
    // `until` is the start of the day after the last one.
    expect(exportFileName('csv', { since: new Date(2026, 0, 1).getTime(), until: new Date(2026, 1, 1).getTime() })).toBe('signoff-decisions-from-2026-01-01-to-2026-01-31.csv');
    expect(exportFileName('jsonl', { until: new Date(2026, 11, 25).getTime() })).toBe('signoff-decisions-to-2026-12-24.jsonl');
  });
});
