import { formatDuration } from '@signoff/shared/ui';
import { describe, expect, it } from 'vitest';
import { liveWaitMs, offsetLabel, runStatusLabel } from './run-status.js';

describe('run status', () => {
  it('words the hub status', () => {
    expect(runStatusLabel('waiting for human')).toBe('Waiting for human');
    expect(runStatusLabel('running')).toBe('Running');
  });

  it('counts a pending step’s wait up to now, and keeps a decided one’s', () => {
    expect(liveWaitMs({ status: 'pending', createdAt: 1_000, waitMs: 500 }, 10_000)).toBe(9_000);
    // A clock behind the hub's never shows less than the hub said.
    expect(liveWaitMs({ status: 'pending', createdAt: 1_000, waitMs: 500 }, 1_200)).toBe(500);
    expect(liveWaitMs({ status: 'resolved', createdAt: 1_000, waitMs: 500 }, 10_000)).toBe(500);
  });

  it('labels a step by its offset from the run’s start', () => {
    expect(offsetLabel(1_000, 1_000, formatDuration)).toBe('+0s');
    expect(offsetLabel(126_000, 1_000, formatDuration)).toBe('+2m 05s');
    expect(offsetLabel(500, 1_000, formatDuration)).toBe('+0s');
  });
});
