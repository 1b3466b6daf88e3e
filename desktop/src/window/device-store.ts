import type { KeptDevice, PairedDevice } from '@signoff/shared/approver';
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

/**
 * The window's IndexedDB, used only at an https public origin (see `keepsDevice`): the
 * phone's paired device, so an installed app stays paired across opens. The key is a
 * non-extractable CryptoKey: scripts of this origin can sign with it, none can read it out.
 */

export const WINDOW_DB_NAME = 'signoff-window';
export const WINDOW_DB_VERSION = 1;

/** The one device this origin keeps: its key, the hub key it pinned, and the origin it paired at (used only there). */
export type StoredDevice = KeptDevice;

export interface WindowDB extends DBSchema {
  device: { key: 'current'; value: StoredDevice };
}

/** One schema step, run inside the version change; step N takes version N to N + 1. Never edit a shipped step: add one. */
export type WindowUpgradeStep = (db: IDBPDatabase<WindowDB>) => void;

export const WINDOW_UPGRADES: readonly WindowUpgradeStep[] = [
  // 0 → 1: the paired device.
  (db) => {
    db.createObjectStore('device', { keyPath: 'slot' });
  },
];

/** Opens (and upgrades) the window's database. `name` and `version` are for tests. */
export function openWindowDB(name = WINDOW_DB_NAME, version = WINDOW_DB_VERSION): Promise<IDBPDatabase<WindowDB>> {
  return openDB<WindowDB>(name, version, {
    upgrade(db, oldVersion, newVersion) {
      for (let v = oldVersion; v < (newVersion ?? version); v++) WINDOW_UPGRADES[v]!(db);
    },
  });
}

/** The kept device: read at start, written after pairing, deleted by "Forget this device" and when the hub refuses it. */
export class DeviceStore {
  constructor(private readonly name = WINDOW_DB_NAME) {}

  /** The device paired at `hubUrl`, if one is kept; a device from another origin is never offered. */
  async load(hubUrl: string): Promise<PairedDevice | null> {
    const db = await openWindowDB(this.name);
    try {
      const row = await db.get('device', 'current');
      if (!row || row.hubUrl !== hubUrl) return null;
      return { deviceId: row.deviceId, privateKey: row.privateKey, hubPublicKey: row.hubPublicKey, hubFingerprint: row.hubFingerprint, hubUrl: row.hubUrl };
    } finally {
      db.close();
    }
  }

  /** Keeps `device` (replacing any earlier one). */
  async save(device: PairedDevice, name: string, now = Date.now()): Promise<void> {
    const db = await openWindowDB(this.name);
    try {
      await db.put('device', {
        slot: 'current',
        deviceId: device.deviceId,
        privateKey: device.privateKey,
        hubPublicKey: device.hubPublicKey,
        hubFingerprint: device.hubFingerprint,
        hubUrl: device.hubUrl,
        name,
        pairedAt: now,
      });
    } finally {
      db.close();
    }
  }

  /** Deletes the kept device (its key with it). */
  async forget(): Promise<void> {
    const db = await openWindowDB(this.name);
    try {
      await db.delete('device', 'current');
    } finally {
      db.close();
    }
  }
}
