import { z } from 'zod';
import { APPROVER_SURFACES } from './events.js';

/**
 * Approver authentication, both ways. The hub holds a P-256 key generated once into its
 * data dir; pairing pins its public key in the client. Every approver connection then runs:
 *
 *   client → hub   handshake `auth: { nonce: clientNonce, surface }`   (grants nothing)
 *   hub → client   `auth:challenge { hubNonce, host, signature }`      hub signs (host, clientNonce, hubNonce)
 *   client         checks the signature against the pinned key AND that `host` is the one it dialed
 *   client → hub   `auth:prove { deviceId, signature }`                device signs (host, hubNonce, clientNonce, deviceId)
 *
 * Nothing that grants power leaves the client before the hub has proved its key. Both
 * nonces are fresh per connection and the hub accepts a proof once, for its own nonce, on
 * the socket it issued it on, within {@link PROOF_WINDOW_MS}: a captured proof replays
 * nowhere. `host` binds both signatures to the address the client dialed, so a program
 * holding the port cannot relay the exchange to the real hub listening elsewhere.
 *
 * Every platform we run on has WebCrypto ECDSA P-256 (Node, Chromium, Firefox, Electron),
 * so one implementation signs and verifies everywhere; private keys stay non-extractable
 * where the platform can store a CryptoKey (IndexedDB).
 */

/** How long a client has, after the challenge, to prove itself before the hub closes the socket. */
export const PROOF_WINDOW_MS = 10_000;

export const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNATURE_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;

const base64url = (max: number) => z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be base64url').max(max);
/** 32 random bytes, base64url. */
export const NonceSchema = base64url(64).min(32);
/** A P-256 public key: SubjectPublicKeyInfo DER, base64url. */
export const PublicKeySchema = base64url(200).min(80);
/** A P-256 ECDSA signature: r‖s (64 bytes), base64url. */
const SignatureSchema = base64url(100).min(80);

/** The handshake `auth` of a device-authenticated approver connection. */
export const ApproverHelloSchema = z.strictObject({
  nonce: NonceSchema,
  surface: z.enum(APPROVER_SURFACES).optional(),
});

/** Pushed by the hub right after a device connection is admitted. */
export const HubChallengeSchema = z.strictObject({
  hubNonce: NonceSchema,
  /** The Host the hub was reached at, lower-case (`127.0.0.1:7475`). */
  host: z.string().min(1).max(300),
  signature: SignatureSchema,
});
export type HubChallenge = z.infer<typeof HubChallengeSchema>;

/** `auth:prove`: the device's answer to a challenge. */
export const DeviceProofSchema = z.strictObject({
  deviceId: z.uuid(),
  signature: SignatureSchema,
});
export type DeviceProof = z.infer<typeof DeviceProofSchema>;

/** `POST /api/v1/hub/identity {nonce}`: the hub proves its key without any connection state. */
export const IdentityRequestSchema = z.strictObject({ nonce: NonceSchema });
export interface HubIdentityProof {
  publicKey: string;
  host: string;
  signature: string;
}

/** A paired approver device as the hub lists it (never its token or key). */
export interface DeviceInfo {
  id: string;
  name: string;
  /** `key`: authenticates by challenge (the project's clients); `token`: a bearer token for a person's own scripts. */
  credential: 'key' | 'token';
  /** Lives as long as the browser tab that paired it. */
  ephemeral: boolean;
  createdAt: number;
  lastSeenAt: number | null;
}

/** What `POST /api/v1/pair` answers: a device id, the hub's key to pin, and a bearer token only when no key was sent. */
export interface PairResult {
  deviceId: string;
  token?: string;
  hub: { publicKey: string; fingerprint: string };
}

const encoder = new TextEncoder();
const subtle = () => globalThis.crypto.subtle;

/**
 * What the hub signs. The first line names the purpose, so no signature made for one
 * step can be presented as another; nonces are base64url and hosts are header values
 * (no newline), so the lines cannot run into each other.
 */
export function hubProofMessage(purpose: 'connect' | 'identify', host: string, clientNonce: string, hubNonce = ''): Uint8Array<ArrayBuffer> {
  return encoder.encode(`signoff hub proof v1 ${purpose}\n${host}\n${clientNonce}\n${hubNonce}`);
}

/** What a device signs. */
export function deviceProofMessage(host: string, hubNonce: string, clientNonce: string, deviceId: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(`signoff device proof v1\n${host}\n${hubNonce}\n${clientNonce}\n${deviceId}`);
}

export function toBase64url(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** 32 random bytes, base64url. */
export function newNonce(): string {
  return toBase64url(globalThis.crypto.getRandomValues(new Uint8Array(32)));
}

/** A device key pair; the private key cannot be exported unless asked (the CLI keeps its own in a 0600 file). */
export function generateDeviceKeys(extractable = false): Promise<CryptoKeyPair> {
  return subtle().generateKey(KEY_ALGORITHM, extractable, ['sign', 'verify']);
}

export async function exportPublicKey(key: CryptoKey): Promise<string> {
  return toBase64url(new Uint8Array(await subtle().exportKey('spki', key)));
}

export async function signMessage(privateKey: CryptoKey, message: Uint8Array<ArrayBuffer>): Promise<string> {
  return toBase64url(new Uint8Array(await subtle().sign(SIGNATURE_ALGORITHM, privateKey, message)));
}

/** False for any malformed key or signature, never a throw. */
export async function verifySignature(publicKey: string, message: Uint8Array<ArrayBuffer>, signature: string): Promise<boolean> {
  try {
    const key = await subtle().importKey('spki', fromBase64url(publicKey), KEY_ALGORITHM, false, ['verify']);
    return await subtle().verify(SIGNATURE_ALGORITHM, key, fromBase64url(signature), message);
  } catch {
    return false;
  }
}

/** A short, readable digest of a public key (`3F9A-1C07-88B2-D4E0`), for people comparing two screens. */
export async function keyFingerprint(publicKey: string): Promise<string> {
  return fingerprintOfDigest(new Uint8Array(await subtle().digest('SHA-256', fromBase64url(publicKey))));
}

/** {@link keyFingerprint} from a SHA-256 digest of the key's DER already at hand. */
export function fingerprintOfDigest(digest: Uint8Array): string {
  const hex = [...digest.slice(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join('').toUpperCase();
  return hex.match(/.{4}/g)!.join('-');
}
