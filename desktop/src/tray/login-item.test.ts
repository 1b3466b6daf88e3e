import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUTOSTART_FILE_NAME, autostartEntry, autostartFile, quoteExec, setLinuxAutostart } from './login-item.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'signoff-autostart-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('Linux "Start at login"', () => {
  it('lives in $XDG_CONFIG_HOME/autostart, else ~/.config/autostart', () => {
    expect(autostartFile({ XDG_CONFIG_HOME: '/cfg' }, '/home/ada')).toBe(join('/cfg', 'autostart', AUTOSTART_FILE_NAME));
    expect(autostartFile({}, '/home/ada')).toBe(join('/home/ada', '.config', 'autostart', AUTOSTART_FILE_NAME));
  });

  it('writes a desktop entry that starts the app, and removes it again', () => {
    const file = autostartFile({ XDG_CONFIG_HOME: dir }, '/unused');
    setLinuxAutostart(true, { file, exec: '/opt/Signoff/signoff-tray' });
    expect(readFileSync(file, 'utf8')).toBe(autostartEntry('/opt/Signoff/signoff-tray'));
    expect(readFileSync(file, 'utf8')).toContain('\nExec=/opt/Signoff/signoff-tray\n');
    expect(statSync(file).mode & 0o777).toBe(0o644);
    setLinuxAutostart(false, { file, exec: '/opt/Signoff/signoff-tray' });
    expect(existsSync(file)).toBe(false);
    // Turning it off twice is fine.
    setLinuxAutostart(false, { file, exec: '/opt/Signoff/signoff-tray' });
  });

  it('quotes a path with spaces or reserved characters as the desktop entry spec asks', () => {
    expect(quoteExec('/home/ada/Apps/Signoff.AppImage')).toBe('/home/ada/Apps/Signoff.AppImage');
    expect(quoteExec('/home/ada/My Apps/Signoff.AppImage')).toBe('"/home/ada/My Apps/Signoff.AppImage"');
    // `$` takes a backslash inside the quotes, and the key's string escaping doubles it.
    expect(quoteExec('/opt/a$b "c"')).toBe('"/opt/a\\\\$b \\\\"c\\\\""');
  });
});
