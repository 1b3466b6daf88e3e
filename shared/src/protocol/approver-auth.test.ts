import { describe, expect, it } from 'vitest';
import {
  deviceProofMessage,
  exportPublicKey,
  fromBase64url,
  generateDeviceKeys,
  hubProofMessage,
  keyFingerprint,
  newNonce,
  signMessage,
  toBase64url,
  verifySignature,
} from './approver-auth.js';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('approver authentication primitives', () => {
  it('round-trips base64url without padding or +/ characters', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    const encoded = toBase64url(bytes);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect([...fromBase64url(encoded)]).toEqual([...bytes]);
  });

  it('makes fresh 32-byte nonces', () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(fromBase64url(nonce)).toHaveLength(32);
  });

  it('signs each step under its own purpose, so no signature passes for another step', () => {
    const connect = text(hubProofMessage('connect', '127.0.0.1:7475', 'c', 'h'));
    const identify = text(hubProofMessage('identify', '127.0.0.1:7475', 'c'));
    const device = text(deviceProofMessage('127.0.0.1:7475', 'h', 'c', 'd'));
    expect(new Set([connect.split('\n')[0], identify.split('\n')[0], device.split('\n')[0]]).size).toBe(3);
  });

  it('verifies a device signature only for the exact message and key', async () => {
    const keys = await generateDeviceKeys();
    const other = await generateDeviceKeys();
    const publicKey = await exportPublicKey(keys.publicKey);
    const message = deviceProofMessage('127.0.0.1:7475', newNonce(), newNonce(), 'device');
    const signature = await signMessage(keys.privateKey, message);
    expect(await verifySignature(publicKey, message, signature)).toBe(true);
    expect(await verifySignature(publicKey, deviceProofMessage('127.0.0.1:7476', 'x', 'y', 'device'), signature)).toBe(false);
    expect(await verifySignature(await exportPublicKey(other.publicKey), message, signature)).toBe(false);
    // Malformed input is a plain "no", never a throw.
    expect(await verifySignature('not-a-key', message, signature)).toBe(false);
    expect(await verifySignature(publicKey, message, 'AAAA')).toBe(false);
  });

  it('keeps device keys non-extractable unless asked', async () => {
    expect((await generateDeviceKeys()).privateKey.extractable).toBe(false);
    expect((await generateDeviceKeys(true)).privateKey.extractable).toBe(true);
  });

  it('prints a key fingerprint people can compare', async () => {
    const publicKey = await exportPublicKey((await generateDeviceKeys()).publicKey);
    expect(await keyFingerprint(publicKey)).toMatch(/^[0-9A-F]{4}(-[0-9A-F]{4}){3}$/);
  });
});
