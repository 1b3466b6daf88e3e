import type { RunDetail } from '@signoff/shared';
import { formatDuration, KIND_LABELS } from '@signoff/shared/ui';
import { barLength } from '../charts/chart-geometry.js';
import { liveWaitMs, offsetLabel, runStatusLabel } from './run-status.js';

const STEP_STATUS: Record<string, string> = {
  pending: 'waiting',
  resolved: 'decided',
  expired: 'expired',
  cancelled: 'cancelled',
  blocked: 'blocked',
};

const TRACK = 100;

/**
 * One run's steps in order: when each came (from the run's start), what it asked,
 * how it ended and who decided, and how long it waited for a human, with a bar
 * per wait so the slow gates stand out. Pending waits count up with `now`.
 */
export function RunTimeline({ run, now }: { run: RunDetail; now: number }) {
  const waits = run.timeline.map((step) => liveWaitMs(step, now));
  const max = Math.max(0, ...waits);
  const pendingNow = run.timeline.some((s) => s.status === 'pending');
  return (
    <section class="sw-run-detail" aria-label={`Run ${run.runId}`}>
      <h3 class="sw-run-title">
        <span class="sw-mono">{run.runId}</span>
        <span class={`sw-status ${pendingNow ? 'sw-status-waiting' : 'sw-status-running'}`}>{runStatusLabel(pendingNow ? 'waiting for human' : 'running')}</span>
      </h3>
      <p class="sw-muted">
        {run.agentId ? `${run.agentId} · ` : ''}
        {run.requests} {run.requests === 1 ? 'request' : 'requests'} · waited {formatDuration(waits.reduce((a, b) => a + b, 0))} for humans in all
      </p>
      <ol class="sw-timeline" aria-label="Timeline">
        {run.timeline.map((step, i) => {
          const wait = waits[i] ?? 0;
          const pending = step.status === 'pending';
          return (
            <li key={step.requestId} class={`sw-step${pending ? ' is-pending' : ''}`}>
              <span class="sw-step-time">{offsetLabel(step.createdAt, run.firstAt, formatDuration)}</span>
              <span class="sw-step-body">
                <span class="sw-step-title">{step.title}</span>
                <span class="sw-step-meta">
                  <span>{KIND_LABELS[step.kind]}</span>
                  <span>{STEP_STATUS[step.status] ?? step.status}</span>
                  {step.respondedBy && <span>by {step.respondedBy}</span>}
                  <span class="sw-step-wait">{pending ? `waiting ${formatDuration(wait)}` : `waited ${formatDuration(wait)}`}</span>
                </span>
                <svg class="sw-step-bar" viewBox={`0 0 ${TRACK} 6`} preserveAspectRatio="none" aria-hidden="true" focusable="false">
                  <rect class={pending ? 'sw-bar sw-bar-warn' : 'sw-bar sw-bar-accent'} x="0" y="0" width={barLength(wait, max, TRACK)} height="6" rx="1" />
                </svg>
              </span>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
