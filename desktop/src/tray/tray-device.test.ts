import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@signoff/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';
import { TRAY_KEY_FILE, loadTrayDevice, pairTrayDevice, type SecretCodec } from './tray-device.js';

let hub: TestHub;
beforeEach(async () => {
  hub = await startTestHub();
});
afterEach(async () => {
  await hub.dispose();
});

/** Reversible sealing that counts its calls and can say the store rotated its key. */
function codec(options: { rotate?: boolean } = {}) {
  const calls = { encrypt: 0, decrypt: 0 };
  const sealing: SecretCodec = {
    name: 'test sealing',
    available: () => Promise.resolve(true),
    encrypt: (plain) => {
      calls.encrypt += 1;
      return Promise.resolve(new TextEncoder().encode(`v${calls.encrypt}:${Buffer.from(plain).toString('base64')}`));
    },
    decrypt: (data) => {
      calls.decrypt += 1;
      const text = new TextDecoder().decode(data);
      return Promise.resolve({ plain: Buffer.from(text.slice(text.indexOf(':') + 1), 'base64').toString(), reEncrypt: options.rotate === true });
    },
  };
  return { sealing, calls };
}

const pair = (sealing: SecretCodec | null) =>
  pairTrayDevice({ dataDir: hub.dataDir, hubUrl: hub.url, hubPublicKey: hub.hub.identity.publicKey, code: hub.hub.createPairingCode().code, codec: sealing, logger: silentLogger });
const load = (sealing: SecretCodec | null, hubPublicKey = hub.hub.identity.publicKey) => loadTrayDevice({ dataDir: hub.dataDir, hubPublicKey, codec: sealing, logger: silentLogger });

describe('tray device file', () => {
  it('round-trips a sealed key, and seals it again when the store rotated its key', async () => {
    const { sealing, calls } = codec({ rotate: true });
    const paired = await pair(sealing);
    const before = readFileSync(join(hub.dataDir, TRAY_KEY_FILE), 'utf8');
    const loaded = await load(sealing);
    expect(loaded).toMatchObject({ kind: 'device', device: { deviceId: paired.deviceId } });
    expect(calls).toEqual({ encrypt: 2, decrypt: 1 });
    expect(readFileSync(join(hub.dataDir, TRAY_KEY_FILE), 'utf8')).not.toBe(before);
  });

  it('refuses a pairing whose hub answers with another key than the data dir’s', async () => {
    const other = await startTestHub();
    try {
      await expect(
        pairTrayDevice({ dataDir: hub.dataDir, hubUrl: other.url, hubPublicKey: hub.hub.identity.publicKey, code: other.hub.createPairingCode().code, codec: null, logger: silentLogger }),
      ).rejects.toThrow('another key than the data dir’s hub.key');
    } finally {
      await other.dispose();
    }
  });

  it('says why a saved device cannot be used, with its id when known', async () => {
    expect(await load(null)).toEqual({ kind: 'none' });
    const paired = await pair(null);
    expect(await load(null, 'another-hub-key')).toMatchObject({ kind: 'unusable', deviceId: paired.deviceId, why: expect.stringContaining('another hub key') });
    const saved = JSON.parse(readFileSync(join(hub.dataDir, TRAY_KEY_FILE), 'utf8')) as { privateKey: { jwk: Record<string, string> } };
    writeFileSync(join(hub.dataDir, TRAY_KEY_FILE), JSON.stringify({ ...saved, privateKey: { jwk: { ...saved.privateKey.jwk, d: 'AAAA' } } }));
    expect(await load(null)).toMatchObject({ kind: 'unusable', deviceId: paired.deviceId, why: 'its key is damaged' });
    writeFileSync(join(hub.dataDir, TRAY_KEY_FILE), 'not json');
    expect(await load(null)).toEqual({ kind: 'unusable', why: 'tray.key is not a tray key file', deviceId: null });
  });
});
