import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hubProofMessage, keyFingerprint, newNonce, verifySignature } from '@signoff/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HUB_KEY_FILE, loadOrCreateHubIdentity, readHubPublicKey } from './hub-identity.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'signoff-identity-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('hub identity', () => {
  it('creates the key once (0600) and keeps it across starts', () => {
    const first = loadOrCreateHubIdentity(dir);
    expect(statSync(join(dir, HUB_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(loadOrCreateHubIdentity(dir).publicKey).toBe(first.publicKey);
    expect(readHubPublicKey(dir)).toBe(first.publicKey);
  });

  it('signs challenges that WebCrypto verifies, bound to the host', async () => {
    const identity = loadOrCreateHubIdentity(dir);
    const clientNonce = newNonce();
    const challenge = identity.challenge('127.0.0.1:7475', clientNonce, 'hub-nonce');
    expect(await verifySignature(identity.publicKey, hubProofMessage('connect', '127.0.0.1:7475', clientNonce, 'hub-nonce'), challenge.signature)).toBe(true);
    expect(await verifySignature(identity.publicKey, hubProofMessage('connect', '127.0.0.1:7476', clientNonce, 'hub-nonce'), challenge.signature)).toBe(false);
    const proof = identity.identify('localhost:7475', clientNonce);
    expect(await verifySignature(identity.publicKey, hubProofMessage('identify', 'localhost:7475', clientNonce), proof.signature)).toBe(true);
    expect(identity.fingerprint).toBe(await keyFingerprint(identity.publicKey));
  });

  it('says to start a hub when none ever ran with the data dir', () => {
    expect(() => readHubPublicKey(dir)).toThrow(/no Signoff hub has run with the data dir/);
  });
});
