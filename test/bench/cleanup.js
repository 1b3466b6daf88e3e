// @ts-check
/**
 * Children and temp dirs of a benchmark script, killed and removed when it exits
 * (normally, on an error, or on Ctrl-C), so none outlives the run. Shared by
 * run.js and startup.js.
 */
import { rmSync } from 'node:fs';

/** @type {Set<import('node:child_process').ChildProcess>} */
export const children = new Set();
/** @type {Set<string>} */
export const tempDirs = new Set();

export function cleanupSync() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}
process.on('exit', cleanupSync);
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.on(signal, () => {
    cleanupSync();
    process.exit(130);
  });
}
