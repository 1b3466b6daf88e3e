// @ts-check
/** Debian's Chromium with the built extension, for the proof's browser scenarios. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT } from './hub-process.js';
import { onCleanup, sleep } from './processes.js';

export const CHROMIUM = process.env.SIGNOFF_CHROMIUM ?? '/usr/bin/chromium';
export const EXTENSION_DIR = join(ROOT, 'extension/.output/chrome-mv3');
/** Headless Chromium on the build machines: no sandbox as root, no GPU, nothing fetched in the background (as test/e2e/support/extension.ts). */
export const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const UI_TIMEOUT_MS = 15_000;

/** Throws with how to get it when Chromium or the extension build is missing. */
export function requireExtensionBuild() {
  for (const [what, path] of [['Chromium', CHROMIUM], ['the extension build', join(EXTENSION_DIR, 'manifest.json')]]) {
    if (!existsSync(path)) throw new Error(`no ${what} at ${path} (apt-get install chromium; npm run build)`);
  }
}

/**
 * The built extension in a fresh Chromium profile, paired with `hub` through its options
 * page (Hub URL, Pairing code, Pair) and connected.
 * @param {import('./hub-process.js').HubProcess} hub
 * @param {{ viewport?: { width: number, height: number } }} [options]
 */
export async function launchPairedExtension(hub, options = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'signoff-proof-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    ...(options.viewport ? { viewport: options.viewport } : {}),
    args: [...CHROMIUM_FLAGS, `--disable-extensions-except=${EXTENSION_DIR}`, `--load-extension=${EXTENSION_DIR}`],
  });
  const close = async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  };
  const unregister = onCleanup(close);
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(worker.url()).host;
  const optionsPage = await context.newPage();
  await optionsPage.goto(`chrome-extension://${extensionId}/options.html`);
  await optionsPage.getByLabel('Hub URL').fill(hub.url);
  await optionsPage.getByLabel('Pairing code').fill(await hub.pairingCode());
  await optionsPage.getByRole('button', { name: 'Pair' }).click();
  const status = async () => (await optionsPage.getByRole('status').first().textContent()) ?? '';
  /** Waits until the options page's status matches `pattern`; the last status on timeout. */
  const waitStatus = async (/** @type {RegExp} */ pattern, timeoutMs = UI_TIMEOUT_MS) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = await status();
      if (pattern.test(text)) return text;
      if (Date.now() > deadline) throw new Error(`the extension's status stayed "${text}", not ${pattern}`);
      await sleep(100);
    }
  };
  await waitStatus(/^Connected/);
  return {
    context,
    extensionId,
    optionsPage,
    status,
    waitStatus,
    async close() {
      unregister();
      await close();
    },
  };
}
