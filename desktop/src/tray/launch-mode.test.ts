import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findElectronBinary, planLaunch, type LaunchInputs } from './launch-mode.js';

const desktop: LaunchInputs = {
  args: [],
  env: { DISPLAY: ':0', PATH: '/usr/bin' },
  platform: 'linux',
  electronBinary: '/repo/node_modules/electron/dist/electron',
  trayMain: '/repo/desktop/dist/tray/main.js',
  nodePath: '/usr/bin/node',
};

describe('planLaunch', () => {
  it('runs the tray under Electron on a desktop, handing it the Node for the hub', () => {
    expect(planLaunch(desktop)).toEqual({
      mode: 'tray',
      command: '/repo/node_modules/electron/dist/electron',
      args: ['/repo/desktop/dist/tray/main.js'],
      env: { DISPLAY: ':0', PATH: '/usr/bin', SIGNOFF_NODE: '/usr/bin/node' },
    });
  });

  it('says in one line why it runs the headless hub instead', () => {
    const cases: [Partial<LaunchInputs>, string][] = [
      [{ electronBinary: null }, 'Signoff: Electron cannot start here (no Electron binary); running the headless hub instead.'],
      [{ env: {} }, 'Signoff: Electron cannot start here (no display: DISPLAY and WAYLAND_DISPLAY are unset); running the headless hub instead.'],
      [{ trayMain: null }, 'Signoff: Electron cannot start here (the tray is not built; run `npm run build`); running the headless hub instead.'],
    ];
    for (const [change, message] of cases) {
      const plan = planLaunch({ ...desktop, ...change });
      expect(plan).toEqual({ mode: 'headless', message, hubArgs: [] });
      expect(message).not.toContain('\n');
    }
  });

  it('on Linux, Wayland counts as a display', () => {
    expect(planLaunch({ ...desktop, env: { WAYLAND_DISPLAY: 'wayland-0' } }).mode).toBe('tray');
  });

  it('needs no DISPLAY on macOS and Windows', () => {
    expect(planLaunch({ ...desktop, env: {}, platform: 'darwin' }).mode).toBe('tray');
    expect(planLaunch({ ...desktop, env: {}, platform: 'win32' }).mode).toBe('tray');
  });

  it('runs the hub when asked to with --headless or SIGNOFF_HEADLESS=1, passing the other arguments on', () => {
    expect(planLaunch({ ...desktop, args: ['--headless', '--port', '8100'] })).toEqual({
      mode: 'headless',
      message: 'Signoff: running the headless hub, as asked.',
      hubArgs: ['--port', '8100'],
    });
    expect(planLaunch({ ...desktop, env: { ...desktop.env, SIGNOFF_HEADLESS: '1' } }).mode).toBe('headless');
  });

  it('gives the tray --port and --data-dir as SIGNOFF_PORT and SIGNOFF_HOME', () => {
    const plan = planLaunch({ ...desktop, args: ['--port', '8100', '--data-dir', '/tmp/so'] });
    expect(plan).toMatchObject({ mode: 'tray', env: { SIGNOFF_PORT: '8100', SIGNOFF_HOME: '/tmp/so' } });
  });

  it('keeps --host for the headless hub: the tray listens on 127.0.0.1 only', () => {
    const plan = planLaunch({ ...desktop, args: ['--host', '0.0.0.0'] });
    expect(plan).toMatchObject({ mode: 'headless', hubArgs: ['--host', '0.0.0.0'] });
  });

  it('leaves arguments it does not know to `signoff hub`, which names the problem', () => {
    expect(planLaunch({ ...desktop, args: ['--prot', '1'] })).toMatchObject({ mode: 'headless', hubArgs: ['--prot', '1'] });
  });

  it('never lets ELECTRON_RUN_AS_NODE turn the tray into plain Node', () => {
    const plan = planLaunch({ ...desktop, env: { ...desktop.env, ELECTRON_RUN_AS_NODE: '1' } });
    expect(plan.mode === 'tray' && 'ELECTRON_RUN_AS_NODE' in plan.env).toBe(false);
  });
});

describe('findElectronBinary', () => {
  let dir: string;
  const fs = { exists: existsSync, readFile: (path: string) => readFileSync(path, 'utf8') };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'signoff-electron-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is null when the package is not installed', () => {
    expect(findElectronBinary({ packageDir: null, env: {}, ...fs })).toBeNull();
  });

  it('is null when the binary was never downloaded (no path.txt), as on the build machines', () => {
    expect(findElectronBinary({ packageDir: dir, env: {}, ...fs })).toBeNull();
  });

  it('is null when path.txt names a binary that is not there', () => {
    writeFileSync(join(dir, 'path.txt'), 'electron');
    expect(findElectronBinary({ packageDir: dir, env: {}, ...fs })).toBeNull();
  });

  it('finds the downloaded binary under dist/', () => {
    writeFileSync(join(dir, 'path.txt'), 'electron');
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', 'electron'), '');
    chmodSync(join(dir, 'dist', 'electron'), 0o755);
    expect(findElectronBinary({ packageDir: dir, env: {}, ...fs })).toBe(join(dir, 'dist', 'electron'));
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH like the electron package does', () => {
    const override = join(dir, 'custom');
    mkdirSync(override);
    writeFileSync(join(override, 'electron'), '');
    expect(findElectronBinary({ packageDir: dir, env: { ELECTRON_OVERRIDE_DIST_PATH: override }, ...fs })).toBe(join(override, 'electron'));
  });
});
