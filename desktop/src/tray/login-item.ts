import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from './settings.js';

/**
 * "Start at login" on Linux. Electron's `app.setLoginItemSettings` covers macOS and
 * Windows only; freedesktop desktops start what `~/.config/autostart/*.desktop` names
 * (https://specifications.freedesktop.org/autostart-spec/latest/).
 */

export const AUTOSTART_FILE_NAME = 'dev.signoff.app.desktop';

/** `$XDG_CONFIG_HOME/autostart/…`, else `~/.config/autostart/…`. */
export function autostartFile(env: Record<string, string | undefined>, home: string): string {
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'autostart', AUTOSTART_FILE_NAME);
}

/** The desktop entry that starts `exec` at login. */
export function autostartEntry(exec: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Signoff',
    'Comment=Sign-off desk for AI agents',
    `Exec=${quoteExec(exec)}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/**
 * Quotes a program path for `Exec=` (desktop entry spec, "The Exec key"): inside
 * double quotes, `"`, `` ` ``, `$` and `\` take a backslash, and the key's own
 * string escaping doubles every backslash again.
 */
export function quoteExec(path: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(path)) return path;
  const quoted = `"${path.replace(/(["`$\\])/g, '\\$1')}"`;
  return quoted.replace(/\\/g, '\\\\');
}

/** Writes or removes the autostart entry. */
export function setLinuxAutostart(enabled: boolean, options: { file: string; exec: string }): void {
  if (!enabled) {
    rmSync(options.file, { force: true });
    return;
  }
  mkdirSync(dirname(options.file), { recursive: true });
  writeFileAtomic(options.file, autostartEntry(options.exec), 0o644);
}
