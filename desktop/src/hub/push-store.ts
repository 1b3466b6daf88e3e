import type Database from 'better-sqlite3';
import { ErrorCode, MAX_PUSH_SUBSCRIPTIONS_PER_DEVICE, SignoffError, type PushSubscriptionData } from '@signoff/shared';

/** A stored Web Push subscription: where to send, and the keys to encrypt for. */
export interface PushTarget {
  endpoint: string;
  deviceId: string;
  /** Base64url, unpadded. */
  p256dh: string;
  auth: string;
}

interface PushRow {
  endpoint: string;
  device_id: string;
  p256dh: string;
  auth: string;
}

/**
 * Web Push subscriptions of paired devices (the `push_subscriptions` table). Devices are
 * revoked rather than deleted, so {@link DeviceStore.revoke} removes their subscriptions in
 * the same transaction; {@link targets} reads only those of active devices besides.
 */
export class PushSubscriptions {
  private readonly stmt;
  private readonly upsert: (deviceId: string, subscription: PushSubscriptionData, now: number) => boolean;

  constructor(db: Database.Database) {
    this.stmt = {
      owner: db.prepare(`SELECT device_id FROM push_subscriptions WHERE endpoint = ?`).pluck(),
      count: db.prepare(`SELECT count(*) FROM push_subscriptions WHERE device_id = ?`).pluck(),
      insert: db.prepare(`INSERT INTO push_subscriptions (endpoint, device_id, p256dh, auth, created_at) VALUES (?, ?, ?, ?, ?)`),
      refresh: db.prepare(`UPDATE push_subscriptions SET p256dh = ?, auth = ? WHERE endpoint = ?`),
      remove: db.prepare(`DELETE FROM push_subscriptions WHERE endpoint = ? AND device_id = ?`),
      drop: db.prepare(`DELETE FROM push_subscriptions WHERE endpoint = ?`),
      ok: db.prepare(`UPDATE push_subscriptions SET last_ok_at = ? WHERE endpoint = ?`),
      targets: db.prepare(`SELECT s.endpoint, s.device_id, s.p256dh, s.auth FROM push_subscriptions s
        JOIN approvers a ON a.id = s.device_id WHERE a.revoked_at IS NULL ORDER BY s.created_at, s.endpoint`),
      ofDevice: db.prepare(`SELECT endpoint FROM push_subscriptions WHERE device_id = ? ORDER BY created_at, endpoint`).pluck(),
    };
    this.upsert = db.transaction((deviceId: string, subscription: PushSubscriptionData, now: number): boolean => {
      const { endpoint, keys } = subscription;
      const owner = this.stmt.owner.get(endpoint) as string | undefined;
      if (owner === deviceId) {
        this.stmt.refresh.run(keys.p256dh, keys.auth, endpoint);
        return false;
      }
      // Another device's endpoint (the same browser paired again): it moves to this device.
      if (owner !== undefined) this.stmt.drop.run(endpoint);
      if ((this.stmt.count.get(deviceId) as number) >= MAX_PUSH_SUBSCRIPTIONS_PER_DEVICE) {
        throw new SignoffError(
          ErrorCode.conflict,
          `subscription: this device already has ${MAX_PUSH_SUBSCRIPTIONS_PER_DEVICE} push subscriptions; unsubscribe one first`,
        );
      }
      this.stmt.insert.run(endpoint, deviceId, keys.p256dh, keys.auth, now);
      return true;
    });
  }

  /** Registers (or refreshes) a device's subscription; true when it is new for that device. */
  subscribe(deviceId: string, subscription: PushSubscriptionData, now: number): boolean {
    return this.upsert(deviceId, subscription, now);
  }

  /** Removes one of the device's own subscriptions; false when it had no such endpoint. */
  unsubscribe(deviceId: string, endpoint: string): boolean {
    return this.stmt.remove.run(endpoint, deviceId).changes > 0;
  }

  /** Removes a subscription the push service says is gone (404, 410). */
  drop(endpoint: string): void {
    this.stmt.drop.run(endpoint);
  }

  /** Notes a delivery the push service accepted. */
  delivered(endpoint: string, now: number): void {
    this.stmt.ok.run(now, endpoint);
  }

  /** Every subscription of an active device, oldest first. */
  targets(): PushTarget[] {
    return (this.stmt.targets.all() as PushRow[]).map((row) => ({ endpoint: row.endpoint, deviceId: row.device_id, p256dh: row.p256dh, auth: row.auth }));
  }

  /** A device's endpoints, oldest first. */
  endpointsOf(deviceId: string): string[] {
    return this.stmt.ofDevice.all(deviceId) as string[];
  }
}
