import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caddyAvailable, freePort, proxyClientEnv, startCaddy, TEST_PUBLIC_NAME, type TestProxy } from '../support/caddy.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { runSdkAgent } from '../support/agent-process.js';
import { CHROMIUM, CHROMIUM_FLAGS } from './support/extension.js';
import { WindowPage } from './support/window-page.js';

/** A Pixel 8 in portrait: what the window must fit without sideways scrolling. */
const PHONE = {
  viewport: { width: 360, height: 740 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
  userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36',
  // Caddy's `tls internal` root is in no trust store.
  ignoreHTTPSErrors: true,
} as const;

/** Hostile agent text: one unbroken word, as long as each field allows, in the title, body, arguments and context. */
const LONG = 'x'.repeat(3000);

/** How wide the page is: more than the 360 px viewport means sideways scrolling. */
const scrollWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

/** Visible buttons and tabs less than 44 px tall (a finger's width), by their text. */
const smallTargets = (page: Page) =>
  page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('button, [role="tab"], summary'))
      .filter((el) => el.getClientRects().length > 0 && el.getBoundingClientRect().height < 44)
      .map((el) => `${el.textContent?.trim().slice(0, 40) ?? ''} (${Math.round(el.getBoundingClientRect().height)} px)`),
  );

/**
 * The phone through the person's TLS proxy: Debian's Caddy (`tls internal`) for a name only
 * this test maps, in front of a real hub told its public URL; Chromium resolves the name to
 * the proxy and ignores the untrusted certificate (a service worker needs the flag too).
 */
describe.runIf(caddyAvailable())('the approval window on a phone, through a TLS proxy', () => {
  let proxy: TestProxy;
  let hub: TestHub;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    const port = await freePort();
    proxy = await startCaddy(port);
    hub = await startTestHub({ port, publicUrl: proxy.publicUrl });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [...CHROMIUM_FLAGS, `--host-resolver-rules=${proxy.chromiumResolverRule}`, '--ignore-certificate-errors'],
    });
    context = await browser.newContext(PHONE);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await hub?.dispose();
    await proxy?.stop();
  });

  it('pairs in one tap from a pairing link, fits 360 px with hostile text, approves with a thumb, installs, stays paired, opens offline, and forgets the device', async () => {
    // A window on the hub's machine shows the pairing link as a QR code (Settings → Pair a phone).
    const desk = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    let code: string;
    try {
      const window = await WindowPage.open(desk, hub.url);
      await window.pairAndWait(hub.hub.createPairingCode().code);
      await window.openSettings();
      await window.page.getByRole('button', { name: 'Show a pairing code' }).click();
      await window.page.getByRole('img', { name: 'QR code of the pairing link' }).waitFor();
      code = (await window.page.locator('.sw-pair-code').textContent()) ?? '';
      expect(await window.text()).toContain(`Or open ${proxy.publicUrl}/#pair=${code} on the phone.`);
      expect(await window.text()).toMatch(/expires in 0[45]:\d\d/);
      expect(await window.allProblems()).toEqual([]);
    } finally {
      await desk.close();
    }
    const ui = await WindowPage.open(context, proxy.publicUrl, `#pair=${code}`);
    await ui.page.getByRole('heading', { name: `Pair this device with Signoff at ${TEST_PUBLIC_NAME}:${proxy.port}?` }).waitFor();
    await expect.poll(() => ui.page.getByLabel('Device name').inputValue()).toBe('Pixel 8 · Chrome');
    await ui.page.getByRole('button', { name: 'Pair this device' }).tap();
    await ui.queue().waitFor({ timeout: 10_000 });
    // The code leaves the address: a reload never sends it again.
    expect(ui.page.url()).toBe(`${proxy.publicUrl}/`);

    // An agent on another machine asks through the same public URL with its own machine
    // token (a process given the proxy's CA, as it would be); the phone sees it and decides.
    const { token } = hub.hub.store.machines.create('build-box', Date.now());
    const agent = runSdkAgent({ ...proxyClientEnv(proxy), SIGNOFF_URL: proxy.publicUrl, SIGNOFF_TOKEN: token }, {
      title: `Deploy ${LONG.slice(0, 480)}`,
      body: `Why: ${LONG}\n\n\`\`\`\n${LONG}\n\`\`\``,
      severity: 'high',
      action: { name: `run_${'y'.repeat(150)}`, args: { command: LONG, [`key_${'k'.repeat(100)}`]: LONG } },
      context: { [`ctx_${'c'.repeat(100)}`]: LONG },
      consequences: [LONG.slice(0, 1900)],
      alternatives: [{ id: 'plan-only', description: 'Only print the deployment plan' }],
    }, 'phone-agent');
    await ui.expectRow('Deploy');
    expect(await scrollWidth(ui.page)).toBeLessThanOrEqual(360);
    await ui.open('Deploy');
    const approve = ui.button('Approve');
    await approve.waitFor();
    // The person sees which machine asks.
    expect(await ui.text()).toContain('phone-agent from build-box');
    expect(await scrollWidth(ui.page)).toBeLessThanOrEqual(360);
    // The decision buttons: thumb-sized and on screen, however long the request.
    for (const name of ['Approve', 'Reject']) {
      const box = (await ui.button(name).boundingBox())!;
      expect(box.height).toBeGreaterThanOrEqual(44);
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.y + box.height).toBeLessThanOrEqual(740);
      expect(box.x + box.width).toBeLessThanOrEqual(360);
    }
    expect(await smallTargets(ui.page)).toEqual([]);
    // Picking the alternative: what Approve will do now shows in the bar, on screen beside the button.
    await ui.queue().getByRole('radio', { name: /Only print the deployment plan/ }).check();
    const note = ui.queue().getByText('Approve will approve instead: Only print the deployment plan');
    const noteBox = (await note.boundingBox())!;
    expect(noteBox.y).toBeGreaterThanOrEqual(0);
    expect(noteBox.y + noteBox.height).toBeLessThanOrEqual((await approve.boundingBox())!.y);
    await approve.tap();
    const { code: exit, stdout, stderr } = await agent.done;
    expect(stderr).toBe('');
    expect(exit).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ status: 'resolved', response: { approved: true, alternativeId: 'plan-only' }, respondedBy: 'Pixel 8 · Chrome' });
    // The other parts of the window fit too.
    for (const section of ['History', 'Stats', 'Runs'] as const) {
      await ui.showSection(section);
      expect(await scrollWidth(ui.page)).toBeLessThanOrEqual(360);
    }
    await ui.showSection('Queue');
    await ui.openSettings();
    expect(await scrollWidth(ui.page)).toBeLessThanOrEqual(360);
    await ui.device(/Pixel 8 · Chrome/).waitFor();
    expect(await smallTargets(ui.page)).toEqual([]);

    // Installable: the manifest is linked and valid, its icons are served.
    const manifest = await ui.page.evaluate(async () => {
      const href = document.querySelector<HTMLLinkElement>('link[rel="manifest"]')?.href ?? '';
      const res = await fetch(href);
      const body = (await res.json()) as { icons: { src: string; sizes: string; purpose?: string }[] } & Record<string, unknown>;
      const icons = await Promise.all(body.icons.map(async (icon) => ({ ...icon, type: (await fetch(icon.src)).headers.get('content-type') })));
      return { href, type: res.headers.get('content-type'), body, icons, theme: document.querySelector('meta[name="theme-color"]')?.getAttribute('content') };
    });
    expect(manifest).toMatchObject({
      href: `${proxy.publicUrl}/manifest.webmanifest`,
      type: 'application/manifest+json',
      body: { name: 'Signoff', short_name: 'Signoff', start_url: '/', scope: '/', display: 'standalone' },
      theme: '#1f5bd6',
    });
    expect(manifest.icons).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ sizes: '192x192', type: 'image/png' }),
        expect.objectContaining({ sizes: '512x512', type: 'image/png' }),
        expect.objectContaining({ sizes: '512x512', purpose: 'maskable', type: 'image/png' }),
      ]),
    );
    // The service worker activates for the whole app.
    const worker = await ui.page.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready;
      return { scope: registration.scope, state: registration.active?.state, script: registration.active?.scriptURL };
    });
    expect(worker).toEqual({ scope: `${proxy.publicUrl}/`, state: 'activated', script: `${proxy.publicUrl}/sw.js` });

    // The device is kept: a reload is still paired, with no code.
    await ui.page.reload();
    await ui.queue().waitFor({ timeout: 10_000 });
    expect(await ui.codeField().count()).toBe(0);

    // The same link again, in another browser: the code is spent, and the hub says so.
    const other = await browser.newContext(PHONE);
    try {
      const again = await WindowPage.open(other, proxy.publicUrl, `#pair=${code}`);
      await again.page.getByRole('button', { name: 'Pair this device' }).tap();
      await again.expectText(again.alert(), /^Not paired: /);
      expect(again.page.url()).toBe(`${proxy.publicUrl}/`);
    } finally {
      await other.close();
    }

    // The hub stops (the proxy stays and answers 502): opening the app shows its shell, saying so.
    await hub.stop();
    await ui.page.reload();
    await ui.expectText(ui.queue().getByRole('status').first(), 'Hub unreachable — retrying');
    expect(await ui.page.title()).toBe('Signoff');
    expect(await ui.codeField().count()).toBe(0);

    // The same hub comes back: the phone reconnects by itself, a lasting device of its own.
    hub = await startTestHub({ dataDir: hub.dataDir, port: hub.port, publicUrl: proxy.publicUrl });
    await expect.poll(() => ui.text(), { timeout: 15_000 }).not.toContain('Hub unreachable');
    const script = await hub.pairApprover('script');
    const listDevices = async () =>
      ((await (await fetch(`${hub.url}/api/v1/devices`, { headers: { authorization: `Bearer ${script}` } })).json()) as { devices: { name: string; ephemeral: boolean }[] }).devices;
    expect(await listDevices()).toContainEqual(expect.objectContaining({ name: 'Pixel 8 · Chrome', ephemeral: false }));

    // Forget this device: revoked at the hub, its key deleted here, back to pairing.
    await ui.openSettings();
    await ui.page.getByRole('button', { name: 'Forget this device' }).tap();
    await ui.codeField().waitFor({ timeout: 10_000 });
    const kept = () =>
      ui.page.evaluate(
        () =>
          new Promise<number>((resolve, reject) => {
            const open = indexedDB.open('signoff-window');
            open.onerror = () => reject(new Error('IndexedDB did not open'));
            open.onsuccess = () => {
              const count = open.result.transaction('device').objectStore('device').count();
              count.onsuccess = () => {
                open.result.close();
                resolve(count.result);
              };
            };
          }),
      );
    await expect.poll(kept).toBe(0);
    expect((await listDevices()).map((d) => d.name)).not.toContain('Pixel 8 · Chrome');
    expect(await ui.allProblems()).toEqual([]);
    // A long walk (two browsers, a hub restart) on a machine with two busy cores.
  }, 90_000);
});

describe('Pair a phone without a public URL', () => {
  it('shows the code but no QR code, and says the hub needs a public URL behind a TLS proxy', async () => {
    const hub = await startTestHub();
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_FLAGS] });
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
      const window = await WindowPage.open(context, hub.url);
      await window.pairAndWait(hub.hub.createPairingCode().code);
      await window.openSettings();
      await window.page.getByRole('button', { name: 'Show a pairing code' }).click();
      await window.expectText(window.page.getByRole('region', { name: 'Settings' }), /This hub has no public URL, so a phone cannot reach it\./);
      expect(await window.page.locator('.sw-pair-code').textContent()).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
      expect(await window.page.getByRole('img', { name: 'QR code of the pairing link' }).count()).toBe(0);
      await context.close();
    } finally {
      await browser.close();
      await hub.dispose();
    }
  });
});
