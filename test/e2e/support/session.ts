import { connect, type SignoffClient } from '@signoff/shared/agent';
import type { Worker } from 'playwright-core';
import { expect } from 'vitest';
import { startTestHub, type TestHub } from '../../support/hub.js';
import { launchExtension, type ExtensionBrowser } from './extension.js';
import { OptionsPage } from './options-page.js';

/** A real hub, the built extension paired with it through its options page, and an SDK agent. */
export interface E2eSession {
  /** The current hub; a test that restarts it puts the new one here, and `close` disposes that. */
  hub: TestHub;
  browser: ExtensionBrowser;
  agent: SignoffClient;
  /** The toolbar badge's text, read from the extension's worker. */
  badgeText(): Promise<string>;
  /** The toolbar button's title (its tooltip), read from the extension's worker. */
  badgeTitle(): Promise<string>;
  close(): Promise<void>;
}

export async function startSession(): Promise<E2eSession> {
  const hub = await startTestHub();
  const browser = await launchExtension();
  const options = await OptionsPage.open(browser);
  await options.pair(hub.url, hub.hub.createPairingCode().code);
  await options.expectState(/^Connected/);
  await options.page.close();
  const agent = await connect({ agentId: 'e2e-agent', url: hub.url, token: hub.agentToken });
  const session: E2eSession = {
    hub,
    browser,
    agent,
    badgeText: async () => {
      const worker: Worker = await browser.worker();
      return worker.evaluate(() => (globalThis as unknown as { chrome: { action: { getBadgeText(d: object): Promise<string> } } }).chrome.action.getBadgeText({}));
    },
    badgeTitle: async () => {
      const worker: Worker = await browser.worker();
      return worker.evaluate(() => (globalThis as unknown as { chrome: { action: { getTitle(d: object): Promise<string> } } }).chrome.action.getTitle({}));
    },
    async close() {
      agent.close();
      await browser.close();
      await session.hub.dispose();
    },
  };
  return session;
}

/** Waits for the badge to read `text`. */
export async function expectBadge(session: E2eSession, text: string): Promise<void> {
  await expect.poll(() => session.badgeText(), { timeout: 10_000 }).toBe(text);
}
