import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode, SignoffError, fingerprintOfDigest, hubProofMessage, toBase64url, type HubChallenge, type HubIdentityProof } from '@signoff/shared';

/** The hub's identity key (PKCS#8 PEM, mode 0600), generated on first start. */
export const HUB_KEY_FILE = 'hub.key';

/** The key a hub proves it holds to every approver client (see `approver-auth.ts` in shared). */
export interface HubIdentity {
  /** SubjectPublicKeyInfo DER, base64url: what clients pin at pairing. */
  readonly publicKey: string;
  readonly fingerprint: string;
  /** Signs the connect challenge for a client's nonce at the Host it reached us by. */
  challenge(host: string, clientNonce: string, hubNonce: string): HubChallenge;
  /** Signs a stateless identity proof (`POST /api/v1/hub/identity`). */
  identify(host: string, clientNonce: string): HubIdentityProof;
}

function publicKeyDer(key: KeyObject): Buffer {
  return createPublicKey(key).export({ type: 'spki', format: 'der' });
}

/** Signs as WebCrypto verifies: ECDSA P-256 over SHA-256, r‖s encoding. */
function signWith(key: KeyObject, message: Uint8Array): string {
  return toBase64url(new Uint8Array(sign('sha256', message, { key, dsaEncoding: 'ieee-p1363' })));
}

/**
 * Reads `<dataDir>/hub.key`, creating it on first start. The `wx` flag makes two
 * processes racing on a fresh data dir agree on one key.
 */
export function loadOrCreateHubIdentity(dataDir: string): HubIdentity {
  const file = join(dataDir, HUB_KEY_FILE);
  try {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  chmodSync(file, 0o600);
  const key = createPrivateKey(readFileSync(file, 'utf8'));
  const der = publicKeyDer(key);
  const publicKey = toBase64url(new Uint8Array(der));
  const fingerprint = fingerprintOfDigest(createHash('sha256').update(der).digest());
  return {
    publicKey,
    fingerprint,
    challenge: (host, clientNonce, hubNonce) => ({ hubNonce, host, signature: signWith(key, hubProofMessage('connect', host, clientNonce, hubNonce)) }),
    identify: (host, clientNonce) => ({ publicKey, host, signature: signWith(key, hubProofMessage('identify', host, clientNonce)) }),
  };
}

/**
 * The public key of the hub that owns `dataDir`, for the person's own programs (CLI,
 * tray) that can read the data dir and so need no pairing to know which hub is theirs.
 */
export function readHubPublicKey(dataDir: string): string {
  const file = join(dataDir, HUB_KEY_FILE);
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new SignoffError(ErrorCode.unavailable, `no Signoff hub has run with the data dir ${dataDir} yet (no ${HUB_KEY_FILE}); start one with: npx signoff hub`);
  }
  return toBase64url(new Uint8Array(publicKeyDer(createPrivateKey(pem))));
}
