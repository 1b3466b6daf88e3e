/**
 * Turns off zod's JIT before any schema is built (import this module first). The
 * shared UI checks answers with zod schemas; by default zod probes `new Function`
 * once, and under the page's CSP (no `'unsafe-eval'`) that probe is reported as a
 * violation even though zod catches it and falls back. Jitless, it never probes.
 */
import { config } from 'zod';

config({ jitless: true });
