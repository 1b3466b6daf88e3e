/**
 * Builds the approval window (desktop/src/window) into desktop/dist/window, which
 * the hub serves at `/`: `vite build -c desktop/window.vite.config.ts`.
 * It bundles `@signoff/shared` from its built `dist/` (run `tsc -b shared` first),
 * as the extension does.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { serviceWorkerSource, shellPaths } from './src/window/service-worker-build.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Writes `sw.js` (from src/window/service-worker.js) with the app shell this build made:
 * index.html, the hashed assets and the public files, and a version hashed from their
 * contents, so any change to the shell installs a new worker that drops the old cache.
 */
function serviceWorkerPlugin(): Plugin {
  const publicDir = here('./src/window/public');
  return {
    name: 'signoff-service-worker',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const publicFiles = readdirSync(publicDir, { recursive: true, encoding: 'utf8' })
        .filter((file) => statSync(join(publicDir, file)).isFile())
        .map((file) => file.split(sep).join('/'));
      const shell = shellPaths(Object.keys(bundle), publicFiles);
      const hash = createHash('sha256');
      for (const path of shell) {
        const name = path === '/' ? 'index.html' : path.slice(1);
        const output = bundle[name];
        hash.update(`${name}\0`).update(output ? (output.type === 'chunk' ? output.code : output.source) : readFileSync(join(publicDir, name)));
      }
      const template = readFileSync(here('./src/window/service-worker.js'), 'utf8');
      this.emitFile({ type: 'asset', fileName: 'sw.js', source: serviceWorkerSource(template, shell, hash.update(template).digest('hex').slice(0, 16)) });
    },
  };
}

export default defineConfig({
  root: here('./src/window'),
  publicDir: here('./src/window/public'),
  // Served from the hub's root; hashed files under /assets/ are cached for good.
  base: '/',
  // Preact's automatic JSX runtime (Vite 8 transforms with Oxc).
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  resolve: { dedupe: ['preact'] },
  logLevel: 'warn',
  plugins: [serviceWorkerPlugin()],
  build: {
    outDir: here('./dist/window'),
    emptyOutDir: true,
    // Chromium, Firefox and Electron of today; no legacy bundle.
    target: 'es2022',
    // No inline polyfill script: the CSP allows scripts from the hub's files only.
    modulePreload: { polyfill: false },
    // No data: URLs: the CSP's img-src and font-src are 'self'.
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
});
