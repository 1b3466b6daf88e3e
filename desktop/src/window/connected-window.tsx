import type { AnyResponse, AuditPageQuery } from '@signoff/shared';
import { ApproverApp, GrantsList, isFeedItem, type RespondResult, type RevokeResult } from '@signoff/shared/ui';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { WindowCredentials } from './approver-credentials.js';
import { HistoryView } from './dashboard/history-view.js';
import { RunsView } from './dashboard/runs-view.js';
import { StatsView } from './dashboard/stats-view.js';
import type { DesktopBridge } from './desktop-bridge.js';
import { PolicyBanner } from './policy-banner.js';
import { MAX_SETTLED } from './queue-state.js';
import { SectionTabs, sectionTabId } from './section-tabs.js';
import { SettingsPanel } from './settings-panel.js';
import { useClock } from './use-clock.js';
import { useHubConnection } from './use-hub-connection.js';
import { useLiveResource } from './use-live-resource.js';
import { useMediaQuery } from './use-media-query.js';
import { Section, sectionTabs, visibleDashboard } from './window-sections.js';

/** Wide enough for the queue and the dashboard side by side. */
const WIDE = '(min-width: 60rem)';
const QUEUE_ID = 'sw-queue';
const PANEL_ID = 'sw-dashboard-panel';
const NO_NOTICES: never[] = [];
const NOTHING_QUEUED: ReadonlySet<string> = new Set();

/** Props of {@link ConnectedWindow}. */
export interface ConnectedWindowProps {
  credentials: WindowCredentials;
  /** The hub's origin (this page's). */
  baseUrl: string;
  /** A request to open at start (`?request=ID` from the tray). */
  initialRequestId: string | undefined;
  bridge: DesktopBridge | null;
  /** The session is over (unpaired, this device revoked, or refused by the hub): back to pairing, saying why. */
  onEnded: (reason: string) => void;
}

/** Keys pressed outside the queue (dashboard, settings) must not reach its document-wide shortcuts (`a` approves). */
const keepKeysHere = (event: KeyboardEvent) => event.stopPropagation();

/**
 * The approval window once it has a credential: the shared approver UI (the same
 * queue and request views as the popup) beside a dashboard of stats, history,
 * runs and the "Allowed" grants; one section at a time in a narrow window. Banners
 * above say when policy.yaml is invalid or a guardrail is off.
 */
export function ConnectedWindow({ credentials, baseUrl, initialRequestId, bridge, onEnded }: ConnectedWindowProps) {
  const { hub, state } = useHubConnection(baseUrl, credentials);
  const now = useClock();
  const wide = useMediaQuery(WIDE);
  const [section, setSection] = useState<Section>(Section.queue);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [opened, setOpened] = useState<{ id: string | undefined; key: number }>({ id: initialRequestId, key: 0 });
  const [selectedRun, setSelectedRun] = useState<string | null>(null);
  const drafts = useRef(new Map<string, unknown>());
  const queueRef = useRef<HTMLElement>(null);

  // Refused (revoked here or elsewhere, or a hub with another key's data): this session is over.
  const rejected = state.connection === 'rejected';
  useEffect(() => {
    if (rejected) onEnded(state.detail);
  }, [rejected]);

  // The tray asks to show a request (its menu, a notification): open it in the queue.
  useEffect(
    () =>
      bridge?.onOpenRequest?.((id) => {
        setSettingsOpen(false);
        setSection(Section.queue);
        setOpened((o) => ({ id, key: o.key + 1 }));
      }),
    [bridge],
  );

  const waiting = state.queue.pending.length;
  useEffect(() => {
    document.title = waiting > 0 ? `(${waiting}) Signoff` : 'Signoff';
  }, [waiting]);

  // A hidden queue still listens on the document: keys pressed with nothing focused must not act on it.
  const queueHidden = !wide && section !== Section.queue;
  useEffect(() => {
    if (!queueHidden) return undefined;
    const guard = (event: KeyboardEvent) => {
      if (!queueRef.current?.contains(event.target as Node | null)) event.stopPropagation();
    };
    window.addEventListener('keydown', guard, true);
    return () => window.removeEventListener('keydown', guard, true);
  }, [queueHidden]);

  const dashboard = visibleDashboard(section, wide);
  const connected = state.connection === 'connected';
  const stats = useLiveResource(() => (hub ? hub.stats() : Promise.reject(new Error('Connecting…'))), 'stats', state.revision, dashboard === Section.stats && connected);
  const notYet = () => Promise.reject(new Error('Connecting…'));
  const runs = useLiveResource(() => (hub ? hub.runs() : notYet()), 'runs', state.revision, dashboard === Section.runs && connected);
  const run = useLiveResource(
    () => (hub ? hub.run(selectedRun ?? '') : notYet()),
    `run:${selectedRun ?? ''}`,
    state.revision,
    dashboard === Section.runs && connected && selectedRun !== null,
  );

  // Show a run's timeline without a click: the newest one waiting for a human, else the newest.
  useEffect(() => {
    const list = runs.data;
    if (!list?.length || (selectedRun !== null && list.some((r) => r.runId === selectedRun))) return;
    setSelectedRun((list.find((r) => r.status === 'waiting for human') ?? list[0]!).runId);
  }, [runs.data]);

  const respond = useCallback(
    (id: string, response: AnyResponse): Promise<RespondResult> => (hub ? hub.respond(id, response) : Promise.resolve({ ok: false, message: 'Not sent: still connecting to the hub.' })),
    [hub],
  );
  const readAuditPage = useCallback((query: AuditPageQuery) => (hub ? hub.auditPage(query) : notYet()), [hub]);
  const revokeGrant = useCallback(
    (id: string): Promise<RevokeResult> => (hub ? hub.revokeGrant(id) : Promise.resolve({ ok: false, message: 'still connecting to the hub.' })),
    [hub],
  );
  const history = useMemo(() => state.queue.settled.filter((r) => r.kind !== 'notify'), [state.queue.settled]);
  // Audit-rule approvals are decisions too: in the feed (what ran without asking) and in history.
  const feed = useMemo(() => state.queue.settled.filter(isFeedItem), [state.queue.settled]);

  const nav = (
    <SectionTabs
      tabs={sectionTabs(wide)}
      selected={wide ? (dashboard ?? Section.stats) : section}
      onSelect={setSection}
      controls={{ queue: QUEUE_ID, dashboard: PANEL_ID }}
      counts={{ queue: waiting, ...(state.grants ? { allowed: state.grants.length } : {}) }}
    />
  );

  return (
    <div class={`so-app sw-window ${wide ? 'is-wide' : 'is-narrow'}`}>
      {settingsOpen && (
        <div class="sw-settings-wrap" onKeyDown={keepKeysHere}>
          <SettingsPanel
            credentials={credentials}
            hubUrl={baseUrl}
            hub={hub}
            connection={state.connection}
            detail={state.detail}
            surfaces={state.surfaces}
            revision={state.revision}
            onEnded={onEnded}
            onClose={() => setSettingsOpen(false)}
          />
        </div>
      )}
      {!wide && (
        <div class="sw-top-nav" onKeyDown={keepKeysHere}>
          {nav}
        </div>
      )}
      <PolicyBanner status={state.policy} />
      <div class="sw-columns">
        <section id={QUEUE_ID} class="sw-queue" aria-label="Queue" ref={queueRef} hidden={queueHidden}>
          {state.connection === 'impostor' && (
            // The shared UI has no banner for this: the shared sentence, first.
            <p class="so-banner so-banner-error sw-impostor" role="alert">
              {state.detail}
            </p>
          )}
          <ApproverApp
            key={opened.key}
            pending={state.queue.pending}
            {...(state.pendingTotal !== null ? { pendingTotal: state.pendingTotal } : {})}
            history={history}
            feed={feed}
            {...(state.grants ? { grants: state.grants } : {})}
            // Something else on the port: to the queue it is a hub that cannot be reached.
            connection={state.connection === 'impostor' ? 'offline' : state.connection}
            queuesOffline={false}
            queued={NOTHING_QUEUED}
            notices={NO_NOTICES}
            onDismissNotice={() => {}}
            now={now}
            {...(opened.id ? { initialRequestId: opened.id } : {})}
            loadDraft={(id) => Promise.resolve(drafts.current.get(id))}
            saveDraft={(id, draft) => void drafts.current.set(id, draft)}
            respond={respond}
            onOpenSettings={() => setSettingsOpen(true)}
          />
        </section>
        <div class="sw-dashboard" hidden={dashboard === null} onKeyDown={keepKeysHere}>
          {wide && nav}
          <section id={PANEL_ID} class="sw-panel" role="tabpanel" aria-labelledby={sectionTabId(dashboard ?? Section.stats)}>
            <div hidden={dashboard !== Section.stats}>
              <StatsView stats={stats} />
            </div>
            <div hidden={dashboard !== Section.history}>
              <HistoryView settled={state.queue.settled} now={now} limit={MAX_SETTLED} readAuditPage={readAuditPage} />
            </div>
            <div hidden={dashboard !== Section.runs}>
              <RunsView runs={runs} selectedRunId={selectedRun} onSelect={setSelectedRun} detail={run} now={now} />
            </div>
            <div hidden={dashboard !== Section.allowed}>
              <GrantsList grants={state.grants} error={connected ? state.grantsError : 'Not connected to the hub.'} now={now} onRevoke={revokeGrant} />
            </div>
          </section>
        </div>
      </div>
    </div>
  );
}
