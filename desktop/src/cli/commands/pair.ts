import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ErrorCode, PairSchema, SignoffError, validate } from '@signoff/shared';
import { PairingError, pairDevice } from '@signoff/shared/approver';
import { systemClock } from '../../hub/clock.js';
import { createPairingCode, ensureDataDir, hashSecret } from '../../hub/auth.js';
import { DB_FILE } from '../../hub/hub.js';
import { SqliteStore } from '../../hub/sqlite-store.js';
import { APPROVER_KEY_FILE, LEGACY_APPROVER_TOKEN_FILE, saveApproverKey, savedDeviceId } from '../approver-key.js';
import { resolveDataDir, resolveHubUrl } from '../config.js';
import { UsageError } from '../usage-error.js';
import { verifiedHub } from '../verified-hub.js';

const DEFAULT_NAME = 'terminal';

export const pairHelp = `signoff pair [--data-dir DIR] [--port N] [--save [--name NAME]]

Prints a one-time pairing code (last line; valid 5 minutes) once the hub running on
the port has proved it holds this data dir's key (hub.key). Codes are only good for
the running hub: start it first (npm start, or npx signoff hub). Type the code into
the extension's options page or the approval window, or exchange it yourself:
  curl -X POST http://127.0.0.1:7475/api/v1/pair -d '{"code":"ABCD-EFGH","name":"my script"}'
  → {"deviceId":…,"token":…}: a bearer token for your own scripts (SIGNOFF_APPROVER_TOKEN)
  --save       pair this terminal instead, as a key device: its key pair is made here,
               the private key kept in <data dir>/${APPROVER_KEY_FILE} (mode 0600) with the
               hub's key, and signoff list / signoff respond prove it to the hub (which
               proves itself first). Nothing secret is printed. Pairing again replaces
               the terminal's device (the old one is revoked).
  --name NAME  how the hub names this device with --save (default "${DEFAULT_NAME}")
  --port N     hub port (default SIGNOFF_URL, SIGNOFF_PORT or 7475)
Exit: 0 paired or code printed; 2 no hub, something else on the port, or usage.`;

function withStore<T>(dataDir: string, use: (store: SqliteStore) => T): T {
  ensureDataDir(dataDir);
  const store = new SqliteStore(join(dataDir, DB_FILE));
  try {
    return use(store);
  } finally {
    store.close();
  }
}

/** Writes a code straight into the data dir's store, which the running hub reads. */
function makeCode(dataDir: string): string {
  return withStore(dataDir, (store) => createPairingCode(store, systemClock).code);
}

export async function runPair(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { 'data-dir': { type: 'string' }, port: { type: 'string' }, save: { type: 'boolean' }, name: { type: 'string' } },
    strict: true,
  });
  const dataDir = resolveDataDir(values['data-dir']);
  const url = resolveHubUrl(values.port);
  if (!values.save) {
    // Before writing a code: a code made for a hub that is not there, or shown for a program holding its port, helps nobody.
    await verifiedHub(dataDir, url);
    const code = makeCode(dataDir);
    console.log(`Enter this code in Signoff's extension or window (hub ${url}); valid for 5 minutes:`);
    console.log(code);
    return 0;
  }
  const name = values.name ?? DEFAULT_NAME;
  const named = validate(PairSchema.shape.name, name);
  if (!named.ok) throw new UsageError(`--name ${named.error.message.replace(/^\(root\): /, '')}`);
  const hubPublicKey = await verifiedHub(dataDir, url);
  const previous = savedDeviceId(dataDir);
  let paired;
  try {
    paired = await pairDevice({ hubUrl: url, code: makeCode(dataDir), name: named.data, extractable: true });
  } catch (error) {
    if (error instanceof PairingError) throw new SignoffError(ErrorCode.unavailable, error.message);
    throw error;
  }
  if (paired.hubPublicKey !== hubPublicKey) throw new SignoffError(ErrorCode.forbidden, `the hub at ${url} paired with another key than ${dataDir}'s hub.key`);
  const privateKey = await globalThis.crypto.subtle.exportKey('jwk', paired.privateKey);
  const file = saveApproverKey(dataDir, { deviceId: paired.deviceId, hubUrl: url, hubPublicKey, privateKey });
  const retired = retireOldCredentials(dataDir, previous === paired.deviceId ? null : previous);
  console.log(`Paired this terminal with the hub at ${url} as "${name}" (device ${paired.deviceId}); its key is in ${file}.`);
  if (retired > 0) console.log(`Revoked this terminal's previous device${retired > 1 ? 's' : ''}.`);
  console.log('Answer requests with: signoff list, then signoff respond ID --approve | --reject "reason"');
  return 0;
}

/**
 * Revokes the terminal's previous device (an older approver.key) and the device of a
 * bearer token an older version saved in approver.token (which it then deletes), so
 * that re-pairing leaves exactly one device for this terminal. Returns how many were revoked.
 */
function retireOldCredentials(dataDir: string, previousDeviceId: string | null): number {
  const tokenFile = join(dataDir, LEGACY_APPROVER_TOKEN_FILE);
  let legacyToken: string | null = null;
  try {
    legacyToken = readFileSync(tokenFile, 'utf8').trim() || null;
  } catch {
    // none
  }
  const revoked = withStore(dataDir, (store) => {
    let count = 0;
    const now = systemClock.now();
    if (previousDeviceId && store.devices.revoke(previousDeviceId, now)) count += 1;
    const tokenDevice = legacyToken ? store.devices.byTokenHash(hashSecret(legacyToken)) : undefined;
    if (tokenDevice && store.devices.revoke(tokenDevice.id, now)) count += 1;
    return count;
  });
  rmSync(tokenFile, { force: true });
  return revoked;
}
