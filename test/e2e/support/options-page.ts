import type { Page } from 'playwright-core';
import { eventually } from './eventually.js';
import type { ExtensionBrowser } from './extension.js';

/** The extension's options page, driven by the names people see. */
export class OptionsPage {
  private constructor(readonly page: Page) {}

  static async open(browser: ExtensionBrowser): Promise<OptionsPage> {
    return new OptionsPage(await browser.open('options.html'));
  }

  async pair(hubUrl: string, code: string): Promise<void> {
    await this.page.getByLabel('Hub URL').fill(hubUrl);
    await this.page.getByLabel('Pairing code').fill(code);
    await this.page.getByRole('button', { name: 'Pair' }).click();
  }

  status() {
    return this.page.getByRole('status');
  }

  alert() {
    return this.page.getByRole('alert');
  }

  async unpair(): Promise<void> {
    await this.page.getByRole('button', { name: 'Unpair' }).click();
  }

  /** Waits until the connection status reads `text`. */
  async expectState(text: string | RegExp): Promise<void> {
    await eventually(async () => (await this.status().textContent()) ?? '', (t) => (typeof text === 'string' ? t.includes(text) : text.test(t)), `status ${String(text)}`);
  }
}
