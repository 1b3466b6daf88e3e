import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger, type Logger } from '@signoff/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestHub } from '../../../test/support/hub.js';
import { loadInProcessBackend, nodeProcessBackend } from './hub-backends.js';
import { approverTokenWorks, exchangePairingCode, probeHub, type RunningHub } from './single-hub.js';

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
    expect((await probeHub(hub.url)).kind).toBe('signoff');
    const token = await exchangePairingCode(hub.url, hub.createPairingCode!().code, 'test', dataDir);
    expect(await approverTokenWorks(hub.url, token)).toBe(true);
  });

  it('writes codes into the data dir store that a hub running elsewhere accepts', async () => {
    const backend = await loadInProcessBackend(silentLogger);
    const hub = await startTestHub({ dataDir });
    try {
      const { code } = await backend.createPairingCode(dataDir);
      expect(await approverTokenWorks(hub.url, await exchangePairingCode(hub.url, code, 'test', dataDir))).toBe(true);
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

  it('starts `signoff hub` as a child, pairs through `signoff pair`, and stops the child', async () => {
    const backend = nodeProcessBackend({ node: process.execPath, logger });
    const hub = await backend.startHub({ dataDir, port: 0 });
    expect(hub.url).toBe(`http://127.0.0.1:${hub.port}`);
    expect((await probeHub(hub.url)).kind).toBe('signoff');
    expect(hub.createPairingCode).toBeUndefined();
    const { code } = await backend.createPairingCode(dataDir);
    expect(await approverTokenWorks(hub.url, await exchangePairingCode(hub.url, code, 'tray', dataDir))).toBe(true);
    await hub.stop();
    expect((await probeHub(hub.url)).kind).toBe('none');
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
