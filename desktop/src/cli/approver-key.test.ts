import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEY_ALGORITHM, deviceProofMessage, exportPublicKey, verifySignature, signMessage } from '@signoff/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { loadApproverCredential, loadApproverKey, saveApproverKey, savedDeviceId } from './approver-key.js';

describe('approver key file', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'signoff-key-'));
    dirs.push(dir);
    return dir;
  };
  const deviceId = '7976b7f8-0000-4000-8000-000000000001';

  it('saves with mode 0600, also over an older world-readable file, and loads a key that signs as the saved device', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'approver.key'), 'old\n', { mode: 0o644 });
    const pair = await globalThis.crypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
    const jwk = await globalThis.crypto.subtle.exportKey('jwk', pair.privateKey);
    const file = saveApproverKey(dir, { deviceId, hubUrl: 'http://127.0.0.1:7475', hubPublicKey: 'HUBKEY', privateKey: jwk });
    expect(file).toBe(join(dir, 'approver.key'));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(savedDeviceId(dir)).toBe(deviceId);

    const loaded = (await loadApproverKey(dir))!;
    expect(loaded).toMatchObject({ deviceId, hubUrl: 'http://127.0.0.1:7475', hubPublicKey: 'HUBKEY' });
    expect(loaded.privateKey.extractable).toBe(false);
    const message = deviceProofMessage('127.0.0.1:7475', 'h', 'c', deviceId);
    expect(await verifySignature(await exportPublicKey(pair.publicKey), message, await signMessage(loaded.privateKey, message))).toBe(true);
  });

  it('prefers SIGNOFF_APPROVER_TOKEN, else the key; says how to pair when there is neither, or the file is not a key', async () => {
    const dir = tempDir();
    expect(await loadApproverCredential(dir, { SIGNOFF_APPROVER_TOKEN: 'from-env' })).toEqual({ kind: 'token', token: 'from-env' });
    await expect(loadApproverCredential(join(dir, 'missing'), {})).rejects.toThrow('run `signoff pair --save` while the hub runs');
    writeFileSync(join(dir, 'approver.key'), '{"version":1}');
    await expect(loadApproverCredential(dir, {})).rejects.toThrow('is not a Signoff device key: run `signoff pair --save` again');
    expect(savedDeviceId(dir)).toBeNull();
  });
});
