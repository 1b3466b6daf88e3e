import { browser } from 'wxt/browser';
import { createLogger, type SignoffRequest } from '@signoff/shared';
import { badgeFor } from '../../lib/badge.js';
import { openSignoffDB, SignoffStore } from '../../lib/db.js';
import { HubLink } from '../../lib/hub-link.js';
import { CHANGED, isMessage, type Handlers } from '../../lib/messages.js';
import { criticalNotification, shouldNotify } from '../../lib/notifications.js';
import { clearPairing, DEFAULT_HUB_URL, loadPairing, savePairing } from '../../lib/settings.js';

const log = createLogger('bg');
const KEEPALIVE_ALARM = 'signoff-keepalive';

/**
 * The worker owns the hub connection, the IndexedDB mirror, the badge and
 * notifications. Chrome stops it whenever it likes; on every wake `main` reopens
 * the database, reconnects, and the hub's snapshot brings the mirror up to date.
 * `main` stays synchronous (WXT); async work is started from it.
 */
export default defineBackground(() => {
  const ready = openSignoffDB().then((db) => new SignoffStore(db));
  let link: HubLink | null = null;

  const broadcast = () => {
    // No page open is the usual case, not an error.
    browser.runtime.sendMessage({ type: CHANGED }).catch(() => {});
  };

  const refreshBadge = async () => {
    // The queue's head is its most severe request: the badge needs it and the count, not every row.
    const { requests, total } = await (await ready).pendingPage(1);
    const badge = badgeFor(total, requests[0]?.severity ?? null, link?.connection.state ?? 'connecting');
    await browser.action.setBadgeText({ text: badge.text });
    await browser.action.setBadgeBackgroundColor({ color: badge.color });
    await browser.action.setTitle({ title: badge.title });
  };

  const changed = () => {
    broadcast();
    refreshBadge().catch((error: unknown) => log.warn('badge update failed', error));
  };

  const start = async () => {
    const store = await ready;
    const pairing = await loadPairing();
    link?.close();
    link = new HubLink(
      store,
      {
        changed,
        arrived: (request: SignoffRequest, surfaces) => {
          if (!shouldNotify(request, surfaces)) return;
          const { id, options } = criticalNotification(request, browser.runtime.getURL('/icon/128.png'));
          browser.notifications.create(id, options).catch((error: unknown) => log.warn('notification failed', error));
        },
        left: (request) => void browser.notifications.clear(`request:${request.id}`).catch(() => {}),
      },
      pairing?.hubUrl ?? DEFAULT_HUB_URL,
    );
    link.connect(pairing);
  };
  const started = start();

  const handlers: Handlers = {
    'connection:status': async () => {
      await started;
      await link!.whenSettled(2000);
      return link!.connection;
    },
    'decision:submit': async ({ id, response }) => {
      await started;
      return link!.submit(id, response);
    },
    'pairing:pair': async ({ hubUrl, code }) => {
      const url = hubUrl.trim().replace(/\/+$/, '');
      let res: Response;
      try {
        res = await fetch(`${url}/api/v1/pair`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ code, name: `Browser extension (${navigator.userAgent.includes('Firefox') ? 'Firefox' : 'Chrome'})` }),
        });
      } catch {
        return { ok: false, message: `No hub answered at ${url}: start it with \`npm start\` or \`npx signoff hub\`.` };
      }
      const body = (await res.json().catch(() => ({}))) as { token?: string; error?: { message?: string } };
      if (!res.ok || !body.token) return { ok: false, message: body.error?.message ?? `Pairing failed (HTTP ${res.status}).` };
      await savePairing({ hubUrl: url, token: body.token });
      await start();
      return { ok: true };
    },
    'pairing:unpair': async () => {
      await clearPairing();
      await (await ready).replacePending([]);
      await start();
      return { ok: true };
    },
    'notice:dismiss': async ({ id }) => {
      await (await ready).dismissNotice(id);
      changed();
      return { ok: true };
    },
  };

  browser.runtime.onMessage.addListener((message: unknown, _sender, sendResponse) => {
    if (!isMessage(message)) return false;
    const handler = handlers[message.type] as (payload: unknown) => Promise<unknown>;
    handler(message.payload).then(sendResponse, (error: unknown) => {
      log.error(`${message.type} failed`, error);
      sendResponse({ ok: false, message: 'The extension hit an internal error; see its service worker log.' });
    });
    return true; // the reply comes asynchronously
  });

  browser.notifications.onClicked.addListener((notificationId) => {
    const requestId = notificationId.replace(/^request:/, '');
    void browser.storage.session.set({ openRequestId: requestId }).then(() =>
      browser.action.openPopup().catch(() =>
        browser.windows.create({ url: browser.runtime.getURL(`/popup.html?request=${encodeURIComponent(requestId)}`), type: 'popup', width: 420, height: 640 }),
      ),
    );
  });

  // An alarm wakes a stopped worker (the listener must exist for that); waking runs this
  // main again, which reconnects, so a hub that came back is seen without opening the popup.
  void browser.alarms.create(KEEPALIVE_ALARM, { periodInMinutes: 0.5 });
  browser.alarms.onAlarm.addListener(() => {});
});
