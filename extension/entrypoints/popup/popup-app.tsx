import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { AnyResponse } from '@signoff/shared';
import { APPROVER_CSS, ApproverApp, type RespondResult } from '@signoff/shared/ui';
import type { SignoffStore } from '../../lib/db.js';
import { isChangedBroadcast, isFailure, type ConnectionStatus } from '../../lib/messages.js';
import { sendMessage } from '../../lib/send-message.js';
import { readPopupState, type PopupState } from './popup-state.js';

/**
 * The popup: the shared approver UI over the IndexedDB mirror. The worker keeps
 * the mirror current and says `CHANGED`; every decision goes through the worker,
 * which sends it or queues it while the hub is unreachable.
 */
export function PopupApp({ store, initial, pageSize, openId }: { store: SignoffStore; initial: PopupState; pageSize: number; openId: string | undefined }) {
  const [state, setState] = useState(initial);
  const [connection, setConnection] = useState<Pick<ConnectionStatus, 'state' | 'detail'>>({ state: 'connecting', detail: '' });
  const [now, setNow] = useState(Date.now());
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

  useEffect(() => {
    performance.mark('signoff:first-paint');
    reload(); // the rest of the queue, after the first page painted
    refreshConnection(); // also wakes the worker, which reconnects
    const onMessage = (message: unknown) => {
      if (!isChangedBroadcast(message)) return;
      reload();
      refreshConnection();
    };
    browser.runtime.onMessage.addListener(onMessage);
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => {
      browser.runtime.onMessage.removeListener(onMessage);
      clearInterval(tick);
    };
  }, [reload, refreshConnection]);

  const respond = useCallback(async (id: string, response: AnyResponse): Promise<RespondResult> => {
    const reply = await sendMessage('decision:submit', { id, response });
    return reply.ok ? { ok: true } : { ok: false, message: reply.message };
  }, []);

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
