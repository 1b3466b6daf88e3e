import type { RequestKind, RequestStatus, SignoffRequest } from '@signoff/shared';
import { settledAt } from '@signoff/shared/ui';

/** What the history is narrowed to; `''` means any. */
export interface HistoryFilter {
  /** Words that must all appear in the title or the agent id (any case). */
  text: string;
  kind: RequestKind | '';
  status: RequestStatus | '';
  agent: string;
  /** Settled on or after this day (`YYYY-MM-DD`, the person's local time); `''`: from the start. */
  from: string;
  /** Settled on or before this day (`YYYY-MM-DD`, local), the whole day included; `''`: up to now. */
  to: string;
}

/** No filter: everything shows. */
export const EMPTY_FILTER: HistoryFilter = { text: '', kind: '', status: '', agent: '', from: '', to: '' };

/** Local midnight at the start of a `YYYY-MM-DD` day, plus `days`; `undefined` for anything else. */
function localDay(day: string, days = 0): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return undefined;
  const at = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + days).getTime();
  return Number.isFinite(at) ? at : undefined;
}

/**
 * The filter's days as the export's range: `since` the start of `from`, `until` the start of
 * the day after `to` (exclusive), in epoch ms. The list and the Download use the same bounds.
 */
export function historyRange(filter: Pick<HistoryFilter, 'from' | 'to'>): { since?: number; until?: number } {
  const since = localDay(filter.from);
  const until = localDay(filter.to, 1);
  return { ...(since === undefined ? {} : { since }), ...(until === undefined ? {} : { until }) };
}

/** Text folded for matching: compatibility forms unified (full-width letters, ligatures), lower case. */
function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** The requests that match `filter`, in their given order. */
export function filterHistory(requests: readonly SignoffRequest[], filter: HistoryFilter): SignoffRequest[] {
  const words = fold(filter.text).split(/\s+/).filter(Boolean);
  const { since, until } = historyRange(filter);
  return requests.filter((r) => {
    const at = settledAt(r);
    if ((since !== undefined && at < since) || (until !== undefined && at >= until)) return false;
    if (filter.kind && r.kind !== filter.kind) return false;
    if (filter.status && r.status !== filter.status) return false;
    if (filter.agent && r.agentId !== filter.agent) return false;
    if (words.length === 0) return true;
    const haystack = fold(`${r.title}\n${r.agentId ?? ''}`);
    return words.every((word) => haystack.includes(word));
  });
}

/** The choices worth offering in the filters: only kinds, statuses and agents that occur, sorted. */
export function filterChoices(requests: readonly SignoffRequest[]): { kinds: RequestKind[]; statuses: RequestStatus[]; agents: string[] } {
  const kinds = new Set<RequestKind>();
  const statuses = new Set<RequestStatus>();
  const agents = new Set<string>();
  for (const r of requests) {
    kinds.add(r.kind);
    statuses.add(r.status);
    if (r.agentId) agents.add(r.agentId);
  }
  const sorted = <T extends string>(values: Set<T>) => [...values].sort((a, b) => a.localeCompare(b));
  return { kinds: sorted(kinds), statuses: sorted(statuses), agents: sorted(agents) };
}

/** Whether any filter is set (so the view can offer "Clear"). */
export function isFiltered(filter: HistoryFilter): boolean {
  return filter.text.trim() !== '' || filter.kind !== '' || filter.status !== '' || filter.agent !== '' || filter.from !== '' || filter.to !== '';
}
