import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { DeviceInfo } from '@signoff/shared';
import { systemClock } from '../../hub/clock.js';
import { DB_FILE } from '../../hub/hub.js';
import { SqliteStore } from '../../hub/sqlite-store.js';
import { savedDeviceId } from '../approver-key.js';
import { resolveDataDir } from '../config.js';
import { deviceLine, deviceName } from '../device-lines.js';
import { UsageError } from '../usage-error.js';

export const devicesHelp = `signoff devices [--json] [--data-dir DIR]
signoff devices revoke ID [--data-dir DIR]

Lists the devices paired as approvers (the extension, the window, the tray, this
terminal, your scripts' tokens), one per line, its id first:
  ID  NAME  key|token  [ephemeral]  paired 3d ago  last seen 5m ago
key: it proves a device key to the hub (the project's own clients); token: a bearer
token from POST /api/v1/pair; ephemeral: a browser tab, gone when the tab is.
revoke ID revokes a device (a unique start of its id is enough): it can no longer
approve, and a running hub closes its open connections within a second.
Both read and write the data dir's database directly, with or without a running hub.
  --json          print the devices as a JSON array
  --data-dir DIR  the data dir (default SIGNOFF_HOME or ~/.signoff)
Exit: 0 done; 1 already revoked; 2 usage, no such device, or an ambiguous ID.`;

/** Opens the data dir's database; `null` when no hub ever ran there (nothing is paired). */
function openStore(dataDir: string): SqliteStore | null {
  const file = join(dataDir, DB_FILE);
  return existsSync(file) ? new SqliteStore(file) : null;
}

export function runDevices(args: string[]): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: { json: { type: 'boolean' }, 'data-dir': { type: 'string' } },
  });
  const dataDir = resolveDataDir(values['data-dir']);
  const [sub, ...rest] = positionals;
  if (sub === undefined) return listDevices(dataDir, values.json === true);
  if (sub !== 'revoke') throw new UsageError(`unknown subcommand ${JSON.stringify(sub)}: signoff devices, or signoff devices revoke ID`);
  if (rest.length !== 1 || !rest[0]) throw new UsageError('devices revoke needs exactly one device ID (see signoff devices)');
  if (values.json) throw new UsageError('--json goes with the list, not with revoke');
  return revokeDevice(dataDir, rest[0]);
}

function listDevices(dataDir: string, json: boolean): number {
  const store = openStore(dataDir);
  let devices: DeviceInfo[] = [];
  try {
    devices = store?.devices.list() ?? [];
  } finally {
    store?.close();
  }
  if (json) {
    console.log(JSON.stringify(devices, null, 2));
    return 0;
  }
  if (devices.length === 0) {
    console.log('No paired devices.');
    return 0;
  }
  const notes = new Map<string, string>();
  const terminal = savedDeviceId(dataDir);
  const tray = trayDeviceId(dataDir);
  if (terminal) notes.set(terminal, 'this terminal');
  if (tray) notes.set(tray, 'the tray');
  const width = Math.min(32, Math.max(...devices.map((d) => deviceName(d.name).length)));
  const now = systemClock.now();
  for (const device of devices) console.log(deviceLine(device, now, width, notes.get(device.id)));
  return 0;
}

function revokeDevice(dataDir: string, id: string): number {
  const store = openStore(dataDir);
  if (!store) throw new UsageError(`no device ${JSON.stringify(id)}: nothing is paired in ${dataDir}`);
  try {
    const active = store.devices.list().filter((d) => d.id.startsWith(id));
    if (active.length > 1) throw new UsageError(`${JSON.stringify(id)} starts ${active.length} devices' ids; give more of it`);
    const [device] = active;
    if (!device) {
      const revoked = store.devices.revokedIds().filter((revokedId) => revokedId.startsWith(id));
      if (revoked.length === 1) {
        console.error(`signoff devices: ${revoked[0]} is already revoked`);
        return 1;
      }
      throw new UsageError(`no device ${JSON.stringify(id)} (see signoff devices)`);
    }
    if (!store.devices.revoke(device.id, systemClock.now())) {
      console.error(`signoff devices: ${device.id} is already revoked`);
      return 1;
    }
    console.log(`Revoked ${device.id} (${deviceName(device.name)}); a running hub closes its connections within a second.`);
    return 0;
  } finally {
    store.close();
  }
}

/** The tray's device id from `tray.key`, to mark it in the list (the CLI reads only this field of the tray's file). */
function trayDeviceId(dataDir: string): string | null {
  try {
    const { deviceId } = JSON.parse(readFileSync(join(dataDir, 'tray.key'), 'utf8')) as { deviceId?: unknown };
    return typeof deviceId === 'string' ? deviceId : null;
  } catch {
    return null;
  }
}
