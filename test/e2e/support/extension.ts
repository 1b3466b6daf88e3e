import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';

/** The Chrome build of the extension (`npm run build` makes it). */
export const EXTENSION_DIR = fileURLToPath(new URL('../../../extension/.output/chrome-mv3', import.meta.url));
/** Debian's Chromium (`apt-get install chromium`); never a downloaded browser. */
export const CHROMIUM = process.env.SIGNOFF_CHROMIUM ?? '/usr/bin/chromium';
/** Flags for headless Chromium on the build machines (no sandbox as root, no GPU, nothing fetched in the background). */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  /** The extension's service worker as it is now (it may be restarted by Chrome). */
  worker(): Promise<Worker>;
  /** Opens an extension page (`popup.html`, `options.html?x`) in a new tab. */
  open(path: string): Promise<Page>;
  close(): Promise<void>;
}

/** Launches Debian's Chromium with the built extension loaded, in a fresh profile. */
export async function launchExtension(): Promise<ExtensionBrowser> {
  if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) throw new Error(`no built extension at ${EXTENSION_DIR}: run npm run build`);
  const profile = mkdtempSync(join(tmpdir(), 'signoff-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      ...CHROMIUM_FLAGS,
      `--disable-extensions-except=${EXTENSION_DIR}`,
      `--load-extension=${EXTENSION_DIR}`,
    ],
  });
  const worker = async () => context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL((await worker()).url()).host;
  return {
    context,
    extensionId,
    worker,
    async open(path) {
      const page = await context.newPage();
      await page.goto(`chrome-extension://${extensionId}/${path}`);
      return page;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
