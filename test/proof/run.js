// @ts-check
/**
 * `npm run proof` (full, under 15 minutes on 2 cores) and `npm run proof:quick` (the same
 * suites, short, for CI): tries hard to break the promise of issue 8 ("Agents can never
 * approve") against real hubs (`signoff hub` child processes over real SQLite) and real
 * clients, then prints a table — scenario, what was tried, what held — and as its last line
 *
 *   proof: lost=N crashes=N unauthorised=N hangs=N
 *
 * Exit code 1 if any count is not zero or any scenario failed.
 *
 *   node test/proof/run.js [--quick] [--only crash,fuzz] [--seed N]
 *
 * Env: SIGNOFF_PROOF_SEED (same as --seed: replays the random choices), SIGNOFF_PROOF_ROOT
 * (run against another checkout's build), SIGNOFF_PROOF_KEEP=1 (keep temp dirs),
 * SIGNOFF_CHROMIUM (browser, default /usr/bin/chromium).
 *
 * Adding a scenario: see test/proof/scenarios.js. A scenario is
 *   { name, title, run(ctx) → { tried, held: string[], failed: string[] } }
 * where `ctx` (see {@link createContext}) gives the profile, a seeded random source,
 * hub processes whose unexpected exits are counted as crashes, and `ctx.count(...)` for
 * the four numbers. Anything a scenario throws fails it (and the run), with the message
 * in the table; `failed` entries fail it the same way.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { HubProcess, ROOT } from './lib/hub-process.js';
import { cleanupAll, rng, withDeadline } from './lib/processes.js';
import { Tally } from './lib/tally.js';
import { SCENARIOS } from './scenarios.js';

/** @typedef {import('./lib/tally.js').Count} Count */
/** @typedef {'full' | 'quick'} Profile */

/**
 * @typedef {object} ScenarioContext
 * @property {Profile} profile
 * @property {boolean} quick
 * @property {number} seed
 * @property {ReturnType<typeof rng>} random seeded per scenario
 * @property {string} outDir test/proof/out (gitignored): charts and logs
 * @property {(message: string) => void} log a progress line, prefixed with the scenario
 * @property {(count: Count, n: number, what: string) => void} count adds to one of the four numbers, with the evidence
 * @property {(label: string, options?: { dataDir?: string, port?: number }) => Promise<HubProcess>} startHub a real hub; stopped after the scenario
 * @property {(fn: () => Promise<void>) => void} defer runs after the scenario, even if it throws
 */

/**
 * @typedef {object} ScenarioOutcome
 * @property {string} tried what was attempted, with the real numbers
 * @property {string[]} held what held (each a short clause)
 * @property {string[]} failed what did not hold; any entry fails the scenario and the run
 */

/**
 * @typedef {object} Scenario
 * @property {string} name short id for --only
 * @property {string} title the table's first column
 * @property {Partial<Record<Profile, number>>} [budgetMs] a hang guard for the whole scenario
 * @property {(ctx: ScenarioContext) => Promise<ScenarioOutcome>} run
 */

const OUT_DIR = fileURLToPath(new URL('./out/', import.meta.url));

const { values } = parseArgs({
  options: { quick: { type: 'boolean' }, only: { type: 'string' }, seed: { type: 'string' } },
  strict: true,
});
/** @type {Profile} */
const profile = values.quick ? 'quick' : 'full';
const seed = Number(values.seed ?? process.env.SIGNOFF_PROOF_SEED ?? Math.floor(Math.random() * 2 ** 31));
const only = values.only ? new Set(values.only.split(',').map((s) => s.trim())) : null;
const selected = SCENARIOS.filter((s) => !only || only.has(s.name));
if (only && selected.length !== only.size) {
  console.error(`unknown scenario in --only; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  process.exit(2);
}

mkdirSync(OUT_DIR, { recursive: true });
const tally = new Tally();

function commitOf(dir) {
  try {
    const head = execFileSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['-C', dir, 'status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() ? ' + uncommitted changes' : '';
    return head + dirty;
  } catch {
    return 'unknown';
  }
}

console.log(`proof (${profile}): seed ${seed}; hub build of ${ROOT} at ${commitOf(ROOT)}; Node ${process.version}, ${cpus().length} cores`);
console.log(`replay with: node test/proof/run.js${values.quick ? ' --quick' : ''} --seed ${seed}`);

/**
 * @param {Scenario} scenario
 * @param {number} index
 * @returns {ScenarioContext & { cleanup(): Promise<void> }}
 */
function createContext(scenario, index) {
  /** @type {HubProcess[]} */
  const hubs = [];
  /** @type {(() => Promise<void>)[]} */
  const deferred = [];
  const log = (/** @type {string} */ message) => console.log(`  [${scenario.name}] ${message}`);
  return {
    profile,
    quick: profile === 'quick',
    seed,
    random: rng(seed + index * 7919),
    outDir: OUT_DIR,
    log,
    count: (count, n, what) => {
      if (n > 0) log(`${count} +${n}: ${what}`);
      tally.add(scenario.name, count, n, what);
    },
    async startHub(label, options = {}) {
      const hub = await HubProcess.start({
        label: `${scenario.name}/${label}`,
        ...options,
        sink: {
          crash: (what, logTail) => {
            log(`CRASH ${what}\n${logTail.map((l) => `      | ${l}`).join('\n')}`);
            tally.add(scenario.name, 'crashes', 1, what);
          },
        },
      });
      hubs.push(hub);
      return hub;
    },
    defer: (fn) => void deferred.push(fn),
    async cleanup() {
      for (const fn of deferred.reverse()) await fn().catch((error) => log(`cleanup: ${error.message}`));
      for (const hub of hubs) await hub.stop().catch(() => {});
    },
  };
}

/** @type {{ scenario: Scenario, outcome: ScenarioOutcome, ms: number }[]} */
const results = [];
const started = Date.now();
for (const [index, scenario] of selected.entries()) {
  const ctx = createContext(scenario, index);
  const t0 = Date.now();
  console.log(`\n▶ ${scenario.title}`);
  /** @type {ScenarioOutcome} */
  let outcome;
  try {
    const budget = scenario.budgetMs?.[profile] ?? 20 * 60_000;
    outcome = await withDeadline(scenario.run(ctx), budget, `${scenario.title} (whole scenario)`);
  } catch (error) {
    const e = /** @type {Error & { hang?: boolean }} */ (error);
    if (e.hang) ctx.count('hangs', 1, e.message);
    console.log(e.stack ?? e.message);
    outcome = { tried: '(did not finish)', held: [], failed: [`threw: ${e.message}`] };
  }
  await ctx.cleanup();
  const ms = Date.now() - t0;
  results.push({ scenario, outcome, ms });
  const counts = tally.of(scenario.name);
  console.log(`  ${outcome.failed.length ? '✗ FAILED' : '✓ held'} in ${(ms / 1000).toFixed(1)} s; ${Object.entries(counts).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  for (const f of outcome.failed) console.log(`    ✗ ${f}`);
}
await cleanupAll();
const totalMs = Date.now() - started;

// ---------------------------------------------------------------------------
// The report

const cell = (/** @type {string} */ text) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const lines = [
  '',
  `## proof (${profile}) — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${(totalMs / 60_000).toFixed(1)} min, seed ${seed}`,
  '',
  '| scenario | what was tried | what held | time |',
  '|---|---|---|---|',
];
for (const { scenario, outcome, ms } of results) {
  const held = [...outcome.failed.map((f) => `✗ ${f}`), ...outcome.held.map((h) => `✓ ${h}`)].join('; ');
  lines.push(`| ${cell(scenario.title)} | ${cell(outcome.tried)} | ${cell(held)} | ${(ms / 1000).toFixed(0)} s |`);
}
if (tally.evidence.length) {
  lines.push('', 'Counted:');
  for (const e of tally.evidence) lines.push(`- ${e.scenario}: ${e.count} +${e.n} — ${e.what}`);
}
const failedScenarios = results.filter((r) => r.outcome.failed.length > 0).map((r) => r.scenario.name);
if (failedScenarios.length) lines.push('', `Failed: ${failedScenarios.join(', ')}`);
lines.push('', tally.line());
const report = lines.join('\n');
writeFileSync(join(OUT_DIR, `proof-${profile}.md`), `${report}\n`);
console.log(report);

const bad = failedScenarios.length > 0 || Object.values(tally.totals).some((n) => n > 0);
// Clients of killed hubs may still hold retry timers; everything is reported and cleaned up.
process.exit(bad ? 1 : 0);
