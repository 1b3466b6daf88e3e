import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../support/hub.js';
import { RecordedSocket } from '../support/socket-client.js';
import { launchExtension, type ExtensionBrowser } from './support/extension.js';
import { OptionsPage } from './support/options-page.js';

type Chrome = { chrome: { storage: { local: { get(k: null): Promise<object>; set(v: object): Promise<void> } } } };

/** Everything the extension keeps in `chrome.storage.local`, read from one of its pages. */
const extensionStorage = (page: Page) => page.evaluate(() => (globalThis as unknown as Chrome).chrome.storage.local.get(null));

/** The device row in the extension's IndexedDB, as an extension page sees it: what kind of key, and whether it can be read out. */
const storedDevice = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<{ deviceId: string; hubUrl: string; keyType: string; extractable: boolean; exportRefused: boolean } | null>((resolve, reject) => {
        const open = indexedDB.open('signoff');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction('device').objectStore('device').get('current');
          get.onsuccess = async () => {
            open.result.close();
            const row = get.result as { deviceId: string; hubUrl: string; privateKey: CryptoKey } | undefined;
            if (!row) return resolve(null);
            const exportRefused = await crypto.subtle.exportKey('pkcs8', row.privateKey).then(
              () => false,
              () => true,
            );
            resolve({ deviceId: row.deviceId, hubUrl: row.hubUrl, keyType: `${row.privateKey.constructor.name}:${row.privateKey.type}`, extractable: row.privateKey.extractable, exportRefused });
          };
        };
      }),
  );

/** The names of the devices the hub lists, as a person's script sees them (`GET /api/v1/devices`). */
async function listedDevices(hub: TestHub): Promise<{ id: string; name: string; lastSeenAt: number | null }[]> {
  const token = await hub.pairApprover('script');
  const res = await fetch(`${hub.url}/api/v1/devices`, { headers: { authorization: `Bearer ${token}` } });
  return ((await res.json()) as { devices: { id: string; name: string; lastSeenAt: number | null }[] }).devices;
}

describe('extension pairing (built extension in Chromium, real hub)', () => {
  let hub: TestHub;
  let browser: ExtensionBrowser;

  beforeAll(async () => {
    hub = await startTestHub();
    browser = await launchExtension();
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.dispose();
  });

  it('shows "Not paired" first, refuses a wrong code, pairs with a key kept where nothing can read it, and unpairs by revoking it at the hub', async () => {
    const options = await OptionsPage.open(browser);
    await options.expectState(/Not paired/);

    await options.pair(hub.url, 'WRNG-CODE');
    await expect.poll(async () => options.alert().textContent()).toMatch(/not valid/);

    await options.pair(hub.url, hub.hub.createPairingCode().code);
    await expect.poll(async () => options.alert().textContent()).toMatch(/Paired/);
    await options.expectState(/^Connected/);
    // The hub key this browser pinned, for comparing with `signoff devices`.
    await expect.poll(() => options.page.locator('.facts').textContent()).toContain(hub.hub.identity.fingerprint);

    // The key: a non-extractable CryptoKey in IndexedDB. Extension storage holds nothing that grants power.
    const device = await storedDevice(options.page);
    expect(device).toMatchObject({ hubUrl: hub.url, keyType: 'CryptoKey:private', extractable: false, exportRefused: true });
    expect(await extensionStorage(options.page)).toEqual({});

    // The hub counts the extension among its approvers, and lists its device.
    const observer = await RecordedSocket.connect(hub.url, '/approver', await hub.pairApprover('observer'));
    const presence = (await observer.waitFor('approvers:presence')) as { surfaces: Record<string, number> };
    observer.close();
    expect(presence.surfaces.extension).toBe(1);
    expect(await listedDevices(hub)).toContainEqual(expect.objectContaining({ id: device!.deviceId, name: 'Browser extension (Chrome)' }));

    // Unpair: revoked at the hub (another approver no longer sees it), then forgotten here.
    await options.unpair();
    await expect.poll(async () => options.alert().textContent()).toMatch(/Unpaired: the hub revoked this browser/);
    await options.expectState(/Not paired/);
    expect((await listedDevices(hub)).map((d) => d.id)).not.toContain(device!.deviceId);
    expect(await storedDevice(options.page)).toBeNull();
    await options.page.close();
  });

  it('unpairs locally and says so when the hub cannot be reached', async () => {
    const elsewhere = await startTestHub();
    try {
      const options = await OptionsPage.open(browser);
      await options.pair(elsewhere.url, elsewhere.hub.createPairingCode().code);
      await options.expectState(/^Connected/);
      const device = await storedDevice(options.page);
      await elsewhere.stop();
      await options.expectState(/Hub not running/);
      await options.unpair();
      await expect.poll(async () => options.alert().textContent()).toMatch(
        new RegExp(`Unpaired here only: the hub at ${elsewhere.url.replace(/[.]/g, '\\.')} could not be reached.*npx signoff devices revoke ${device!.deviceId}`),
      );
      await options.expectState(/Not paired/);
      expect(await storedDevice(options.page)).toBeNull();
      await options.page.close();
    } finally {
      await elsewhere.dispose();
    }
  });

  it('discards a bearer token an earlier version left in extension storage, and asks to pair again', async () => {
    const worker = await browser.worker();
    const token = await hub.pairApprover('Browser extension (old)');
    await worker.evaluate(
      (pairing) => (globalThis as unknown as Chrome).chrome.storage.local.set({ pairing }),
      { hubUrl: hub.url, token },
    );
    // Chrome stops the worker (as it does whenever it likes); the next page wakes a fresh one, which starts from storage.
    const page = await browser.context.newPage();
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('ServiceWorker.enable');
    const stopped = new Promise<void>((resolve) =>
      cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
        if (versions.some((v) => v.scriptURL.endsWith('/background.js') && v.runningStatus === 'stopped')) resolve();
      }),
    );
    await cdp.send('ServiceWorker.stopAllWorkers');
    await stopped;
    await page.close();
    const options = await OptionsPage.open(browser);
    await options.expectState(/Not paired: this browser’s old pairing \(a token kept in extension storage\) was discarded/);
    expect(await extensionStorage(options.page)).toEqual({});
    // Dropped, never used: the hub never saw the old token again.
    expect(await listedDevices(hub)).toContainEqual(expect.objectContaining({ name: 'Browser extension (old)', lastSeenAt: null }));
    await options.page.close();
  });

  it('says plainly when no hub runs at the URL', async () => {
    const options = await OptionsPage.open(browser);
    await options.pair('http://127.0.0.1:9', 'ABCD-EFGH');
    await expect.poll(async () => options.alert().textContent()).toMatch(/No hub answered at http:\/\/127\.0\.0\.1:9/);
  });
});
