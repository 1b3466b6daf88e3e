// @ts-check
/**
 * Bundles the compiled CLI (`dist/cli/main.js`, from `tsc -b`) into
 * `dist/cli-bundle/`, which `bin/signoff.js` runs.
 *
 * Why: the Claude Code hook runs on every tool call and `signoff mcp` is spawned by
 * every MCP client, so their start-up time is the product. Unbundled, Node resolves
 * and reads several hundred files (zod, socket.io-client, the MCP SDK) one by one;
 * one file per command (code splitting, so each command still loads only what it
 * uses) starts about twice as fast. `npm run bench` measures it (README, "Start-up time").
 *
 * Modules that find files next to themselves keep working from here because
 * `dist/cli-bundle/` sits at the same depth as `dist/hub/` (`static-ui.ts` finds
 * `dist/window/`; SQLite's native driver is resolved from `node_modules`). Sources
 * stay readable: nothing is minified and a source map sits beside each file.
 */
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const DESKTOP = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(DESKTOP, 'dist');
const OUT = join(DIST, 'cli-bundle');
rmSync(OUT, { recursive: true, force: true });
await build({
  entryPoints: {
    main: join(DIST, 'cli/main.js'),
    // The hub's WAL checkpointer runs as a worker thread from a file of its own, found
    // with `new URL('./sqlite-checkpointer.js', import.meta.url)` beside the chunk that
    // starts it, which is in this directory too.
    'sqlite-checkpointer': join(DIST, 'hub/sqlite-checkpointer.js'),
  },
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  // A native addon: loaded from node_modules at run time, as compiled.
  external: ['better-sqlite3'],
  // CommonJS dependencies (ws, debug) call require() for Node's built-ins, which an
  // ES module bundle does not have.
  banner: { js: "import { createRequire as __signoffRequire } from 'node:module'; const require = __signoffRequire(import.meta.url);" },
  logLevel: 'warning',
});
