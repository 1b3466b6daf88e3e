import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * electron-builder packs the tray for Linux (`--linux dir`) with electron-builder.yml,
 * offline: a stand-in directory replaces the Electron download (`electronDist`), and
 * the native rebuild is off (it would rebuild the shared node_modules for Electron).
 * What this proves: the app's files, its runtime dependencies from the npm workspace,
 * better-sqlite3 outside the asar, and the tray icons in resources. What it cannot:
 * that the result runs (no real Electron here) or the AppImage/deb/dmg/nsis steps.
 * Needs the build (`npm test` builds first).
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(import.meta.url);
const BUILDER_CLI = join(dirname(require.resolve('electron-builder/package.json', { paths: [join(ROOT, 'desktop')] })), 'cli.js');
const asar = require(require.resolve('@electron/asar', { paths: [dirname(BUILDER_CLI)] })) as {
  listPackage(archive: string, options?: object): string[];
  extractFile(archive: string, file: string): Buffer;
};

let work: string;
let appOut: string;
let log = '';

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'signoff-pack-'));
  const fakeElectron = join(work, 'electron-dist');
  const output = join(work, 'out');
  // The smallest Electron distribution electron-builder accepts: the binary and its version.
  writeFileSync(join(mkdirp(fakeElectron), 'electron'), '#!/bin/sh\nexit 0\n');
  chmodSync(join(fakeElectron, 'electron'), 0o755);
  writeFileSync(join(fakeElectron, 'version'), 'v45.4.1');
  writeFileSync(join(fakeElectron, 'LICENSE'), '');
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(
      process.execPath,
      [BUILDER_CLI, '--linux', 'dir', '--config', 'electron-builder.yml', '-c.npmRebuild=false', `-c.electronDist=${fakeElectron}`, `-c.directories.output=${output}`],
      { cwd: ROOT, env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.on('close', resolve);
  });
  if (code !== 0) throw new Error(`electron-builder failed (${code}):\n${log}`);
  appOut = join(output, 'linux-unpacked');
}, 180_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

function mkdirp(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}

describe('packaging the tray (linux dir, offline)', () => {
  it('names the executable as configured', () => {
    expect(existsSync(join(appOut, 'signoff-tray'))).toBe(true);
  });

  it('packs the tray’s main process and preload, with main pointing at it', () => {
    const archive = join(appOut, 'resources', 'app.asar');
    const files = asar.listPackage(archive);
    expect(files).toEqual(expect.arrayContaining(['/dist/tray/main.js', '/dist/tray/preload.cjs', '/dist/hub/index.js', '/package.json']));
    const own = files.filter((file) => file.startsWith('/dist/'));
    expect(own.filter((file) => /\.test\.js$|\.map$|\.d\.c?ts$/.test(file))).toEqual([]);
    const pkg = JSON.parse(asar.extractFile(archive, 'package.json').toString()) as { main: string; type: string };
    expect(pkg).toMatchObject({ main: 'dist/tray/main.js', type: 'module' });
  });

  it('collects the runtime dependencies from the npm workspace', () => {
    const files = asar.listPackage(join(appOut, 'resources', 'app.asar'));
    for (const dependency of ['@signoff/shared/dist/index.js', 'socket.io-client/package.json', 'socket.io/package.json', 'zod/package.json', 'better-sqlite3/package.json']) {
      expect(files).toContain(`/node_modules/${dependency}`);
    }
  });

  it('keeps better-sqlite3’s native addon outside the asar', () => {
    const unpacked = join(appOut, 'resources', 'app.asar.unpacked', 'node_modules', 'better-sqlite3', 'build', 'Release');
    expect(readdirSync(unpacked)).toContain('better_sqlite3.node');
  });

  it('copies the tray icons into resources/tray', () => {
    expect(readdirSync(join(appOut, 'resources', 'tray'))).toEqual(expect.arrayContaining(['idle-linux.png', 'pending-linux.png', 'critical-linux.png', 'idleTemplate.png', 'notification.png']));
  });
});
