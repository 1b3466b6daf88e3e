import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock } from '../../hub/clock.js';
import { createPairingCode, ensureDataDir } from '../../hub/auth.js';
import { DB_FILE } from '../../hub/hub.js';
import { SqliteStore } from '../../hub/sqlite-store.js';
import { resolveDataDir, resolvePort } from '../config.js';

export const pairHelp = `signoff pair [--data-dir DIR] [--port N]

Prints a one-time pairing code (last line; valid 5 minutes). Type it into the
extension's options page, or exchange it yourself:
  curl -X POST http://127.0.0.1:7475/api/v1/pair -d '{"code":"ABCD-EFGH","name":"my script"}'`;

/** Writes a code straight into the data dir's store, so it works whether or not the hub is running yet. */
export function runPair(args: string[]): number {
  const { values } = parseArgs({ args, options: { 'data-dir': { type: 'string' }, port: { type: 'string' } }, strict: true });
  const dataDir = resolveDataDir(values['data-dir']);
  const port = resolvePort(values.port);
  ensureDataDir(dataDir);
  const store = new SqliteStore(join(dataDir, DB_FILE));
  try {
    const { code } = createPairingCode(store, systemClock);
    console.log(`Enter this code in Signoff's extension or window (hub http://127.0.0.1:${port}); valid for 5 minutes:`);
    console.log(code);
  } finally {
    store.close();
  }
  return 0;
}
