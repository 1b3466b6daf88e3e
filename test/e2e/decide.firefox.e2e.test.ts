import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect, type SignoffClient } from '@signoff/shared/agent';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../support/hub.js';

/**
 * The Firefox build of the extension (Manifest V2) in Debian's firefox-esr, driven by
 * puppeteer-core over WebDriver BiDi: pairing through the options page, the toolbar
 * badge, a critical notification, and a decision from the popup reaching the agent.
 */

/** The Firefox build (`npm run build` makes it). */
const EXTENSION_DIR = fileURLToPath(new URL('../../extension/.output/firefox-mv2', import.meta.url));
/** Debian's firefox-esr (`apt-get install firefox-esr`); never a downloaded browser. */
const FIREFOX = process.env.SIGNOFF_FIREFOX ?? '/usr/bin/firefox-esr';
/** The add-on's id, from `browser_specific_settings.gecko.id` in extension/wxt.config.ts. */
const GECKO_ID = 'signoff@signoff.local';
const EXTENSION_NAME = 'Browser extension (Firefox)';

/** What an extension page can reach of the extension API (Firefox's MV2 names). */
interface ExtensionGlobals {
  browser: {
    browserAction: { getBadgeText(details: object): Promise<string>; getTitle(details: object): Promise<string> };
    notifications: {
      getAll(): Promise<Record<string, unknown>>;
      onShown: { addListener(listener: (id: string) => void): void };
      onClosed: { addListener(listener: (id: string) => void): void };
    };
  };
}

/** Polls `read` until it returns `want`; a guard against hanging, not a timing assertion. */
async function until<T>(read: () => Promise<T>, want: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (want(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`gave up waiting for ${what}; last seen: ${JSON.stringify(last)}`);
}

describe('the Firefox build in firefox-esr (real hub, SDK agent)', () => {
  const uuid = randomUUID();
  let hub: TestHub;
  let firefox: Browser;
  let agent: SignoffClient;

  /**
   * Opens an extension page in a fresh tab. Navigating to a moz-extension URL may never
   * report its load over BiDi, so the navigation is not awaited: the caller waits for
   * what it needs on the page instead.
   */
  const open = async (path: string): Promise<Page> => {
    const page = await firefox.newPage();
    page.goto(`moz-extension://${uuid}/${path}`).catch(() => {});
    await page.waitForFunction(() => document.readyState === 'complete' && location.protocol === 'moz-extension:' && document.body?.childElementCount > 0);
    return page;
  };

  /** The toolbar badge's text and tooltip, read through the extension's own API from one of its pages. */
  const badge = (page: Page) =>
    page.evaluate(async () => {
      const { browserAction } = (globalThis as unknown as ExtensionGlobals).browser;
      return { text: await browserAction.getBadgeText({}), title: await browserAction.getTitle({}) };
    });

  /** Clicks the first element matching `selector` whose text contains `text`. */
  const clickText = async (page: Page, selector: string, text: string) => {
    await page.waitForFunction((s, t) => Array.from(document.querySelectorAll(s)).some((e) => e.textContent?.includes(t)), {}, selector, text);
    await page.evaluate(
      (s, t) => (Array.from(document.querySelectorAll(s)).find((e) => e.textContent?.includes(t)) as HTMLElement).click(),
      selector,
      text,
    );
  };

  /** Types `text` into the field labelled `label` (a label wrapping its control, or pointing at it). */
  const typeInto = async (page: Page, label: string, text: string) => {
    await page.waitForFunction((l) => Array.from(document.querySelectorAll('label')).some((e) => e.textContent?.trim().startsWith(l)), {}, label);
    await page.evaluate((l) => {
      const found = Array.from(document.querySelectorAll('label')).find((e) => e.textContent?.trim().startsWith(l))!;
      const control = (found.control ?? found.querySelector('input, textarea')) as HTMLElement;
      control.focus();
    }, label);
    await page.keyboard.type(text);
  };

  beforeAll(async () => {
    if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) throw new Error(`no built extension at ${EXTENSION_DIR}: run npm run build`);
    if (!existsSync(FIREFOX)) throw new Error(`no Firefox at ${FIREFOX}: apt-get install -y --no-install-recommends firefox-esr`);
    hub = await startTestHub();
    firefox = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX,
      headless: true,
      // Lets the BiDi session open and script extension pages.
      args: ['--remote-allow-system-access'],
      // The add-on's moz-extension UUID, fixed so its pages' URLs are known.
      extraPrefsFirefox: { 'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: uuid }) },
    });
    expect(await firefox.installExtension(EXTENSION_DIR)).toBe(GECKO_ID);
    agent = await connect({ agentId: 'firefox-agent', url: hub.url, token: hub.agentToken });
  }, 60_000);

  afterAll(async () => {
    agent?.close();
    await firefox?.close();
    await hub?.dispose();
  });

  it('pairs through the options page with a code from the hub', async () => {
    const options = await open('options.html');
    const hubUrl = await options.waitForSelector('input[type="url"]');
    await hubUrl!.click({ count: 3 });
    await hubUrl!.type(hub.url);
    await options.type('input[placeholder="ABCD-EFGH"]', hub.hub.createPairingCode().code);
    await clickText(options, 'button[type="submit"]', 'Pair');
    const status = await until(
      () => options.$eval('[role="status"]', (e) => e.textContent ?? ''),
      (text) => text.startsWith('Connected'),
      'the options page to say Connected',
    );
    expect(status).toMatch(/^Connected/);
    // Connected and nothing waiting: the badge is empty, and its tooltip was set (browserAction, not action).
    await until(() => badge(options), (b) => b.text === '' && b.title !== 'Signoff', 'the toolbar button to be updated');
    await options.close();
  });

  it('counts a pending request on the badge, approves it in the popup, and the agent gets the decision', async () => {
    const decision = agent.requestApproval({ title: 'Rotate the staging TLS certificate', severity: 'high' });
    decision.catch(() => {}); // awaited below; a failure before then must not surface as unhandled
    const popup = await open('popup.html');
    await until(() => badge(popup), (b) => b.text === '1', 'the badge to count 1');
    await clickText(popup, '[role="tabpanel"] button', 'Rotate the staging TLS certificate');
    await popup.waitForFunction(() => document.querySelector('h2')?.textContent === 'Rotate the staging TLS certificate');
    await clickText(popup, 'button', 'Approve');
    await expect(decision).resolves.toMatchObject({
      status: 'resolved',
      respondedBy: EXTENSION_NAME,
      via: 'socket',
      response: { approved: true },
    });
    await until(() => badge(popup), (b) => b.text === '', 'the badge to clear');
    await popup.close();
  });

  it('raises a notification for a critical request (no option Firefox refuses)', async () => {
    const page = await open('popup.html');
    // Headless Firefox has nowhere to show a notification and closes it at once, so the
    // page records every notification the extension shows or closes; one that
    // `notifications.create` refused is neither.
    await page.evaluate(() => {
      const { notifications } = (globalThis as unknown as ExtensionGlobals).browser;
      const seen: string[] = [];
      (globalThis as unknown as { seenNotifications: string[] }).seenNotifications = seen;
      notifications.onShown.addListener((id) => seen.push(id));
      notifications.onClosed.addListener((id) => seen.push(id));
    });
    const request = await agent.submit({ kind: 'approval', title: 'Drop the analytics schema', severity: 'critical' });
    const decision = agent.waitFor(request.id);
    decision.catch(() => {}); // awaited below; a failure before then must not surface as unhandled
    // This request's own notification: an earlier test's may still be listed.
    const mine = `request:${request.id}`;
    const seen = await until(
      () =>
        page.evaluate(async () => [
          ...(globalThis as unknown as { seenNotifications: string[] }).seenNotifications,
          ...Object.keys(await (globalThis as unknown as ExtensionGlobals).browser.notifications.getAll()),
        ]),
      (ids) => ids.includes(mine),
      'a notification for the critical request',
    );
    expect(seen).toContain(mine);
    await clickText(page, '[role="tabpanel"] button', 'Drop the analytics schema');
    await page.waitForFunction(() => document.querySelector('h2')?.textContent === 'Drop the analytics schema');
    await typeInto(page, 'Reason', 'Not during the quarter close');
    await clickText(page, 'button', 'Reject');
    await expect(decision).resolves.toMatchObject({ respondedBy: EXTENSION_NAME, response: { approved: false, reason: 'Not during the quarter close' } });
    await page.close();
  });
});
