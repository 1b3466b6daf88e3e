import type { Page } from 'playwright-core';
import { ApproverQueue } from './approver-queue.js';
import type { ExtensionBrowser } from './extension.js';

/** The extension popup (opened as a tab), driven by the names people see. */
export class PopupPage extends ApproverQueue {
  private constructor(readonly page: Page) {
    super(page.locator('body'));
  }

  static async open(browser: ExtensionBrowser, query = ''): Promise<PopupPage> {
    return new PopupPage(await browser.open(`popup.html${query}`));
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
