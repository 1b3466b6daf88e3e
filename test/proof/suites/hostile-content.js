// @ts-check
/**
 * Hostile content: the corpus of hostile-corpus.js sent as real requests to a real hub,
 * then opened one by one in the approval window the hub serves at `/` (paired by code,
 * at a wide and a narrow viewport) and in the built extension's popup, in Debian's
 * Chromium.
 *
 * Held when, for every request on every surface: nothing executes or loads (no dialog,
 * no uncaught error, no CSP violation, no hit on a canary server the content points at,
 * no navigation, no new window); no active element, event-handler attribute or unsafe
 * link target comes from the content; nothing escapes its box (no horizontal overflow
 * of the page or of the request's view); the request's own facts (its action, and that
 * it is irreversible) come before the agent's body in the DOM, under a heading that sets
 * the body apart ("The agent's description"); bidi overrides show as visible markers
 * (U+202E); a link's real target is shown; there is one Approve button, the real one.
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_FLAGS, launchPairedExtension, requireExtensionBuild, UI_TIMEOUT_MS } from '../lib/browser.js';
import { rest } from '../lib/clients.js';
import { ROOT } from '../lib/hub-process.js';
import { onCleanup, sleep } from '../lib/processes.js';
import { hostileCorpus } from './hostile-corpus.js';

const WINDOW_BUILD = join(ROOT, 'desktop/dist/window/index.html');

/** @typedef {{ name: string, kind: 'window' | 'popup', viewport: { width: number, height: number } }} Surface */

const SURFACES = {
  full: /** @type {Surface[]} */ ([
    { name: 'window 1280 px', kind: 'window', viewport: { width: 1280, height: 860 } },
    { name: 'window 420 px', kind: 'window', viewport: { width: 420, height: 860 } },
    { name: 'popup 400 px', kind: 'popup', viewport: { width: 400, height: 600 } },
  ]),
  quick: /** @type {Surface[]} */ ([
    { name: 'window 420 px', kind: 'window', viewport: { width: 420, height: 860 } },
    { name: 'popup 400 px', kind: 'popup', viewport: { width: 400, height: 600 } },
  ]),
};

/** @type {import('../run.js').Scenario} */
export default {
  name: 'hostile',
  title: 'Hostile content',
  budgetMs: { full: 8 * 60_000, quick: 5 * 60_000 },
  async run(ctx) {
    requireExtensionBuild();
    if (!existsSync(WINDOW_BUILD)) throw new Error(`no approval window build at ${WINDOW_BUILD} (npm run build)`);
    // A server the content points its loads at: any hit is something agent content made the UI fetch.
    /** @type {string[]} */
    const canaryHits = [];
    const canary = createServer((req, res) => {
      canaryHits.push(req.url ?? '');
      res.writeHead(204).end();
    });
    await new Promise((resolve) => canary.listen(0, '127.0.0.1', () => resolve(undefined)));
    ctx.defer(async () => void canary.close());
    const canaryUrl = `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (canary.address()).port}`;

    const hub = await ctx.startHub('hub');
    const corpus = hostileCorpus(canaryUrl);
    /** @type {string[]} */
    const refusedByHub = [];
    for (const c of corpus) {
      const r = await rest(`${hub.url}/api/v1/requests`, { token: hub.agentToken, body: c.request });
      if (r.status !== 201) refusedByHub.push(`${c.tag} (${r.status}: ${r.json?.error?.message ?? r.text.slice(0, 120)})`);
    }
    for (const c of corpus) ctx.log(`${c.tag}: ${c.what}`);
    const shown = corpus.filter((c) => !refusedByHub.some((r) => r.startsWith(c.tag)));
    ctx.log(`${shown.length}/${corpus.length} hostile requests accepted by the hub${refusedByHub.length ? `; refused: ${refusedByHub.join('; ')}` : ''}`);

    /** @type {string[]} */
    const failed = [];
    /** @type {Map<string, Set<string>>} problem → surfaces/tags */
    const problems = new Map();
    const problem = (/** @type {string} */ what, /** @type {string} */ where) => {
      const set = problems.get(what) ?? new Set();
      set.add(where);
      problems.set(what, set);
    };
    /** @type {string[]} */
    const notes = [];
    let views = 0;

    for (const surface of SURFACES[ctx.profile]) {
      ctx.log(`${surface.name}: opening ${shown.length} requests`);
      const session = surface.kind === 'window' ? await openWindow(hub, surface) : await openPopup(hub, surface);
      const { page } = session;
      try {
        for (const c of shown) {
          const where = `${surface.name} ${c.tag}`;
          session.events.length = 0;
          const before = new URL(page.url());
          try {
            await openRequest(page, c.tag);
          } catch (error) {
            problem(`could not open the request (${/** @type {Error} */ (error).message.split('\n')[0]})`, where);
            continue;
          }
          views += 1;
          // Give injected handlers a chance: hover and tab through the view, let loads start.
          const article = page.locator('article').first();
          const box = await article.boundingBox();
          if (box) for (const [fx, fy] of [[0.5, 0.2], [0.3, 0.5], [0.7, 0.8]]) await page.mouse.move(box.x + box.width * /** @type {number} */ (fx), box.y + Math.min(box.height, 800) * /** @type {number} */ (fy));
          for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
          await sleep(150);
          const found = await page.evaluate(inspectDetail, { tag: c.tag, expect: c.expect });
          for (const p of found.problems) problem(p, where);
          for (const n of found.notes) notes.push(`${where}: ${n}`);
          for (const e of session.events) problem(e, where);
          const after = new URL(page.url());
          if (after.origin !== before.origin || after.pathname !== before.pathname) problem(`navigated to ${after.href}`, where);
          await closeRequest(page).catch((error) => problem(`could not go back (${error.message.split('\n')[0]})`, where));
        }
      } finally {
        await session.close();
      }
    }
    await sleep(500);
    for (const hit of canaryHits) problem(`agent content made the UI load ${hit}`, hit.split('/')[2] ?? '?');

    const counted = [...problems.entries()].map(([what, where]) => `${what} (${[...where].slice(0, 6).join(', ')}${where.size > 6 ? `, +${where.size - 6}` : ''})`);
    failed.push(...counted);
    if (refusedByHub.length) notes.push(`refused by the hub at create (fine: never shown): ${refusedByHub.join('; ')}`);
    for (const n of notes) ctx.log(`note: ${n}`);
    return {
      tried: `${corpus.length} hostile requests (script and event-handler injection; javascript:, data:, vbscript: and obfuscated links; remote images, CSS and fonts; CSS overlays; bidi overrides such as invoice⟨U+202E⟩fdp.exe; look-alike Action/Reversible sections; link text showing another URL; huge unbroken strings; a fake Approve button; the same in drafts, options, labels, tools, escalations and checkpoints) opened in ${SURFACES[ctx.profile].map((s) => s.name).join(', ')}: ${views} detail views, with hover and keyboard focus`,
      held: [
        `${views} views: checked for dialogs, uncaught errors, CSP violations, navigation, new windows, ${canaryHits.length} canary hits`,
        'active elements, on* attributes and link schemes from content checked in each view',
        'horizontal overflow of page and view, facts-before-body order, the description heading, U+202E markers, real link targets and a single Approve button checked in each view',
        ...(problems.size === 0 ? ['every check held'] : []),
        ...notes.slice(0, 5).map((n) => `(noted) ${n}`),
      ],
      failed,
    };
  },
};

/**
 * The approval window in a plain Chromium, paired through its form with a fresh code.
 * @param {import('../lib/hub-process.js').HubProcess} hub
 * @param {Surface} surface
 */
async function openWindow(hub, surface) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  const unregister = onCleanup(() => browser.close());
  const context = await browser.newContext({ viewport: surface.viewport });
  const page = await context.newPage();
  const events = watch(context, page);
  await page.goto(`${hub.url}/`);
  await page.getByLabel('Pairing code').fill(await hub.pairingCode());
  await page.getByRole('button', { name: 'Pair', exact: true }).click();
  await page.getByRole('region', { name: 'Queue' }).waitFor({ timeout: UI_TIMEOUT_MS });
  return {
    page,
    events,
    async close() {
      unregister();
      await browser.close();
    },
  };
}

/**
 * The built extension in Chromium, paired through its options page, its popup opened as a tab.
 * @param {import('../lib/hub-process.js').HubProcess} hub
 * @param {Surface} surface
 */
async function openPopup(hub, surface) {
  const extension = await launchPairedExtension(hub, { viewport: surface.viewport });
  await extension.optionsPage.close();
  const page = await extension.context.newPage();
  const events = watch(extension.context, page);
  await page.goto(`chrome-extension://${extension.extensionId}/popup.html`);
  await page.getByRole('tabpanel').first().waitFor({ timeout: UI_TIMEOUT_MS });
  return { page, events, close: () => extension.close() };
}

/**
 * Collects what must never happen while hostile content is on screen.
 * @param {import('playwright-core').BrowserContext} context
 * @param {import('playwright-core').Page} page
 */
function watch(context, page) {
  /** @type {string[]} */
  const events = [];
  page.on('dialog', (dialog) => {
    events.push(`a ${dialog.type()} dialog opened ("${dialog.message().slice(0, 60)}")`);
    void dialog.dismiss().catch(() => {});
  });
  page.on('pageerror', (error) => events.push(`uncaught error: ${error.message.slice(0, 120)}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) events.push(`CSP refused something: ${message.text().slice(0, 160)}`);
  });
  page.on('popup', (popup) => events.push(`a new window opened: ${popup.url()}`));
  context.on('page', (other) => {
    if (other !== page) events.push(`a new page opened: ${other.url()}`);
  });
  void page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => console.error(`Refused to load ${event.blockedURI} (${event.violatedDirective})`));
  });
  return events;
}

/** @param {string} text */
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Opens a request from the queue by its tag.
 * @param {import('playwright-core').Page} page
 * @param {string} tag
 */
async function openRequest(page, tag) {
  const row = page.getByRole('tabpanel').getByRole('button', { name: new RegExp(escapeRegExp(`[${tag}]`)) }).first();
  await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  await row.click({ timeout: UI_TIMEOUT_MS });
  await page.getByRole('heading', { level: 2 }).filter({ hasText: `[${tag}]` }).first().waitFor({ timeout: UI_TIMEOUT_MS });
}

/** @param {import('playwright-core').Page} page */
async function closeRequest(page) {
  await page.locator('article').first().getByRole('button', { name: /Back/ }).first().click({ timeout: UI_TIMEOUT_MS });
  await page.locator('article').first().waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
}

/**
 * Runs in the page: inspects the open request's view.
 * @param {{ tag: string, expect: { bidi?: string[], linkTarget?: string, factsFirst?: boolean } }} args
 */
function inspectDetail({ tag, expect }) {
  /** @type {string[]} */
  const problems = [];
  /** @type {string[]} */
  const notes = [];
  const article = /** @type {HTMLElement | null} */ (document.querySelector('article'));
  if (!article) return { problems: ['no request view on screen'], notes };

  // Active content and handlers from the agent.
  const active = article.querySelectorAll('script, iframe, frame, object, embed, style, link, meta, base, img, video, audio, source, template, noscript, form[action]');
  if (active.length) problems.push(`active elements in the view: ${[...new Set([...active].map((e) => e.tagName.toLowerCase()))].join(', ')}`);
  for (const el of article.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (/^on/i.test(attr.name)) problems.push(`an ${attr.name} attribute on <${el.tagName.toLowerCase()}>`);
      if (attr.name === 'style' && /url\(|expression\(/i.test(attr.value)) problems.push(`a style attribute with ${attr.value.slice(0, 40)}`);
    }
    if (getComputedStyle(el).position === 'fixed') problems.push(`a fixed-position <${el.tagName.toLowerCase()}> inside the view`);
  }
  for (const a of article.querySelectorAll('a[href]')) {
    const href = a.getAttribute('href') ?? '';
    let protocol = '';
    try {
      protocol = new URL(href, location.href).protocol;
    } catch {
      protocol = 'invalid';
    }
    if (!['http:', 'https:', 'mailto:'].includes(protocol)) problems.push(`a link to ${protocol} (${href.slice(0, 40)})`);
    else if (protocol !== 'mailto:' && (a.getAttribute('target') !== '_blank' || !/noopener/.test(a.getAttribute('rel') ?? ''))) problems.push('a link that does not open apart with noopener');
  }

  // Nothing escapes its box.
  const root = document.documentElement;
  const pageOverflow = root.scrollWidth - root.clientWidth;
  if (pageOverflow > 1) problems.push(`the page overflows horizontally by ${pageOverflow} px`);
  const viewOverflow = article.scrollWidth - article.clientWidth;
  if (viewOverflow > 1) problems.push(`the request view overflows its box by ${viewOverflow} px`);
  const rect = article.getBoundingClientRect();
  if (rect.right > window.innerWidth + 1) problems.push(`the request view reaches ${Math.round(rect.right)} px in a ${window.innerWidth} px viewport`);

  // What the person reads, in order.
  /** @type {Text[]} */
  const texts = [];
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) texts.push(/** @type {Text} */ (n));
  const firstText = (/** @type {(t: string) => boolean} */ test) => texts.findIndex((t) => test(t.nodeValue ?? ''));
  const bodyAt = firstText((t) => t.includes(`BODYMARK-${tag}`));
  const visible = article.innerText;
  if (expect.factsFirst) {
    if (bodyAt < 0) notes.push("the agent's body is not in the DOM (collapsed?)");
    else {
      const actionAt = firstText((t) => t.includes(`real.action.${tag}`));
      if (actionAt < 0) problems.push('the request\'s action is not shown');
      else if (actionAt > bodyAt) problems.push("the agent's body comes before the request's action");
      const irreversibleAt = firstText((t) => /Irreversible/.test(t));
      if (irreversibleAt < 0) problems.push('"Irreversible" is not shown');
      else if (irreversibleAt > bodyAt) problems.push('the agent\'s body comes before "Irreversible"');
      const heading = [...article.querySelectorAll('h1, h2, h3, h4, h5, h6, [role="heading"]')].find((h) => /agent.s description/i.test(h.textContent ?? ''));
      if (!heading) problems.push('no "The agent\'s description" heading before the body');
      else {
        const headingAt = texts.findIndex((t) => heading.contains(t));
        if (headingAt > bodyAt) problems.push('"The agent\'s description" comes after the body');
      }
    }
  }
  for (const codePoint of expect.bidi ?? []) {
    if (!visible.includes(codePoint)) problems.push(`no visible ${codePoint} marker for a bidi override`);
  }
  if (expect.linkTarget && !visible.includes(expect.linkTarget)) problems.push(`a link's real target (${expect.linkTarget}) is not shown`);
  const approves = [...article.querySelectorAll('button')].filter((b) => (b.textContent ?? '').trim() === 'Approve');
  if (approves.length > 1) problems.push(`${approves.length} buttons read "Approve"`);
  return { problems, notes };
}
