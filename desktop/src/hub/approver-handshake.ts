import { createPublicKey, verify } from 'node:crypto';
import {
  ApproverHelloSchema,
  DeviceProofSchema,
  ErrorCode,
  SignoffError,
  deviceProofMessage,
  fromBase64url,
  newNonce,
  validate,
  type DeviceInfo,
} from '@signoff/shared';
import type { DeviceRecord, DeviceStore } from './device-store.js';
import type { HubIdentity } from './hub-identity.js';

/**
 * The hub's half of the approver handshake (see `approver-auth.ts` in shared): a
 * connection that announced a nonce is challenged with the hub's signature and has
 * `PROOF_WINDOW_MS` to answer with its device's. One proof per connection, for the
 * nonce issued on it: nothing captured elsewhere can be replayed here.
 */
export class PendingProof {
  private readonly hubNonce = newNonce();
  private settled = false;

  private constructor(
    private readonly host: string,
    private readonly clientNonce: string,
  ) {}

  /** The pending proof of a handshake that sent `auth: { nonce }`, or null when it sent none. */
  static fromHandshake(auth: unknown, host: string): PendingProof | null {
    if (typeof auth !== 'object' || auth === null || !('nonce' in auth)) return null;
    const { token: _token, ...hello } = auth as Record<string, unknown>;
    const parsed = validate(ApproverHelloSchema, hello);
    if (!parsed.ok) throw new SignoffError(ErrorCode.invalid, `auth: ${parsed.error.message}`);
    return new PendingProof(host.toLowerCase(), parsed.data.nonce);
  }

  challenge(identity: HubIdentity) {
    return identity.challenge(this.host, this.clientNonce, this.hubNonce);
  }

  /** Checks a device's answer; the device it proves, or a refusal. Only the first answer counts. */
  verify(payload: unknown, devices: DeviceStore): DeviceRecord {
    if (this.settled) throw new SignoffError(ErrorCode.forbidden, 'this connection already answered its challenge');
    this.settled = true;
    const parsed = validate(DeviceProofSchema, payload);
    if (!parsed.ok) throw new SignoffError(parsed.error.code, parsed.error.message, parsed.error.details);
    const device = devices.byId(parsed.data.deviceId);
    const message = deviceProofMessage(this.host, this.hubNonce, this.clientNonce, parsed.data.deviceId);
    if (!device?.publicKey || !verifyP256(device.publicKey, message, parsed.data.signature)) {
      // One answer for unknown, revoked and wrong: a prober learns nothing about which ids exist.
      throw new SignoffError(ErrorCode.unauthorized, 'device proof refused: unknown or revoked device, or a wrong signature; pair again');
    }
    return device;
  }
}

/** ECDSA P-256 / SHA-256 over `message`, with WebCrypto's r‖s signature encoding; false for anything malformed. */
function verifyP256(publicKey: string, message: Uint8Array, signature: string): boolean {
  try {
    const key = createPublicKey({ key: Buffer.from(fromBase64url(publicKey)), format: 'der', type: 'spki' });
    return verify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, fromBase64url(signature));
  } catch {
    return false;
  }
}

/** What a device learns about itself once proved. */
export function deviceInfo(device: DeviceRecord): DeviceInfo {
  const { publicKey: _publicKey, ...info } = device;
  return info;
}
