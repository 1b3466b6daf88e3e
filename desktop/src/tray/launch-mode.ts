import { join } from 'node:path';
import { parseArgs } from 'node:util';

/** What `npm start` does: run the tray under Electron, or the headless hub. */
export type LaunchPlan =
  | {
      mode: 'tray';
      /** The Electron executable. */
      command: string;
      args: string[];
      /** The whole environment for Electron. */
      env: Record<string, string | undefined>;
    }
  | {
      mode: 'headless';
      /** The one line `npm start` prints before running the hub. */
      message: string;
      /** Arguments for `signoff hub`. */
      hubArgs: string[];
    };

export interface LaunchInputs {
  /** Arguments after `npm start --`. */
  args: string[];
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  /** From {@link findElectronBinary}: the executable, or null when it is not on disk. */
  electronBinary: string | null;
  /** The tray's compiled entry (`desktop/dist/tray/main.js`), or null when not built. */
  trayMain: string | null;
  /** The Node that runs `npm start`: the tray uses it for the hub when Electron cannot load better-sqlite3. */
  nodePath: string;
}

const HEADLESS = (why: string) => `Signoff: Electron cannot start here (${why}); running the headless hub instead.`;

/** Platforms where a GUI needs an X11 or Wayland display. */
const NEEDS_DISPLAY = new Set<NodeJS.Platform>(['linux', 'freebsd', 'openbsd', 'netbsd']);

/**
 * Decides how `npm start` runs. The tray needs an Electron binary on disk (it is
 * downloaded lazily, so a fresh install may lack it), a display on Linux and BSD,
 * and a built tray; anything else runs the headless hub with one line saying why.
 * `--headless` or `SIGNOFF_HEADLESS=1` asks for the hub on purpose. `--port` and
 * `--data-dir` reach the tray as `SIGNOFF_PORT` and `SIGNOFF_HOME`.
 */
export function planLaunch(inputs: LaunchInputs): LaunchPlan {
  const { args, env } = inputs;
  let flags: { port?: string; 'data-dir'?: string; host?: string; headless?: boolean };
  try {
    flags = parseArgs({
      args,
      options: { port: { type: 'string' }, 'data-dir': { type: 'string' }, host: { type: 'string' }, headless: { type: 'boolean' } },
      strict: true,
    }).values;
  } catch {
    // Let `signoff hub` name what is wrong with them.
    return { mode: 'headless', message: 'Signoff: running the headless hub (the tray does not take these arguments).', hubArgs: args };
  }
  const hubArgs = args.filter((arg) => arg !== '--headless');
  if (flags.headless || env.SIGNOFF_HEADLESS === '1') return { mode: 'headless', message: 'Signoff: running the headless hub, as asked.', hubArgs };
  if (flags.host !== undefined) return { mode: 'headless', message: 'Signoff: running the headless hub (--host: the tray listens on 127.0.0.1 only).', hubArgs };
  if (!inputs.electronBinary) return { mode: 'headless', message: HEADLESS('no Electron binary'), hubArgs };
  if (NEEDS_DISPLAY.has(inputs.platform) && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return { mode: 'headless', message: HEADLESS('no display: DISPLAY and WAYLAND_DISPLAY are unset'), hubArgs };
  }
  if (!inputs.trayMain) return { mode: 'headless', message: HEADLESS('the tray is not built; run `npm run build`'), hubArgs };

  const trayEnv: Record<string, string | undefined> = { ...env, SIGNOFF_NODE: inputs.nodePath };
  // Set by some tools for their own children; Electron would run as plain Node.
  delete trayEnv.ELECTRON_RUN_AS_NODE;
  if (flags.port !== undefined) trayEnv.SIGNOFF_PORT = flags.port;
  if (flags['data-dir'] !== undefined) trayEnv.SIGNOFF_HOME = flags['data-dir'];
  return { mode: 'tray', command: inputs.electronBinary, args: [inputs.trayMain], env: trayEnv };
}

/**
 * Where the `electron` package keeps its executable, if it is there. This mirrors the
 * package's `index.js` without calling it: in plain Node, `require('electron')` tries
 * to download a missing binary, which hangs or fails without internet.
 */
export function findElectronBinary(options: {
  /** The `electron` package's directory, or null when it is not installed. */
  packageDir: string | null;
  env: Record<string, string | undefined>;
  exists: (path: string) => boolean;
  readFile: (path: string) => string;
}): string | null {
  const { packageDir, env, exists, readFile } = options;
  if (!packageDir) return null;
  const pathFile = join(packageDir, 'path.txt');
  const executable = exists(pathFile) ? readFile(pathFile).trim() : '';
  let binary: string;
  if (env.ELECTRON_OVERRIDE_DIST_PATH) binary = join(env.ELECTRON_OVERRIDE_DIST_PATH, executable || 'electron');
  else if (executable) binary = join(packageDir, 'dist', executable);
  else return null;
  return exists(binary) ? binary : null;
}
