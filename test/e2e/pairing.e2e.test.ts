import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../support/hub.js';
import { RecordedSocket } from '../support/socket-client.js';
import { launchExtension, type ExtensionBrowser } from './support/extension.js';
import { OptionsPage } from './support/options-page.js';

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

  it('shows "Not paired" first, refuses a wrong code, pairs with a real one, and unpairs', async () => {
    const options = await OptionsPage.open(browser);
    await options.expectState(/Not paired/);

    await options.pair(hub.url, 'WRNG-CODE');
    await expect.poll(async () => options.alert().textContent()).toMatch(/not valid/);

    await options.pair(hub.url, hub.hub.createPairingCode().code);
    await expect.poll(async () => options.alert().textContent()).toMatch(/Paired/);
    await options.expectState(/^Connected/);

    // The hub now counts the extension among its approvers.
    const observer = await RecordedSocket.connect(hub.url, '/approver', await hub.pairApprover('observer'));
    const presence = (await observer.waitFor('approvers:presence')) as { surfaces: Record<string, number> };
    observer.close();
    expect(presence.surfaces.extension).toBe(1);

    await options.unpair();
    await options.expectState(/Not paired/);
  });

  it('says plainly when no hub runs at the URL', async () => {
    const options = await OptionsPage.open(browser);
    await options.pair('http://127.0.0.1:9', 'ABCD-EFGH');
    await expect.poll(async () => options.alert().textContent()).toMatch(/No hub answered at http:\/\/127\.0\.0\.1:9/);
  });
});
