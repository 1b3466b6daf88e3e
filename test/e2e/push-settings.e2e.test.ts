import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../support/hub.js';
import { launchWindowBrowser, WIDE, WindowPage } from './support/window-page.js';

/** How long a poll waits (generous: CI machines have 2 busy cores). */
const SOON = { timeout: 10_000 };

/*
 * The window's "Notifications on this device" in Chromium against a real hub. The page at
 * http://127.0.0.1 is a secure context with PushManager, so the control shows; headless
 * Chromium registers with no push service, so what is checked here is the wiring up to the
 * browser's subscribe call and what the person is told; the push itself is
 * test/integration/web-push.test.ts.
 */
describe('the window’s push control', () => {
  let browser: Browser;
  let hub: TestHub;
  let context: BrowserContext;
  beforeAll(async () => {
    browser = await launchWindowBrowser();
    hub = await startTestHub();
    context = await browser.newContext({ viewport: WIDE });
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await hub?.dispose();
  });

  it('shows in Settings, says a push carries no content and that this hub has no public URL, and asks the browser when turned on', async () => {
    await context.grantPermissions(['notifications'], { origin: hub.url });
    const window = await WindowPage.open(context, hub.url);
    await window.pairAndWait(hub.hub.createPairingCode().code);
    await window.openSettings();
    const section = window.page.getByRole('region', { name: 'Notifications on this device' });
    await section.getByText('Off: this device is not told about new requests.').waitFor(SOON);
    await expect.poll(() => section.textContent(), SOON).toContain('The hub has no public URL');
    expect(await section.textContent()).toContain('never what an agent asks');
    await section.getByRole('button', { name: 'Turn on notifications' }).click();
    // Headless Chromium refuses to register with a push service ("Registration failed -
    // permission denied") even with the permission granted: the person is told, the control
    // stays off, and the hub holds no half-made subscription.
    await expect.poll(() => section.getByRole('alert').textContent(), SOON).toMatch(/^Not changed: Registration failed/);
    expect(await section.getByRole('button', { name: 'Turn on notifications' }).isEnabled()).toBe(true);
    expect(hub.hub.store.push.targets()).toEqual([]);
    expect(await window.allProblems()).toEqual([]);
  });
});
