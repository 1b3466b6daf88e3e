import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchExtension, type ExtensionBrowser } from './support/extension.js';

type Chrome = { chrome: { runtime: { sendMessage(message: unknown): Promise<unknown> } } };

/** Sends `message` to the built extension's worker from one of its pages, as the popup and options page do. */
const sendToWorker = (page: Page, message: unknown) =>
  page.evaluate((m) => (globalThis as unknown as Chrome).chrome.runtime.sendMessage(m), message);

describe('the extension worker’s messages', () => {
  let browser: ExtensionBrowser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchExtension();
    page = await browser.open('options.html');
  });
  afterAll(async () => browser?.close());

  it('answers a message type it does not know with a failure that names it, and keeps answering', async () => {
    expect(await sendToWorker(page, { type: 'request:delete', payload: { id: 'x' } })).toEqual({
      ok: false,
      message: 'The extension’s background worker cannot handle a message of type "request:delete".',
    });
    expect(await sendToWorker(page, 'hello')).toEqual({ ok: false, message: 'The extension’s background worker cannot handle a message without a type.' });
    // The worker is still there, and a known message gets its own reply.
    expect(await sendToWorker(page, { type: 'connection:status', payload: {} })).toMatchObject({ state: 'unpaired', device: null });
  });
});
