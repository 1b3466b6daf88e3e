#!/usr/bin/env node
// `npm start`: the tray app under Electron where it can run; elsewhere one line saying
// why, then the headless hub, which serves everything else. The decision is
// `planLaunch` in src/tray/launch-mode.ts (tested); this file only carries it out.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const cliEntry = new URL('../dist/cli/main.js', import.meta.url);
const launchEntry = new URL('../dist/tray/launch-mode.js', import.meta.url);
const trayMain = fileURLToPath(new URL('../dist/tray/main.js', import.meta.url));
if (!existsSync(cliEntry) || !existsSync(launchEntry)) {
  console.error('signoff: not built yet; run `npm run build` at the repository root');
  process.exit(2);
}
const { findElectronBinary, planLaunch } = await import(launchEntry.href);

/** The `electron` package's directory, without running its index.js (which would try to download). */
function electronPackageDir() {
  try {
    return dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
}

const args = process.argv.slice(2);
const plan = planLaunch({
  args,
  env: process.env,
  platform: process.platform,
  electronBinary: findElectronBinary({
    packageDir: electronPackageDir(),
    env: process.env,
    exists: existsSync,
    readFile: (path) => readFileSync(path, 'utf8'),
  }),
  trayMain: existsSync(trayMain) ? trayMain : null,
  nodePath: process.execPath,
});

async function runHeadless(hubArgs) {
  const { main } = await import(cliEntry.href);
  process.exitCode = await main(['hub', ...hubArgs]);
}

if (plan.mode === 'headless') {
  console.log(plan.message);
  await runHeadless(plan.hubArgs);
} else {
  const child = spawn(plan.command, plan.args, { stdio: 'inherit', env: plan.env });
  // Ctrl-C reaches Electron through the terminal's process group; a plain `kill` of this
  // process is passed on, so the tray (and the hub it runs) stops with it.
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  let spawned = false;
  child.once('spawn', () => (spawned = true));
  child.once('error', (error) => {
    if (spawned) return console.error(`Signoff: ${error.message}`);
    console.log(`Signoff: Electron cannot start here (${error.message}); running the headless hub instead.`);
    void runHeadless(args.filter((arg) => arg !== '--headless'));
  });
  child.once('exit', (code, signal) => {
    if (!spawned) return;
    if (code !== 0 && signal === null) console.error(`Signoff: the tray exited with code ${code}; \`npm start -- --headless\` runs the hub without it.`);
    process.exitCode = code ?? 0;
  });
}
