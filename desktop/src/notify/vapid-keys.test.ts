import { createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import webPush from 'web-push';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateVapidKeys, loadOrCreateVapidKeys, VAPID_FILE } from './vapid-keys.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'signoff-vapid-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('VAPID keys', () => {
  it('are made once into vapid.json (0600) and read back the same', () => {
    const first = loadOrCreateVapidKeys(dir);
    expect(statSync(join(dir, VAPID_FILE)).mode & 0o777).toBe(0o600);
    expect(loadOrCreateVapidKeys(dir)).toEqual(first);
    expect(JSON.parse(readFileSync(join(dir, VAPID_FILE), 'utf8'))).toEqual(first);
  });

  it('are a P-256 pair web-push signs with, verifiable with the public half', () => {
    const keys = generateVapidKeys();
    const { Authorization } = webPush.getVapidHeaders('https://push.example', 'mailto:a@example.com', keys.publicKey, keys.privateKey, 'aes128gcm');
    const [, jwt, k] = /^vapid t=(\S+), k=(\S+)$/.exec(Authorization)!;
    expect(k).toBe(keys.publicKey);
    const raw = Buffer.from(keys.publicKey, 'base64url');
    const key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33).toString('base64url') }, format: 'jwk' });
    const [header, claims, signature] = jwt!.split('.') as [string, string, string];
    expect(verify('sha256', Buffer.from(`${header}.${claims}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'))).toBe(true);
  });

  it('refuse a file that holds no key pair, naming it, rather than silently making new ones', () => {
    writeFileSync(join(dir, VAPID_FILE), '{"publicKey":"nope"}');
    expect(() => loadOrCreateVapidKeys(dir)).toThrow(/vapid\.json does not hold a VAPID key pair/);
  });
});
