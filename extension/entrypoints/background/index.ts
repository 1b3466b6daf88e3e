import { browser } from 'wxt/browser';
import { createLogger, type SignoffRequest } from '@signoff/shared';
import { pairDevice, PairingError } from '@signoff/shared/approver';
import { badgeFor } from '../../lib/badge.js';
import { browserCompat } from '../../lib/compat.js';
import { openSignoffDB, SignoffStore } from '../../lib/db.js';
import { HubLink, NOT_PAIRED, type RevokeOutcome } from '../../lib/hub-link.js';
import { CHANGED, createMessageListener, type ChangedBroadcast, type Handlers } from '../../lib/messages.js';
import { criticalNotification, shouldNotify } from '../../lib/notifications.js';
import { discardLegacyPairing, rememberRequestToOpen } from '../../lib/extension-storage.js';
import { DEFAULT_HUB_URL, LEGACY_PAIRING_NOTICE } from '../../lib/settings.js';

const log = createLogger('bg');
const KEEPALIVE_ALARM = 'signoff-keepalive';

const LEGACY_DETAIL =
  'Not paired: this browser’s old pairing (a token kept in extension storage) was discarded. Pair again in the options with a code from `npx signoff pair`; the browser now proves itself with its own key.';

/** What the options page says after Unpair, for each outcome at the hub. */
function unpairMessage(outcome: RevokeOutcome, deviceId: string, hubUrl: string): string {
  switch (outcome) {
    case 'revoked':
      return 'Unpaired: the hub revoked this browser, and the extension forgot its key.';
    case 'refused-already':
      return 'Unpaired: the hub no longer accepted this browser anyway; the extension forgot its key.';
    case 'unreachable':
      return `Unpaired here only: the hub at ${hubUrl} could not be reached, so it still lists this browser. The key is forgotten and can never be used again; to remove the entry, run \`npx signoff devices revoke ${deviceId}\` once the hub runs.`;
  }
}

/**
 * The worker owns the hub connection, the IndexedDB mirror, the badge and
 * notifications. Chrome stops it whenever it likes; on every wake `main` reopens
 * the database, reconnects, and the hub's snapshot brings the mirror up to date.
 * `main` stays synchronous (WXT); async work is started from it.
 */
export default defineBackground(() => {
  const ready = openSignoffDB().then((db) => new SignoffStore(db));
  // Chrome's MV3 and Firefox's MV2 differ in the toolbar button's name and in notification options.
  const compat = browserCompat(browser, { firefox: import.meta.env.FIREFOX });
  let link: HubLink | null = null;

  const broadcast = () => {
    // No page open is the usual case, not an error.
    browser.runtime.sendMessage<ChangedBroadcast>({ type: CHANGED }).catch(() => {});
  };

  const refreshBadge = async () => {
    // The queue's head is its most severe request: the badge needs it and the count, not every row.
    const { requests, total } = await (await ready).pendingPage(1);
    const badge = badgeFor(total, requests[0]?.severity ?? null, link?.connection ?? { state: 'connecting', detail: '' });
    await compat.toolbar.setBadgeText({ text: badge.text });
    await compat.toolbar.setBadgeBackgroundColor({ color: badge.color });
    await compat.toolbar.setTitle({ title: badge.title });
  };

  const changed = () => {
    broadcast();
    refreshBadge().catch((error: unknown) => log.warn('badge update failed', error));
  };

  const start = async () => {
    const store = await ready;
    const device = await store.device();
    const legacy = (await store.notices()).some((n) => n.id === LEGACY_PAIRING_NOTICE);
    link?.close();
    link = new HubLink(
      store,
      {
        changed,
        arrived: (request: SignoffRequest, surfaces) => {
          if (!shouldNotify(request, surfaces)) return;
          const { id, options } = criticalNotification(request, browser.runtime.getURL('/icon/128.png'));
          browser.notifications.create(id, compat.notificationOptions(options)).catch((error: unknown) => log.warn('notification failed', error));
        },
        left: (request) => void browser.notifications.clear(`request:${request.id}`).catch(() => {}),
        failed: (error) => log.warn('storing a pushed request failed', error),
      },
      device?.hubUrl ?? DEFAULT_HUB_URL,
      legacy ? LEGACY_DETAIL : NOT_PAIRED,
    );
    link.connect(device);
  };
  const started = (async () => {
    // A bearer token left in extension storage by an earlier version is dropped, never sent.
    if (await discardLegacyPairing()) {
      await (await ready).addNotice({ id: LEGACY_PAIRING_NOTICE, text: LEGACY_DETAIL, at: Date.now() });
    }
    await start();
  })();
  // Every message handler awaits this and answers a failure; the cause is logged once, here.
  started.catch((error: unknown) => log.error('start failed', error));

  /** The hub link as it is now, once the worker has started (every start makes one; pairing replaces it). */
  const currentLink = async (): Promise<HubLink> => {
    await started;
    if (!link) throw new Error('the worker started without a hub link');
    return link;
  };

  const handlers: Handlers = {
    'connection:status': async () => {
      await (await currentLink()).whenSettled(2000);
      return (await currentLink()).connection;
    },
    'decision:submit': async ({ id, response }) => (await currentLink()).submit(id, response),
    'pairing:pair': async ({ hubUrl, code }) => {
      await started;
      const name = `Browser extension (${navigator.userAgent.includes('Firefox') ? 'Firefox' : 'Chrome'})`;
      let device;
      try {
        // The key is made here, non-extractable; only its public half and the code leave the browser.
        device = await pairDevice({ hubUrl, code: code.trim(), name });
      } catch (error) {
        return { ok: false, message: error instanceof PairingError ? error.message : `Pairing failed: ${String(error)}` };
      }
      const store = await ready;
      // The device this browser paired before is revoked where it can be: its key is about to be forgotten.
      if ((await store.device()) && link) await link.revokeAtHub();
      await store.forgetDevice();
      await store.saveDevice({ ...device, name, pairedAt: Date.now() });
      await store.dismissNotice(LEGACY_PAIRING_NOTICE);
      await start();
      return { ok: true };
    },
    'pairing:unpair': async () => {
      await started;
      const store = await ready;
      const device = await store.device();
      if (!device) return { ok: true, revoked: false, message: 'This browser is not paired.' };
      // Revoke at the hub first, while the key can still prove who asks; forget it locally whatever happens.
      const outcome = await (await currentLink()).revokeAtHub();
      await store.forgetDevice();
      await start();
      return { ok: true, revoked: outcome !== 'unreachable', message: unpairMessage(outcome, device.deviceId, device.hubUrl) };
    },
    'notice:dismiss': async ({ id }) => {
      await (await ready).dismissNotice(id);
      changed();
      return { ok: true };
    },
    'grants:list': async () => (await currentLink()).listGrants(),
    'grants:revoke': async ({ id }) => (await currentLink()).revokeGrant(id),
  };

  browser.runtime.onMessage.addListener(createMessageListener(handlers, (type, error) => log.error(`${type} failed`, error)));

  browser.notifications.onClicked.addListener((notificationId) => {
    const requestId = notificationId.replace(/^request:/, '');
    rememberRequestToOpen(requestId)
      .then(() =>
        compat.toolbar.openPopup().catch(() =>
          browser.windows.create({ url: browser.runtime.getURL(`/popup.html?request=${encodeURIComponent(requestId)}`), type: 'popup', width: 420, height: 640 }),
        ),
      )
      .catch((error: unknown) => log.warn('opening the clicked request failed', error));
  });

  // An alarm wakes a stopped worker (the listener must exist for that); waking runs this
  // main again, which reconnects, so a hub that came back is seen without opening the popup.
  void browser.alarms.create(KEEPALIVE_ALARM, { periodInMinutes: 0.5 });
  browser.alarms.onAlarm.addListener(() => {});
});
