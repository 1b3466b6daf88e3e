/**
 * What the build writes into `/sw.js` (service-worker.js): the app shell to precache and a
 * version that changes with it, so a new build installs a new worker that drops the old
 * cache. Pure, for desktop/window.vite.config.ts and its unit test.
 */

/** Files worth precaching: the page's scripts, styles, fonts and images, not source maps. */
const SHELL_FILE = /\.(?:js|css|svg|png|webp|woff2|webmanifest|ico)$/i;

/**
 * The shell's paths: `/` (index.html) first, then Vite's output (`assets/…`) and the public
 * files, sorted; never `sw.js` itself, dotfiles or maps.
 */
export function shellPaths(bundleFiles: readonly string[], publicFiles: readonly string[]): string[] {
  const files = new Set<string>();
  for (const file of [...bundleFiles, ...publicFiles]) {
    const name = file.replace(/^\/+/, '');
    if (name === 'sw.js' || name.split('/').some((s) => s.startsWith('.')) || !SHELL_FILE.test(name)) continue;
    files.add(`/${name}`);
  }
  return ['/', ...[...files].sort()];
}

/** Fills service-worker.js's two placeholders; throws when one is missing (the template changed). */
export function serviceWorkerSource(template: string, shell: readonly string[], version: string): string {
  if (!/^[\w-]{1,64}$/.test(version)) throw new Error(`service worker version must be letters, digits, - or _: ${JSON.stringify(version)}`);
  for (const placeholder of ['/* SHELL */ []', '/* VERSION */']) {
    if (!template.includes(placeholder)) throw new Error(`service-worker.js lacks its placeholder ${placeholder}`);
  }
  return template.replace('/* SHELL */ []', JSON.stringify(shell)).replace('/* VERSION */', version);
}
