import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { ExtensionBrowser } from './extension.js';

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The extension popup (opened as a tab), driven by the names people see. */
export class PopupPage {
  private constructor(readonly page: Page) {}

  static async open(browser: ExtensionBrowser, query = ''): Promise<PopupPage> {
    return new PopupPage(await browser.open(`popup.html${query}`));
  }

  /** The queue row of the request titled `title`. */
  row(title: string): Locator {
    return this.page.getByRole('tabpanel').getByRole('button', { name: new RegExp(escape(title)) });
  }

  async expectRow(title: string): Promise<void> {
    await this.row(title).first().waitFor({ state: 'visible', timeout: 10_000 });
  }

  async expectNoRow(title: string): Promise<void> {
    await expect.poll(() => this.row(title).count(), { timeout: 10_000 }).toBe(0);
  }

  /** Opens a request from the queue and waits for its detail view. */
  async open(title: string): Promise<void> {
    await this.row(title).first().click();
    await this.page.getByRole('heading', { level: 2, name: title }).waitFor({ timeout: 10_000 });
  }

  button(name: string): Locator {
    return this.page.getByRole('button', { name, exact: true });
  }

  field(label: string | RegExp): Locator {
    return this.page.getByLabel(label);
  }

  /** Waits for the detail to close after a decision (back at the queue). */
  async expectBackAtQueue(): Promise<void> {
    await this.page.getByRole('tab', { name: /Pending/ }).waitFor({ timeout: 10_000 });
    await expect.poll(() => this.page.getByRole('heading', { level: 2 }).count(), { timeout: 10_000 }).toBe(0);
  }

  /** The draft saved in the extension's IndexedDB for a request, as JSON text ('' if none). */
  savedDraft(requestId: string): Promise<string> {
    return this.page.evaluate(
      (id) =>
        new Promise<string>((resolve, reject) => {
          const open = indexedDB.open('signoff');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const get = open.result.transaction('drafts').objectStore('drafts').get(id);
            get.onsuccess = () => {
              resolve(get.result ? JSON.stringify(get.result.draft) : '');
              open.result.close();
            };
          };
        }),
      requestId,
    );
  }

  /** Text of the whole popup, for checks of what is shown. */
  text(): Promise<string> {
    return this.page.locator('body').innerText();
  }
}
