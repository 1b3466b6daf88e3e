import {
  exportPublicKey,
  generateDeviceKeys,
  hubProofMessage,
  newNonce,
  verifySignature,
  type HubIdentityProof,
  type PairResult,
} from '../protocol/index.js';
import type { DeviceKey } from './credential.js';

/** A device just paired: its key, the hub's key to pin, and where the hub was. */
export interface PairedDevice extends DeviceKey {
  hubUrl: string;
  /** The hub key's fingerprint, for a person comparing it with `signoff devices`. */
  hubFingerprint: string;
}

/**
 * A paired device as a browser keeps it in IndexedDB (the extension, the phone app): one
 * row, `slot: 'current'`; the key is a non-extractable CryptoKey, so pages and scripts
 * can sign with it and nobody can read it out.
 */
export interface KeptDevice extends PairedDevice {
  slot: 'current';
  /** How the hub lists this device. */
  name: string;
  pairedAt: number;
}

/** Pairing failed; `message` is meant for the person. */
export class PairingError extends Error {
  override readonly name = 'PairingError';
}

export interface PairOptions {
  hubUrl: string;
  code: string;
  /** How the hub lists this device ("Browser extension (Chrome)"). */
  name: string;
  /** The device lives as long as this browser tab. */
  ephemeral?: boolean;
  /** Only the CLI, which keeps its key in a 0600 file, needs an exportable key. */
  extractable?: boolean;
  fetch?: typeof globalThis.fetch;
}

/**
 * Pairs a new device: makes its key pair, sends the public key with the code, and pins
 * the hub key that comes back. The code is the only secret sent, and it is worthless
 * to anyone else: one use, five minutes, and void once the hub that made it restarts.
 */
export async function pairDevice(options: PairOptions): Promise<PairedDevice> {
  const hubUrl = options.hubUrl.trim().replace(/\/+$/, '');
  const keys = await generateDeviceKeys(options.extractable ?? false);
  const body = { code: options.code, name: options.name, publicKey: await exportPublicKey(keys.publicKey), ...(options.ephemeral ? { ephemeral: true } : {}) };
  let res: Response;
  try {
    res = await (options.fetch ?? globalThis.fetch)(`${hubUrl}/api/v1/pair`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch {
    throw new PairingError(`No hub answered at ${hubUrl}: start it with \`npm start\` or \`npx signoff hub\`.`);
  }
  const answer = (await res.json().catch(() => ({}))) as Partial<PairResult> & { error?: { message?: string } };
  if (res.status !== 201 || typeof answer.deviceId !== 'string' || typeof answer.hub?.publicKey !== 'string') {
    throw new PairingError(answer.error?.message ?? `Pairing failed (HTTP ${res.status}).`);
  }
  return {
    hubUrl,
    deviceId: answer.deviceId,
    privateKey: keys.privateKey,
    hubPublicKey: answer.hub.publicKey,
    hubFingerprint: answer.hub.fingerprint ?? '',
  };
}

/** Who answers at a hub address: the hub whose key we know, something else, or nothing. */
export type HubCheck = { kind: 'signoff' } | { kind: 'other'; why: string } | { kind: 'none' };

/**
 * Asks whatever answers at `hubUrl` to prove it holds `hubPublicKey`
 * (`POST /api/v1/hub/identity`). Used by programs that read the key from the data dir
 * (the CLI, the tray) before they hand anything over.
 */
export async function checkHubIdentity(hubUrl: string, hubPublicKey: string, fetcher: typeof globalThis.fetch = globalThis.fetch, timeoutMs = 5000): Promise<HubCheck> {
  const base = hubUrl.replace(/\/+$/, '');
  const nonce = newNonce();
  let res: Response;
  try {
    res = await fetcher(`${base}/api/v1/hub/identity`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ nonce }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const code = (error as { cause?: { code?: unknown } }).cause?.code;
    return code === 'ECONNREFUSED' ? { kind: 'none' } : { kind: 'other', why: 'it did not answer like a Signoff hub' };
  }
  const proof = (await res.json().catch(() => null)) as Partial<HubIdentityProof> | null;
  if (res.status !== 200 || typeof proof?.signature !== 'string' || typeof proof.host !== 'string') {
    return { kind: 'other', why: `it answered ${res.status} to the identity check` };
  }
  if (proof.host !== new URL(base).host.toLowerCase()) return { kind: 'other', why: `it signed for ${proof.host}` };
  const valid = await verifySignature(hubPublicKey, hubProofMessage('identify', proof.host, nonce), proof.signature);
  return valid ? { kind: 'signoff' } : { kind: 'other', why: 'it does not hold this data dir’s hub key' };
}

/** The words every client uses when something else holds the hub's address. */
export function impostorMessage(hubUrl: string): string {
  return `Something else is answering on ${new URL(hubUrl).host} — not your Signoff hub. Nothing was sent to it.`;
}
