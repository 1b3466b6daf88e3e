// @ts-check
/**
 * Popup first-paint benchmark (`npm run bench`, before the hub bench). Loads the
 * built extension in Debian's Chromium, seeds its IndexedDB mirror with N pending
 * requests (as the worker would after a snapshot), opens popup.html and reads:
 *  - first paint: the popup's `signoff:first-paint` mark (ms from navigation start),
 *    set once the first page of the queue has rendered from IndexedDB;
 *  - full queue: `signoff:full-queue`, once every pending request is loaded.
 * Targets (issue "Browser extension"): first paint ≤ 150 ms with 1,000 pending;
 * with 10,000 the list stays usable (paged), and its first paint is printed too.
 * Median of several runs; no hub needed (the popup paints from its cache).
 * Last line: `bench-popup: first_paint_1000_ms=X first_paint_10000_ms=Y full_queue_10000_ms=Z rows_rendered_10000=N`
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const EXTENSION = fileURLToPath(new URL('../../extension/.output/chrome-mv3', import.meta.url));
const CHROMIUM = process.env.SIGNOFF_CHROMIUM ?? '/usr/bin/chromium';
const RUNS = 5;
const SEVERITIES = ['low', 'medium', 'high', 'critical'];

if (!existsSync(join(EXTENSION, 'manifest.json'))) throw new Error('build the extension first: npm run build');
if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium`);

const profile = mkdtempSync(join(tmpdir(), 'signoff-bench-popup-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  args: [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', `--disable-extensions-except=${EXTENSION}`, `--load-extension=${EXTENSION}`,
  ],
});

/** @param {number[]} xs */
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

try {
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const id = new URL(worker.url()).host;
  const seeder = await context.newPage();
  await seeder.goto(`chrome-extension://${id}/options.html`);

  /** Replaces the mirror with `count` realistic pending requests. */
  const seed = (/** @type {number} */ count) =>
    seeder.evaluate(
      ({ count, severities }) =>
        new Promise((resolve, reject) => {
          const open = indexedDB.open('signoff');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const db = open.result;
            const tx = db.transaction('pending', 'readwrite');
            const store = tx.objectStore('pending');
            store.clear();
            const now = Date.now();
            for (let i = 0; i < count; i++) {
              const severity = severities[i % 4];
              const request = {
                kind: 'approval', id: `bench-${i}`, title: `Delete ${i} stale rows from table audit_${i % 97}`,
                body: 'Found by the nightly cleanup job.', severity, agentId: `agent-${i % 13}`,
                action: { name: 'db.delete', args: { table: `audit_${i % 97}`, rows: i } },
                createdAt: now - i * 1000, expiresAt: now + 3_600_000, status: 'pending', onTimeout: 'expire',
              };
              store.put({ id: request.id, sortKey: [3 - severities.indexOf(severity), request.createdAt], request });
            }
            tx.oncomplete = () => { db.close(); resolve(undefined); };
            tx.onerror = () => reject(tx.error);
          };
        }),
      { count, severities: SEVERITIES },
    );

  /** Opens the popup; returns first-paint and full-queue marks and the rows in the DOM. */
  const measure = async () => {
    const page = await context.newPage();
    await page.goto(`chrome-extension://${id}/popup.html`);
    await page.waitForFunction(() => performance.getEntriesByName('signoff:full-queue').length > 0, undefined, { timeout: 30_000 });
    const marks = await page.evaluate(() => ({
      firstPaint: performance.getEntriesByName('signoff:first-paint')[0]?.startTime ?? NaN,
      fullQueue: performance.getEntriesByName('signoff:full-queue')[0]?.startTime ?? NaN,
      rows: document.querySelectorAll('[role="tabpanel"] li').length,
      header: document.querySelector('.so-header-status')?.textContent ?? '',
    }));
    await page.close();
    return marks;
  };

  /** @type {Record<number, { firstPaint: number, fullQueue: number, rows: number, header: string }>} */
  const results = {};
  for (const count of [1000, 10000]) {
    await seed(count);
    await measure(); // warm-up: compiles the popup bundle
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await measure());
    results[count] = {
      firstPaint: median(runs.map((r) => r.firstPaint)),
      fullQueue: median(runs.map((r) => r.fullQueue)),
      rows: runs[0]?.rows ?? 0,
      header: runs[0]?.header ?? '',
    };
    console.log(
      `popup with ${count} pending: first paint ${results[count].firstPaint.toFixed(0)} ms, full queue ${results[count].fullQueue.toFixed(0)} ms, ` +
        `${results[count].rows} rows in the DOM, header "${results[count].header}" (median of ${RUNS})`,
    );
  }
  const r1 = results[1000];
  const r10 = results[10000];
  if (!r1 || !r10) throw new Error('missing results');
  console.log(`target: first paint ≤ 150 ms with 1,000 pending → ${r1.firstPaint <= 150 ? 'PASS' : 'FAIL'}`);
  console.log(`target: 10,000 pending stays usable (paged: ${r10.rows} rows rendered) → ${r10.rows <= 100 ? 'PASS' : 'FAIL'}`);
  console.log(
    `bench-popup: first_paint_1000_ms=${r1.firstPaint.toFixed(0)} first_paint_10000_ms=${r10.firstPaint.toFixed(0)} ` +
      `full_queue_10000_ms=${r10.fullQueue.toFixed(0)} rows_rendered_10000=${r10.rows}`,
  );
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
