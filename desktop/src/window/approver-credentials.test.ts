import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportPublicKey, generateDeviceKeys, hubProofMessage, newNonce, signMessage, type HubChallenge } from '@signoff/shared';
import { HubIdentityError } from '@signoff/shared/approver';
import { describe, expect, it, vi } from 'vitest';
import { bridgeCredentials, tabCredentials } from './approver-credentials.js';
import { desktopBridge } from './desktop-bridge.js';

const context = { clientNonce: newNonce(), dialedHost: '127.0.0.1:7475' };

async function hubKeys() {
  const keys = await generateDeviceKeys();
  const challenge = async (host = context.dialedHost, keyPair = keys): Promise<HubChallenge> => {
    const hubNonce = newNonce();
    return { hubNonce, host, signature: await signMessage(keyPair.privateKey, hubProofMessage('connect', host, context.clientNonce, hubNonce)) };
  };
  return { publicKey: await exportPublicKey(keys.publicKey), challenge };
}

describe('window credentials', () => {
  it('in the tray: the bridge answers the challenge, the page holds no key', async () => {
    const proof = { deviceId: '6f1c4d0e-0000-4000-8000-000000000000', signature: 'sig' };
    const answerChallenge = vi.fn(() => Promise.resolve(proof));
    const credentials = bridgeCredentials({ answerChallenge });
    expect(credentials).toMatchObject({ surface: 'tray', source: 'bridge', hubFingerprint: null });
    const challenge = { hubNonce: 'n', host: '127.0.0.1:7475', signature: 's' };
    expect(await credentials.credential.answer(challenge, context)).toBe(proof);
    expect(answerChallenge).toHaveBeenCalledWith(challenge, context);
  });

  it('in a tab: the key paired here answers only the pinned hub, at the dialed host', async () => {
    const hub = await hubKeys();
    const other = await hubKeys();
    const device = { hubUrl: 'http://127.0.0.1:7475', deviceId: '6f1c4d0e-0000-4000-8000-000000000001', privateKey: (await generateDeviceKeys()).privateKey, hubPublicKey: hub.publicKey, hubFingerprint: 'AAAA-BBBB-CCCC-DDDD' };
    const credentials = tabCredentials(device, 'window');
    expect(credentials).toMatchObject({ surface: 'window', source: 'tab', hubFingerprint: 'AAAA-BBBB-CCCC-DDDD' });
    expect(await credentials.credential.answer(await hub.challenge(), context)).toMatchObject({ deviceId: device.deviceId });
    await expect(credentials.credential.answer(await other.challenge(), context)).rejects.toBeInstanceOf(HubIdentityError);
    await expect(credentials.credential.answer(await hub.challenge('127.0.0.1:9999'), context)).rejects.toBeInstanceOf(HubIdentityError);
    // Each pairing is its own session.
    expect(tabCredentials(device, 'window').session).not.toBe(credentials.session);
  });

  it('no window source touches the origin’s storage: nothing outlives the tab', () => {
    const root = fileURLToPath(new URL('.', import.meta.url));
    const sources: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) sources.push(path);
      }
    };
    walk(root);
    expect(sources.length).toBeGreaterThan(10);
    const offenders = sources.filter((path) => /\b(?:localStorage|sessionStorage|indexedDB|document\.cookie)\b/.test(readFileSync(path, 'utf8')));
    expect(offenders).toEqual([]);
  });
});

describe('desktopBridge', () => {
  it('finds the preload’s bridge only when it has answerChallenge', () => {
    const bridge = { answerChallenge: () => Promise.reject(new Error('x')) };
    expect(desktopBridge({ signoffDesktop: bridge })).toBe(bridge);
    expect(desktopBridge({})).toBeNull();
    expect(desktopBridge({ signoffDesktop: { answerChallenge: 'nope' } })).toBeNull();
    // The old token bridge is not enough.
    expect(desktopBridge({ signoffDesktop: { getApproverToken: () => Promise.resolve('t') } })).toBeNull();
  });
});
