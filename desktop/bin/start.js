#!/usr/bin/env node
// `npm start`: the tray app where Electron can run. The tray is not built yet,
// so this says so in one line and runs the headless hub, which serves everything else.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('signoff: not built yet; run `npm run build` at the repository root');
  process.exit(2);
}
console.log('Signoff: the tray app is not built yet; running the headless hub instead.');
const { main } = await import(entry.href);
process.exitCode = await main(['hub', ...process.argv.slice(2)]);
