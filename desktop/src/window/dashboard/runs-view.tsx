import type { RunDetail, RunSummary } from '@signoff/shared';
import { formatAgo, formatDuration } from '@signoff/shared/ui';
import type { LiveResource } from '../use-live-resource.js';
import { runStatusLabel } from './run-status.js';
import { RunTimeline } from './run-timeline.js';

/** Props of {@link RunsView}: the runs list and the picked run's timeline, each as loaded from the hub. */
export interface RunsViewProps {
  runs: LiveResource<RunSummary[]>;
  selectedRunId: string | null;
  onSelect: (runId: string) => void;
  detail: LiveResource<RunDetail>;
  now: number;
}

/**
 * Runs (requests sharing a `runId`): which wait for a human now, and the timeline
 * of the one picked. Side by side in a wide window, stacked in a narrow one.
 */
export function RunsView({ runs, selectedRunId, onSelect, detail, now }: RunsViewProps) {
  const list = runs.data ?? [];
  return (
    <div class="sw-runs">
      <div class="sw-runs-list">
        {runs.error && (
          <p class="so-error" role="alert">
            Runs could not be loaded: {runs.error}
          </p>
        )}
        {list.length === 0 ? (
          <p class="sw-muted">{runs.loading ? 'Loading runs…' : 'No runs yet. Requests that share a runId show up here as a run.'}</p>
        ) : (
          <ul class="sw-list" aria-label="Runs">
            {list.map((run) => (
              <li key={run.runId}>
                <button type="button" class={`sw-run-row${run.runId === selectedRunId ? ' is-selected' : ''}`} aria-pressed={run.runId === selectedRunId ? 'true' : 'false'} onClick={() => onSelect(run.runId)}>
                  <span class="sw-row-head">
                    <span class="sw-mono sw-row-title">{run.runId}</span>
                    <span class={`sw-status ${run.status === 'waiting for human' ? 'sw-status-waiting' : 'sw-status-running'}`}>{runStatusLabel(run.status)}</span>
                  </span>
                  <span class="sw-row-meta">
                    {run.agentId && <span>{run.agentId}</span>}
                    <span>
                      {run.requests} {run.requests === 1 ? 'request' : 'requests'}
                      {run.pending > 0 ? `, ${run.pending} waiting` : ''}
                    </span>
                    <span>waited {formatDuration(run.waitedMs)}</span>
                    <span>last {formatAgo(run.lastAt, now)}</span>
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div class="sw-runs-detail">
        {selectedRunId === null ? (
          list.length > 0 && <p class="sw-muted">Pick a run to see its timeline.</p>
        ) : detail.data && detail.data.runId === selectedRunId ? (
          <>
            {detail.error && (
              <p class="so-error" role="alert">
                Showing an older timeline: {detail.error}
              </p>
            )}
            <RunTimeline run={detail.data} now={now} />
          </>
        ) : detail.error ? (
          <p class="so-error" role="alert">
            This run could not be loaded: {detail.error}
          </p>
        ) : (
          <p class="sw-muted">Loading the timeline…</p>
        )}
      </div>
    </div>
  );
}
