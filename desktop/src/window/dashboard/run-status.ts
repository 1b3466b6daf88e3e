import type { RunStep, RunSummary } from '@signoff/shared';

/** A run's status in words: the hub's `waiting for human` while any of its requests is pending, else `running`. */
export function runStatusLabel(status: RunSummary['status']): string {
  return status === 'waiting for human' ? 'Waiting for human' : 'Running';
}

/** How long a step has waited for a human: the hub's figure once decided, counted up from `now` while pending. */
export function liveWaitMs(step: Pick<RunStep, 'status' | 'createdAt' | 'waitMs'>, now: number): number {
  return step.status === 'pending' ? Math.max(step.waitMs, now - step.createdAt) : step.waitMs;
}

/** When a step happened relative to the run's first (`+0s`, `+2m 05s`), given a duration formatter. */
export function offsetLabel(at: number, firstAt: number, format: (ms: number) => string): string {
  const offset = Math.max(0, at - firstAt);
  return offset < 1000 ? '+0s' : `+${format(offset)}`;
}
