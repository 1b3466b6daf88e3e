// @ts-check
/**
 * The proof's scenarios, in the order `npm run proof` runs them.
 *
 * To add one (the self-approval chain, say): write `test/proof/suites/<name>.js` whose
 * default export is a {@link import('./run.js').Scenario} — `{ name, title, budgetMs?, run(ctx) }`
 * returning `{ tried, held, failed }` and counting with `ctx.count('lost' | 'crashes' |
 * 'unauthorised' | 'hangs', n, why)` — import it here and put it in the list. Read
 * `ctx.quick` to size it for `npm run proof:quick`. Hubs from `ctx.startHub()` are real
 * `signoff hub` processes, stopped afterwards; their unexpected exits count as crashes.
 */
import chain from './suites/self-approval.js';
import crash from './suites/crash.js';
import fuzz from './suites/fuzz.js';
import abuse from './suites/abuse.js';
import hostile from './suites/hostile-content.js';
import soak from './suites/soak.js';

/** @type {import('./run.js').Scenario[]} */
export const SCENARIOS = [chain, crash, fuzz, abuse, hostile, soak];
