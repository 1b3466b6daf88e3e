import 'fake-indexeddb/auto';
import { generateDeviceKeys, signMessage } from '@signoff/shared/protocol';
import type { PairedDevice } from '@signoff/shared/approver';
import { describe, expect, it } from 'vitest';
import { DeviceStore, openWindowDB, WINDOW_DB_VERSION, WINDOW_UPGRADES } from './device-store.js';

let count = 0;
const fresh = () => `signoff-window-test-${++count}`;

async function pairedDevice(hubUrl = 'https://signoff.test:8443'): Promise<PairedDevice> {
  const keys = await generateDeviceKeys(false);
  return { deviceId: 'dev_1', privateKey: keys.privateKey, hubPublicKey: 'HUBKEY', hubFingerprint: 'SHA256:ab:cd', hubUrl };
}

describe('the window’s device store', () => {
  it('has one upgrade step per version and creates the device store', async () => {
    expect(WINDOW_UPGRADES).toHaveLength(WINDOW_DB_VERSION);
    const db = await openWindowDB(fresh());
    expect([...db.objectStoreNames]).toEqual(['device']);
    db.close();
  });

  it('keeps a paired device across opens, its key still non-extractable and still signing', async () => {
    const name = fresh();
    const device = await pairedDevice();
    await new DeviceStore(name).save(device, 'Pixel 8 · Chrome', 1000);

    const loaded = await new DeviceStore(name).load('https://signoff.test:8443');
    expect(loaded).toMatchObject({ deviceId: 'dev_1', hubPublicKey: 'HUBKEY', hubFingerprint: 'SHA256:ab:cd', hubUrl: 'https://signoff.test:8443' });
    expect(loaded!.privateKey.extractable).toBe(false);
    expect(await signMessage(loaded!.privateKey, new TextEncoder().encode('hello'))).toMatch(/^[\w-]+$/);

    const db = await openWindowDB(name);
    expect(await db.get('device', 'current')).toMatchObject({ name: 'Pixel 8 · Chrome', pairedAt: 1000 });
    db.close();
  });

  it('offers a device only at the origin it paired at', async () => {
    const name = fresh();
    await new DeviceStore(name).save(await pairedDevice('https://signoff.test:8443'), 'Phone');
    expect(await new DeviceStore(name).load('https://other.test:8443')).toBeNull();
    expect(await new DeviceStore(name).load('https://signoff.test')).toBeNull();
  });

  it('forgets the device', async () => {
    const name = fresh();
    const store = new DeviceStore(name);
    expect(await store.load('https://signoff.test:8443')).toBeNull();
    await store.save(await pairedDevice(), 'Phone');
    await store.forget();
    expect(await store.load('https://signoff.test:8443')).toBeNull();
    await store.forget();
  });
});
