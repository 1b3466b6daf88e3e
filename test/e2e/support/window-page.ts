import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { ApproverQueue, escapeRegExp } from './approver-queue.js';
import { CHROMIUM, CHROMIUM_FLAGS } from './extension.js';

/** The built approval window (`npm run build` makes it); the hub serves it at `/`. */
export const WINDOW_BUILD = fileURLToPath(new URL('../../../desktop/dist/window/index.html', import.meta.url));

const escape = escapeRegExp;

/** Debian's Chromium, headless, as a plain browser (no extension). */
export async function launchWindowBrowser(): Promise<Browser> {
  if (!existsSync(WINDOW_BUILD)) throw new Error(`no built approval window at ${WINDOW_BUILD}: run npm run build`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_FLAGS] });
}

/** A viewport wider than the tray's window (1100 px): queue and dashboard side by side. */
export const WIDE = { width: 1280, height: 860 } as const;
/** A viewport as narrow as a phone or a side panel: one section at a time. */
export const NARROW = { width: 420, height: 860 } as const;

/**
 * The hub's page (`http://127.0.0.1:PORT/`) in Chromium, driven by the names
 * people see. Records Content-Security-Policy violations and uncaught errors, so a
 * test can check the page ran clean under the hub's CSP.
 */
export class WindowPage extends ApproverQueue {
  /** CSP violations and uncaught errors seen so far. */
  readonly problems: string[] = [];

  private constructor(readonly page: Page) {
    super(page.getByRole('region', { name: 'Queue' }));
    page.on('pageerror', (error) => this.problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) this.problems.push(`console: ${message.text()}`);
    });
  }

  /** Opens the hub's page in a new tab of `context`. */
  static async open(context: BrowserContext, hubUrl: string, query = ''): Promise<WindowPage> {
    const page = await context.newPage();
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        const list = ((window as unknown as { __cspViolations?: string[] }).__cspViolations ??= []);
        list.push(`${event.violatedDirective} ${event.blockedURI}`);
      });
    });
    const window = new WindowPage(page);
    await page.goto(`${hubUrl}/${query}`);
    return window;
  }

  /** CSP violations the page itself reported, plus what {@link problems} caught. */
  async allProblems(): Promise<string[]> {
    const reported = await this.page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []);
    return [...this.problems, ...reported.map((v) => `csp: ${v}`)];
  }

  // pairing

  codeField(): Locator {
    return this.page.getByLabel('Pairing code');
  }

  async pair(code: string): Promise<void> {
    await this.codeField().fill(code);
    await this.page.getByRole('button', { name: 'Pair', exact: true }).click();
  }

  /** Pairs and waits for the queue. */
  async pairAndWait(code: string): Promise<void> {
    await this.pair(code);
    await this.queue().waitFor({ timeout: 10_000 });
  }

  alert(): Locator {
    return this.page.getByRole('alert');
  }

  /**
   * Everything the hub's origin keeps in this browser: localStorage and sessionStorage
   * entries, IndexedDB databases and cookies. The window must keep no credential there.
   */
  storedByOrigin(): Promise<{ localStorage: Record<string, string>; sessionStorage: Record<string, string>; indexedDB: string[]; cookies: string }> {
    return this.page.evaluate(async () => {
      const entries = (storage: Storage) => Object.fromEntries(Array.from({ length: storage.length }, (_, i) => storage.key(i)!).map((key) => [key, storage.getItem(key) ?? '']));
      return {
        localStorage: entries(localStorage),
        sessionStorage: entries(sessionStorage),
        indexedDB: (await indexedDB.databases()).map((db) => db.name ?? ''),
        cookies: document.cookie,
      };
    });
  }

  /** The Settings panel's device list. */
  devices(): Locator {
    return this.page.getByRole('list', { name: 'Paired devices' });
  }

  /** The device row named `name` in Settings. */
  device(name: string | RegExp): Locator {
    return this.devices().getByRole('listitem').filter({ hasText: name });
  }

  // the queue (the shared approver UI)

  queue(): Locator {
    return this.page.getByRole('region', { name: 'Queue' });
  }


  // sections and the dashboard

  sectionTab(name: 'Queue' | 'Stats' | 'History' | 'Runs'): Locator {
    return this.page.getByRole('tablist', { name: 'Sections' }).getByRole('tab', { name: new RegExp(`^${name}`) });
  }

  async showSection(name: 'Queue' | 'Stats' | 'History' | 'Runs'): Promise<void> {
    await this.sectionTab(name).click();
  }

  dashboard(): Locator {
    return this.page.locator('#sw-dashboard-panel');
  }

  /** The value on the stats card labelled `label` ("Approval rate" → "50%"). */
  statCard(label: string): Locator {
    return this.dashboard().locator('.sw-card').filter({ has: this.page.locator('dt', { hasText: new RegExp(`^${escape(label)}$`) }) });
  }

  async expectStat(label: string, value: string): Promise<void> {
    await expect.poll(async () => (await this.statCard(label).locator('.sw-card-value').textContent({ timeout: 2_000 }).catch(() => null)) ?? '', { timeout: 10_000 }).toBe(value);
  }

  /** A chart of the stats view by its caption. */
  chart(caption: string): Locator {
    return this.dashboard().locator('figure').filter({ has: this.page.locator('figcaption', { hasText: caption }) });
  }

  /** Rows of the history list (titles). */
  async historyTitles(): Promise<string[]> {
    return this.dashboard().getByRole('list', { name: 'Past requests' }).locator('.so-row-title').allTextContents();
  }

  historyFilter(label: 'Search' | 'Kind' | 'Status' | 'Agent'): Locator {
    return this.dashboard().getByLabel(label, { exact: true });
  }

  runRow(runId: string): Locator {
    return this.dashboard().getByRole('list', { name: 'Runs' }).getByRole('button', { name: new RegExp(escape(runId)) });
  }

  timeline(): Locator {
    return this.dashboard().getByRole('list', { name: 'Timeline' });
  }

  /** Waits until `locator`'s text matches. */
  async expectText(locator: Locator, text: string | RegExp): Promise<void> {
    await expect.poll(async () => (await locator.textContent({ timeout: 2_000 }).catch(() => '')) ?? '', { timeout: 10_000 }).toMatch(typeof text === 'string' ? new RegExp(escape(text)) : text);
  }

  async openSettings(): Promise<void> {
    await this.queue().getByRole('button', { name: 'Settings', exact: true }).click();
    await this.page.getByRole('heading', { name: 'Settings' }).waitFor({ timeout: 10_000 });
  }

  text(): Promise<string> {
    return this.page.locator('body').innerText();
  }
}
