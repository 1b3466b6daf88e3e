import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PairSchema, validate } from '@signoff/shared';
import { systemClock } from '../../hub/clock.js';
import { createPairingCode, ensureDataDir } from '../../hub/auth.js';
import { DB_FILE } from '../../hub/hub.js';
import { SqliteStore } from '../../hub/sqlite-store.js';
import { checkHub, exchangePairingCode } from '../approver-client.js';
import { saveApproverToken } from '../approver-token.js';
import { resolveDataDir, resolveHubUrl, resolvePort } from '../config.js';
import { UsageError } from '../usage-error.js';

const DEFAULT_NAME = 'terminal';

export const pairHelp = `signoff pair [--data-dir DIR] [--port N] [--save [--name NAME]]

Prints a one-time pairing code (last line; valid 5 minutes). Type it into the
extension's options page, or exchange it yourself:
  curl -X POST http://127.0.0.1:7475/api/v1/pair -d '{"code":"ABCD-EFGH","name":"my script"}'
  --save       pair this terminal instead: exchange the code with the running hub
               and keep the approver token in <data dir>/approver.token (mode 0600),
               where signoff list and signoff respond find it. The token is not printed.
  --name NAME  how the hub names this approver with --save (default "${DEFAULT_NAME}")`;

/** Writes a code straight into the data dir's store, so it works whether or not the hub is running yet. */
function makeCode(dataDir: string): string {
  ensureDataDir(dataDir);
  const store = new SqliteStore(join(dataDir, DB_FILE));
  try {
    return createPairingCode(store, systemClock).code;
  } finally {
    store.close();
  }
}

export async function runPair(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { 'data-dir': { type: 'string' }, port: { type: 'string' }, save: { type: 'boolean' }, name: { type: 'string' } },
    strict: true,
  });
  const dataDir = resolveDataDir(values['data-dir']);
  if (!values.save) {
    const port = resolvePort(values.port);
    const code = makeCode(dataDir);
    console.log(`Enter this code in Signoff's extension or window (hub http://127.0.0.1:${port}); valid for 5 minutes:`);
    console.log(code);
    return 0;
  }
  const url = resolveHubUrl(values.port);
  const name = values.name ?? DEFAULT_NAME;
  const named = validate(PairSchema.shape.name, name);
  if (!named.ok) throw new UsageError(`--name ${named.error.message.replace(/^\(root\): /, '')}`);
  // Before writing a code: a code made for a hub that is not there helps nobody.
  await checkHub(url);
  const token = await exchangePairingCode(url, makeCode(dataDir), named.data);
  const file = saveApproverToken(dataDir, token);
  console.log(`Paired this terminal with the hub at ${url} as "${name}"; approver token saved to ${file}.`);
  console.log('Answer requests with: signoff list, then signoff respond ID --approve | --reject "reason"');
  return 0;
}
