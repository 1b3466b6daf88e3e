import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

/** `npm start` is `npm run build && node desktop/bin/start.js`; this runs the second half, built by `npm test`. */
const START = fileURLToPath(new URL('../../desktop/bin/start.js', import.meta.url));

let dataDir: string;
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

function runStart(args: string[], env: Record<string, string | undefined>) {
  dataDir = mkdtempSync(join(tmpdir(), 'signoff-start-'));
  const childEnv: Record<string, string | undefined> = { ...process.env, SIGNOFF_URL: '', SIGNOFF_PORT: '', ...env };
  const child = spawn(process.execPath, [START, ...args, '--data-dir', dataDir], { env: childEnv as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const listening = new Promise<string>((resolve, reject) => {
    const check = () => {
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match) resolve(match[1]!);
    };
    child.stdout.on('data', check);
    void exited.then(() => reject(new Error(`start.js exited before listening:\n${stdout}\n${stderr}`)));
  });
  // Only the tests that wait for the hub look at this; the others must not see it reject.
  listening.catch(() => {});
  return { child, exited, listening, output: () => ({ stdout, stderr }) };
}

describe('npm start where Electron cannot run', () => {
  it('says why in one line, then runs the headless hub until stopped', async () => {
    // No display (as on the build machines and in CI); whether or not an Electron binary
    // was downloaded here, the tray cannot start, and start.js must say which.
    const run = runStart(['--port', '0'], { DISPLAY: undefined, WAYLAND_DISPLAY: undefined, SIGNOFF_HEADLESS: undefined });
    const url = await run.listening;
    const health = (await (await fetch(`${url}/api/v1/health`)).json()) as { ok: boolean };
    expect(health.ok).toBe(true);

    const lines = run.output().stdout.split('\n');
    expect(lines[0]).toMatch(/^Signoff: Electron cannot start here \((no Electron binary|no display: DISPLAY and WAYLAND_DISPLAY are unset)\); running the headless hub instead\.$/);
    expect(lines.filter((line) => line.startsWith('Signoff:'))).toHaveLength(1);

    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
  });

  it('runs the headless hub on request with --headless', async () => {
    const run = runStart(['--headless', '--port', '0'], { DISPLAY: ':0' });
    await run.listening;
    expect(run.output().stdout.split('\n')[0]).toBe('Signoff: running the headless hub, as asked.');
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
  });
});

describe('npm start where Electron can run', () => {
  it('launches the tray under Electron with the data dir, port and Node it needs, and exits with it', async () => {
    // A stand-in for the Electron binary (the real one cannot be downloaded here):
    // it records how it was started and exits 3.
    const fakeDist = mkdtempSync(join(tmpdir(), 'signoff-fake-electron-'));
    const record = join(fakeDist, 'launch.json');
    writeFileSync(
      join(fakeDist, 'electron'),
      `#!${process.execPath}\nrequire('node:fs').writeFileSync(${JSON.stringify(record)}, JSON.stringify({ argv: process.argv.slice(2), env: process.env }));\nprocess.exit(3);\n`,
    );
    chmodSync(join(fakeDist, 'electron'), 0o755);
    try {
      const run = runStart(['--port', '8123'], { DISPLAY: ':0', ELECTRON_OVERRIDE_DIST_PATH: fakeDist, ELECTRON_RUN_AS_NODE: '1' });
      expect(await run.exited).toBe(3);
      const launch = JSON.parse(readFileSync(record, 'utf8')) as { argv: string[]; env: Record<string, string> };
      expect(launch.argv).toEqual([fileURLToPath(new URL('../../desktop/dist/tray/main.js', import.meta.url))]);
      expect(launch.env).toMatchObject({ SIGNOFF_PORT: '8123', SIGNOFF_HOME: dataDir, SIGNOFF_NODE: process.execPath });
      expect(launch.env.ELECTRON_RUN_AS_NODE).toBeUndefined();
      expect(run.output().stdout).toBe('');
      expect(run.output().stderr).toContain('the tray exited with code 3');
    } finally {
      rmSync(fakeDist, { recursive: true, force: true });
    }
  });
});
