import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger, type Logger } from '@signoff/shared';
import { pairDevice } from '@signoff/shared/approver';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestHub } from '../../../test/support/hub.js';
import { loadInProcessBackend, nodeProcessBackend } from './hub-backends.js';
import { probeHub, type RunningHub } from './single-hub.js';

/** `POST /api/v1/pair` with a code: 201 when the hub knows it (a browser pairing with a bearer token). */
async function pairs(url: string, code: string): Promise<boolean> {
  const res = await fetch(`${url}/api/v1/pair`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, name: 'test' }) });
  await res.body?.cancel();
  return res.status === 201;
}

let dataDir: string;
const running: RunningHub[] = [];

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'signoff-backend-'));
});
afterEach(async () => {
  for (const hub of running.splice(0)) await hub.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('in-process backend', () => {
  it('runs a hub whose own pairing codes pair approvers', async () => {
    const backend = await loadInProcessBackend(silentLogger);
    const hub = await backend.startHub({ dataDir, port: 0 });
    running.push(hub);
    expect((await probeHub(hub.url, dataDir)).kind).toBe('signoff');
    expect(await pairs(hub.url, hub.createPairingCode!().code)).toBe(true);
  });

  it('writes codes into the data dir store that a hub running elsewhere accepts', async () => {
    const backend = await loadInProcessBackend(silentLogger);
    const hub = await startTestHub({ dataDir });
    try {
      const { code } = await backend.createPairingCode(dataDir, hub.url);
      expect(await pairs(hub.url, code)).toBe(true);
      // And revokes devices in that store, which the running hub then refuses.
      const device = await hub.pairDevice('old tray');
      expect(await backend.revokeDevice(dataDir, device.deviceId)).toBe(true);
      expect(await backend.revokeDevice(dataDir, device.deviceId)).toBe(false);
      expect(hub.hub.store.devices.list()).toEqual([expect.objectContaining({ name: 'test' })]);
    } finally {
      await hub.stop();
    }
  });

  it('reports a taken port as EADDRINUSE', async () => {
    const backend = await loadInProcessBackend(silentLogger);
    const hub = await startTestHub({ dataDir });
    try {
      await expect(backend.startHub({ dataDir, port: hub.port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      await hub.stop();
    }
  });
});

// The tray from a checkout: better-sqlite3 is built for Node, so the hub runs under it.
// Spawns the built `signoff` command (`npm test` builds before running vitest).
describe('node-process backend', () => {
  const lines: string[] = [];
  const logger: Logger = { info: (line) => void lines.push(line), warn: (line) => void lines.push(line), error: () => {} };

  it('starts `signoff hub` as a child, pairs through `signoff pair`, revokes through `signoff devices revoke`, and stops the child', async () => {
    const backend = nodeProcessBackend({ node: process.execPath, logger });
    const hub = await backend.startHub({ dataDir, port: 0 });
    expect(hub.url).toBe(`http://127.0.0.1:${hub.port}`);
    expect((await probeHub(hub.url, dataDir)).kind).toBe('signoff');
    expect(hub.createPairingCode).toBeUndefined();
    const { code } = await backend.createPairingCode(dataDir, hub.url);
    expect(await pairs(hub.url, code)).toBe(true);
    const paired = await pairDevice({ hubUrl: hub.url, code: (await backend.createPairingCode(dataDir, hub.url)).code, name: 'old tray' });
    expect(await backend.revokeDevice(dataDir, paired.deviceId)).toBe(true);
    expect(await backend.revokeDevice(dataDir, paired.deviceId)).toBe(false);
    await hub.stop();
    expect((await probeHub(hub.url, dataDir)).kind).toBe('none');
    // The child's log reaches the tray's, without its own `[hub]` prefix.
    expect(lines).toContain('stopped');
  });

  it('reports a taken port as EADDRINUSE', async () => {
    const hub = await startTestHub({ dataDir });
    try {
      const backend = nodeProcessBackend({ node: process.execPath, logger });
      await expect(backend.startHub({ dataDir, port: hub.port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      await hub.stop();
    }
  });

  it('fails with the child’s words when the hub cannot start', async () => {
    const backend = nodeProcessBackend({ node: process.execPath, logger, bin: join(dataDir, 'missing.js') });
    await expect(backend.startHub({ dataDir, port: 0 })).rejects.toThrow(/signoff hub exited with 1: .*missing\.js/s);
  });
});

describe('node-process backend and a hub it cannot verify', () => {
  it('gets no code from `signoff pair` when the hub on the port is not the data dir’s', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'signoff-backend-other-'));
    const mine = await startTestHub({ dataDir });
    await mine.stop(); // this data dir has a hub key; its hub is down
    const impostor = await startTestHub({ dataDir: elsewhere });
    try {
      const backend = nodeProcessBackend({ node: process.execPath, logger: silentLogger });
      await expect(backend.createPairingCode(dataDir, impostor.url)).rejects.toThrow(/not your Signoff hub/);
    } finally {
      await impostor.dispose();
    }
  });
});
