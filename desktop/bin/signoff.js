#!/usr/bin/env node
// The `signoff` command. The TypeScript sources compile to dist/ and the CLI is
// bundled into dist/cli-bundle/ for start-up time (`npm run build`, run by
// `npm install` at the repository root; see scripts/bundle-cli.js).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli-bundle/main.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('signoff: not built yet; run `npm run build` at the repository root');
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
