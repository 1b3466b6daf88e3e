import {
  HubChallengeSchema,
  deviceProofMessage,
  hubProofMessage,
  signMessage,
  verifySignature,
  type DeviceProof,
  type HubChallenge,
} from '../protocol/index.js';

/** What a client knows when it answers a challenge: its own nonce and the host it dialed. */
export interface ChallengeContext {
  clientNonce: string;
  /** `new URL(hubUrl).host`, lower-case: the hub must have signed this very host. */
  dialedHost: string;
}

/**
 * Something that can answer the hub's challenge for one paired device: it checks that the
 * challenge comes from the pinned hub at the dialed host, and only then signs. The
 * extension and the CLI hold the key themselves; the tray's window asks the tray's main
 * process through its preload, so the key never enters a page.
 */
export interface ApproverCredential {
  /** Throws {@link HubIdentityError} when the challenge does not prove the pinned hub. */
  answer(challenge: HubChallenge, context: ChallengeContext): Promise<DeviceProof>;
}

/** The program answering at the hub's address is not the hub this device paired with. */
export class HubIdentityError extends Error {
  override readonly name = 'HubIdentityError';
}

/** A device key (non-extractable where the platform stores CryptoKeys) and the hub key pinned at pairing. */
export interface DeviceKey {
  deviceId: string;
  privateKey: CryptoKey;
  /** SPKI base64url of the hub, pinned at pairing. */
  hubPublicKey: string;
}

/** Verifies a challenge against the pinned hub key and the dialed host; throws {@link HubIdentityError} otherwise. */
export async function verifyHubChallenge(hubPublicKey: string, challenge: unknown, context: ChallengeContext): Promise<HubChallenge> {
  const parsed = HubChallengeSchema.safeParse(challenge);
  if (!parsed.success) throw new HubIdentityError('the hub’s challenge is malformed');
  const { host, hubNonce, signature } = parsed.data;
  // A program holding this port could relay our nonce to the real hub listening elsewhere;
  // the real hub signs the host it was reached at, which is then not the one we dialed.
  if (host !== context.dialedHost.toLowerCase()) throw new HubIdentityError(`the challenge was signed for ${host}, not ${context.dialedHost}`);
  if (!(await verifySignature(hubPublicKey, hubProofMessage('connect', host, context.clientNonce, hubNonce), signature))) {
    throw new HubIdentityError('the challenge is not signed by the hub this device paired with');
  }
  return parsed.data;
}

/** An {@link ApproverCredential} over a device key held in this process. */
export function keyCredential(key: DeviceKey): ApproverCredential {
  return {
    async answer(challenge, context) {
      const { host, hubNonce } = await verifyHubChallenge(key.hubPublicKey, challenge, context);
      const signature = await signMessage(key.privateKey, deviceProofMessage(host, hubNonce, context.clientNonce, key.deviceId));
      return { deviceId: key.deviceId, signature };
    },
  };
}
