#!/usr/bin/env node
// The `signoff` command. The TypeScript sources compile to dist/ (`npm run build`,
// run by `npm install` at the repository root).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('signoff: not built yet; run `npm run build` at the repository root');
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
