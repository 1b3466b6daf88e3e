import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { AnyResponse, Grant } from '@signoff/shared';
import { APPROVER_CSS, ApproverApp, GrantsList, type RespondResult, type RevokeResult } from '@signoff/shared/ui';
import type { SignoffStore } from '../../lib/db.js';
import { isChangedBroadcast, isFailure, type ConnectionStatus } from '../../lib/messages.js';
import { sendMessage } from '../../lib/send-message.js';
import { readPopupState, type PopupState } from './popup-state.js';

/**
 * The popup: the shared approver UI over the IndexedDB mirror. The worker keeps
 * the mirror current and says `CHANGED`; every decision goes through the worker,
 * which sends it or queues it while the hub is unreachable. "Allowed" swaps the
 * queue for the hub's "always allow" grants (asked of the worker, never stored: a
 * revoked grant must not linger here), each with Revoke.
 */
export function PopupApp({ store, initial, pageSize, openId }: { store: SignoffStore; initial: PopupState; pageSize: number; openId: string | undefined }) {
  const [state, setState] = useState(initial);
  const [connection, setConnection] = useState<Pick<ConnectionStatus, 'state' | 'detail'>>({ state: 'connecting', detail: '' });
  const [now, setNow] = useState(Date.now());
  const [view, setView] = useState<'queue' | 'allowed'>('queue');
  const [grants, setGrants] = useState<{ list: Grant[] | null; error: string | null }>({ list: null, error: null });
  const reading = useRef(false);
  const changedWhileReading = useRef(false);

  const reload = useCallback(() => {
    // One read at a time; a change that lands during a read may postdate what it saw,
    // so it earns one more read afterwards (never dropped, never a pile-up).
    if (reading.current) {
      changedWhileReading.current = true;
      return;
    }
    reading.current = true;
    void readPopupState(store)
      .then((next) => {
        setState(next);
        if (performance.getEntriesByName('signoff:full-queue').length === 0) performance.mark('signoff:full-queue');
      })
      .finally(() => {
        reading.current = false;
        if (changedWhileReading.current) {
          changedWhileReading.current = false;
          reload();
        }
      });
  }, [store]);

  const refreshConnection = useCallback(() => {
    void sendMessage('connection:status', {}).then((reply) => {
      // A worker that could not answer leaves the last known state in place.
      if (!isFailure(reply)) setConnection({ state: reply.state, detail: reply.detail });
    });
  }, []);

  const refreshGrants = useCallback(() => {
    void sendMessage('grants:list', {}).then((reply) => {
      // Offline: the last list stays, with the reason beside it.
      setGrants((last) => (reply.ok ? { list: reply.grants, error: null } : { list: last.list, error: reply.message }));
    });
  }, []);

  useEffect(() => {
    performance.mark('signoff:first-paint');
    reload(); // the rest of the queue, after the first page painted
    refreshConnection(); // also wakes the worker, which reconnects
    refreshGrants();
    const onMessage = (message: unknown) => {
      if (!isChangedBroadcast(message)) return;
      reload();
      refreshConnection();
      refreshGrants();
    };
    browser.runtime.onMessage.addListener(onMessage);
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => {
      browser.runtime.onMessage.removeListener(onMessage);
      clearInterval(tick);
    };
  }, [reload, refreshConnection, refreshGrants]);

  const respond = useCallback(async (id: string, response: AnyResponse): Promise<RespondResult> => {
    const reply = await sendMessage('decision:submit', { id, response });
    return reply.ok ? { ok: true } : { ok: false, message: reply.message };
  }, []);

  const revokeGrant = useCallback(
    async (id: string): Promise<RevokeResult> => {
      const reply = await sendMessage('grants:revoke', { id });
      refreshGrants();
      return reply.ok ? { ok: true } : { ok: false, message: reply.message };
    },
    [refreshGrants],
  );

  if (view === 'allowed') {
    return (
      <>
        <style>{APPROVER_CSS}</style>
        <div class="so-app">
          <header class="so-header">
            <button type="button" class="so-btn so-btn-quiet so-btn-small" onClick={() => setView('queue')}>
              ← Back
            </button>
            <h1 class="so-brand">Allowed</h1>
          </header>
          <GrantsList grants={grants.list} error={grants.error} now={now} onRevoke={revokeGrant} />
        </div>
      </>
    );
  }

  return (
    <>
      <style>{APPROVER_CSS}</style>
      {connection.state === 'impostor' && (
        // The shared UI has no banner for this: say it first, in the shared words.
        <p class="so-banner so-banner-error" role="alert">
          {connection.detail}
        </p>
      )}
      <ApproverApp
        pending={state.pending}
        pendingTotal={state.pendingTotal}
        history={state.history}
        feed={state.feed}
        {...(grants.list ? { grants: grants.list, allowedCount: grants.list.length } : {})}
        onOpenAllowed={() => setView('allowed')}
        // Something else on the port: to the queue it is a hub that cannot be reached (decisions wait in the outbox).
        connection={connection.state === 'impostor' ? 'offline' : connection.state}
        queued={state.queued}
        notices={state.notices}
        onDismissNotice={(id) => void sendMessage('notice:dismiss', { id })}
        now={now}
        {...(openId ? { initialRequestId: openId } : {})}
        loadDraft={(id) => store.loadDraft(id)}
        saveDraft={(id, draft) => void store.saveDraft(id, draft)}
        respond={respond}
        onOpenSettings={() => void browser.runtime.openOptionsPage()}
        pageSize={pageSize}
      />
    </>
  );
}
