import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ErrorCode, PairSchema, SignoffError, validate } from '@signoff/shared';
import { PairingError, pairDevice } from '@signoff/shared/approver';
import { systemClock } from '../../hub/clock.js';
import { createPairingCode, hashSecret } from '../../hub/auth.js';
import { APPROVER_KEY_FILE, LEGACY_APPROVER_TOKEN_FILE, saveApproverKey, savedDeviceId } from '../approver-key.js';
import { resolveDataDir, resolveHubUrl } from '../config.js';
import { withDataStore } from '../data-store.js';
import { UsageError } from '../usage-error.js';
import { verifiedHub } from '../verified-hub.js';

const DEFAULT_NAME = 'terminal';

export const pairHelp = `signoff pair [--data-dir DIR] [--port N] [--qr | --save [--name NAME]]

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
  --qr         pair a phone: also prints a QR code of <public URL>/#pair=CODE (the URL the
               hub was started with, --public-url), and the link as text; opening it pairs
               in one tap. Without a public URL it says how to set one.
  --port N     hub port (default SIGNOFF_URL, SIGNOFF_PORT or 7475)
Exit: 0 paired or code printed; 2 no hub, something else on the port, or usage.`;

/** Writes a code straight into the data dir's store, which the running hub reads. */
function makeCode(dataDir: string): string {
  return withDataStore(dataDir, (store) => createPairingCode(store, systemClock).code);
}

export async function runPair(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { 'data-dir': { type: 'string' }, port: { type: 'string' }, save: { type: 'boolean' }, name: { type: 'string' }, qr: { type: 'boolean' } },
    strict: true,
  });
  if (values.qr && values.save) throw new UsageError('--qr pairs another device (a phone), --save this terminal: use one');
  const dataDir = resolveDataDir(values['data-dir']);
  const url = resolveHubUrl(values.port);
  if (!values.save) {
    // Before writing a code: a code made for a hub that is not there, or shown for a program holding its port, helps nobody.
    await verifiedHub(dataDir, url);
    // Asked before the code is made, so a failure here leaves no code behind.
    const publicUrl = values.qr ? await hubPublicUrl(url) : null;
    const code = makeCode(dataDir);
    if (values.qr) await printPairingLink(publicUrl, code);
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
 * The public URL the hub at `url` was started with (`GET /health`), or null without one.
 * Asked of the hub, never read from this shell's environment: the link must lead to
 * where that hub answers. Called right after {@link verifiedHub} proved the hub at `url`.
 */
async function hubPublicUrl(url: string): Promise<string | null> {
  let answer: { publicUrl?: unknown };
  try {
    const res = await fetch(`${url}/api/v1/health`, { signal: AbortSignal.timeout(5000) });
    answer = (await res.json()) as { publicUrl?: unknown };
  } catch (error) {
    throw new SignoffError(ErrorCode.unavailable, `the hub at ${url} did not say its public URL: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof answer.publicUrl !== 'string') return null;
  const parsed = URL.canParse(answer.publicUrl) ? new URL(answer.publicUrl) : null;
  if (parsed?.protocol !== 'https:' && parsed?.protocol !== 'http:') {
    throw new SignoffError(ErrorCode.internal, `the hub at ${url} gave a public URL that is not one: ${JSON.stringify(answer.publicUrl)}`);
  }
  return parsed.origin;
}

/**
 * A QR code of `<public URL>/#pair=CODE` for a phone's camera (the qrcode library's
 * terminal renderer, two rows a line), then the link as text for copying; without a
 * public URL, how to give the hub one (on stderr: stdout keeps the code on its last line).
 */
async function printPairingLink(publicUrl: string | null, code: string): Promise<void> {
  if (publicUrl === null) {
    console.error(
      'signoff pair: this hub has no public URL, so a phone cannot reach it. Put a TLS proxy in front of it ' +
        '(README, "Recipes: Tailscale, Caddy, SSH") and start the hub with --public-url https://NAME (or SIGNOFF_PUBLIC_URL); ' +
        'until then, the plain code:',
    );
    return;
  }
  const link = `${publicUrl}/#pair=${code}`;
  const { default: QRCode } = await import('qrcode');
  console.log(`Scan with your phone to pair it with Signoff at ${publicUrl} (valid for 5 minutes):\n`);
  console.log(await QRCode.toString(link, { type: 'terminal', small: true }));
  console.log(`Or open: ${link}`);
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
  const revoked = withDataStore(dataDir, (store) => {
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
