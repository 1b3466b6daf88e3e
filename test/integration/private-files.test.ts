import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AGENT_TOKEN_FILE, DB_FILE } from '@signoff/desktop/hub';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { recordingLogger, useHubs } from '../support/harness.js';

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('private files', () => {
  const hubs = useHubs();
  let root: string;
  let umask: number;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'signoff-private-'));
    // What a login shell usually has: the hub must not rely on it.
    umask = process.umask(0o022);
  });
  afterEach(() => {
    process.umask(umask);
    rmSync(root, { recursive: true, force: true });
  });

  it('tightens a 0755 data dir, says so, and keeps the database, its WAL and SHM, and the token and key files at 0600', async () => {
    const dataDir = join(root, 'signoff');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    const logger = recordingLogger();
    const t = await hubs.start({ dataDir, logger });
    // Writes, so the WAL and SHM exist while the hub runs.
    for (let i = 0; i < 5; i++) expect((await hubs.agentRest(t).post('/requests', { kind: 'approval', title: `Write ${i}` })).status).toBe(201);

    expect(modeOf(dataDir)).toBe(0o700);
    expect(logger.warnings.map((args) => String(args[0]))).toContain(`data dir ${dataDir} was 0755; tightened it to 0700 (owner only)`);
    const db = join(dataDir, DB_FILE);
    for (const file of [db, `${db}-wal`, `${db}-shm`, join(dataDir, AGENT_TOKEN_FILE), join(dataDir, 'hub.key'), join(dataDir, 'vapid.json')]) {
      expect(existsSync(file), file).toBe(true);
      expect(modeOf(file), file).toBe(0o600);
    }
  });

  it.skipIf(process.platform !== 'linux')('runs `signoff hub` with umask 077 whatever umask it was started with', async () => {
    const run = runCli(['hub', '--port', '0', '--data-dir', join(root, 'cli')]);
    try {
      await run.printed('listening on');
      const status = readFileSync(`/proc/${run.child.pid}/status`, 'utf8');
      expect(/^Umask:\s+(\d+)$/m.exec(status)?.[1]).toBe('0077');
    } finally {
      run.child.kill('SIGTERM');
      await run.done;
    }
  });
});
