import type { AuditPage, AuditPageQuery, RequestStatus, SignoffRequest } from '@signoff/shared';
import { HistoryRow, KIND_LABELS, RequestDetail } from '@signoff/shared/ui';
import { useEffect, useId, useMemo, useRef, useState } from 'preact/hooks';
import { AuditDownload } from './audit-download.js';
import { EMPTY_FILTER, filterChoices, filterHistory, historyRange, isFiltered, type HistoryFilter } from './history-filter.js';

const STATUS_WORDS: Record<RequestStatus, string> = {
  pending: 'Pending',
  resolved: 'Decided',
  expired: 'Expired',
  cancelled: 'Cancelled',
  blocked: 'Blocked',
};

const PAGE = 50;

const noDraft = () => Promise.resolve(undefined);
const ignoreDraft = () => {};
const readOnly = () => Promise.resolve({ ok: false as const, message: 'This request is already settled.' });

/**
 * Past requests with a search (title or agent) and filters (kind, status, agent, days).
 * A row opens the request read-only: what was asked and what was decided. Download saves
 * the hub's whole decision export for the filter's days (`readAuditPage`: `audit:page`).
 */
export function HistoryView({
  settled,
  now,
  limit,
  readAuditPage,
}: {
  settled: readonly SignoffRequest[];
  now: number;
  limit: number;
  readAuditPage: (query: AuditPageQuery) => Promise<AuditPage>;
}) {
  const [filter, setFilter] = useState<HistoryFilter>(EMPTY_FILTER);
  const [shown, setShown] = useState(PAGE);
  const [openId, setOpenId] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const lastOpened = useRef<string | null>(null);
  const id = useId();

  const choices = useMemo(() => filterChoices(settled), [settled]);
  const matching = useMemo(() => filterHistory(settled, filter), [settled, filter]);
  const range = useMemo(() => historyRange(filter), [filter.from, filter.to]);
  const open = openId === null ? null : (settled.find((r) => r.id === openId) ?? null);

  useEffect(() => {
    if (open) headingRef.current?.focus();
    else if (lastOpened.current) document.getElementById(`${id}-row-${lastOpened.current}`)?.focus();
  }, [open?.id]);

  const change = (patch: Partial<HistoryFilter>) => {
    setFilter((f) => ({ ...f, ...patch }));
    setShown(PAGE);
  };

  if (open) {
    return (
      <RequestDetail
        request={open}
        mode="read"
        queued={false}
        now={now}
        loadDraft={noDraft}
        saveDraft={ignoreDraft}
        respond={readOnly}
        onBack={() => setOpenId(null)}
        headingRef={headingRef}
      />
    );
  }

  return (
    <div class="sw-history">
      <div class="sw-filters" role="search" aria-label="History">
        <div class="so-field sw-filter-text">
          <label for={`${id}-text`}>Search</label>
          <input id={`${id}-text`} type="search" placeholder="Title or agent" value={filter.text} autocomplete="off" onInput={(e) => change({ text: e.currentTarget.value })} />
        </div>
        <div class="so-field">
          <label for={`${id}-kind`}>Kind</label>
          <select id={`${id}-kind`} value={filter.kind} onChange={(e) => change({ kind: e.currentTarget.value as HistoryFilter['kind'] })}>
            <option value="">All kinds</option>
            {choices.kinds.map((k) => (
              <option key={k} value={k}>
                {KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </div>
        <div class="so-field">
          <label for={`${id}-status`}>Status</label>
          <select id={`${id}-status`} value={filter.status} onChange={(e) => change({ status: e.currentTarget.value as HistoryFilter['status'] })}>
            <option value="">All statuses</option>
            {choices.statuses.map((s) => (
              <option key={s} value={s}>
                {STATUS_WORDS[s]}
              </option>
            ))}
          </select>
        </div>
        <div class="so-field">
          <label for={`${id}-agent`}>Agent</label>
          <select id={`${id}-agent`} value={filter.agent} onChange={(e) => change({ agent: e.currentTarget.value })}>
            <option value="">All agents</option>
            {choices.agents.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </div>
        <div class="so-field">
          <label for={`${id}-from`}>From</label>
          <input id={`${id}-from`} type="date" value={filter.from} max={filter.to || undefined} onInput={(e) => change({ from: e.currentTarget.value })} />
        </div>
        <div class="so-field">
          <label for={`${id}-to`}>To</label>
          <input id={`${id}-to`} type="date" value={filter.to} min={filter.from || undefined} onInput={(e) => change({ to: e.currentTarget.value })} />
        </div>
        {isFiltered(filter) && (
          <button type="button" class="so-btn so-btn-small sw-filter-clear" onClick={() => change(EMPTY_FILTER)}>
            Clear filters
          </button>
        )}
      </div>
      <AuditDownload readPage={readAuditPage} range={range} />
      <p class="sw-muted" role="status">
        {isFiltered(filter) ? `${matching.length} of ${settled.length} match` : `${settled.length} settled`}
        {settled.length >= limit ? ` (the latest ${limit})` : ''}
      </p>
      {matching.length === 0 ? (
        <p class="so-empty">{settled.length === 0 ? 'No decisions yet.' : 'Nothing matches.'}</p>
      ) : (
        <ul class="sw-list" aria-label="Past requests">
          {matching.slice(0, shown).map((request) => (
            <li key={request.id}>
              <HistoryButton
                request={request}
                now={now}
                rowId={`${id}-row-${request.id}`}
                onOpen={() => {
                  lastOpened.current = request.id;
                  setOpenId(request.id);
                }}
              />
            </li>
          ))}
        </ul>
      )}
      {matching.length > shown && (
        <button type="button" class="so-btn so-show-more" onClick={() => setShown((n) => n + PAGE)}>
          Show more ({matching.length - shown} more)
        </button>
      )}
    </div>
  );
}

function HistoryButton({ request, now, rowId, onOpen }: { request: SignoffRequest; now: number; rowId: string; onOpen: () => void }) {
  return (
    <button type="button" id={rowId} class={`so-row so-edge-${request.severity}`} onClick={onOpen}>
      <HistoryRow request={request} now={now} />
    </button>
  );
}
