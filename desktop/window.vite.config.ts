/**
 * Builds the approval window (desktop/src/window) into desktop/dist/window, which
 * the hub serves at `/`: `vite build -c desktop/window.vite.config.ts`.
 * It bundles `@signoff/shared` from its built `dist/` (run `tsc -b shared` first),
 * as the extension does.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('./src/window'),
  publicDir: here('./src/window/public'),
  // Served from the hub's root; hashed files under /assets/ are cached for good.
  base: '/',
  // Preact's automatic JSX runtime (Vite 8 transforms with Oxc).
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  resolve: { dedupe: ['preact'] },
  logLevel: 'warn',
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
