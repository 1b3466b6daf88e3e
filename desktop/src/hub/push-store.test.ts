import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from './sqlite-store.js';

let store: SqliteStore;
beforeEach(() => {
  store = new SqliteStore(':memory:');
});
afterEach(() => store.close());

const sub = (n: number, auth = 'a'.repeat(22)) => ({ endpoint: `https://push.example/${n}`, keys: { p256dh: `B${'x'.repeat(86)}`, auth } });
const device = (name: string, ephemeral = false) => store.devices.add({ name, tokenHash: `hash-${name}`, ephemeral }, 1).id;

describe('push subscriptions (store.push)', () => {
  it('registers, refreshes keys, and moves an endpoint that another device had', () => {
    const phone = device('phone');
    const laptop = device('laptop');
    expect(store.push.subscribe(phone, sub(1), 10)).toBe(true);
    expect(store.push.subscribe(phone, sub(1, 'b'.repeat(22)), 11)).toBe(false);
    expect(store.push.targets()).toEqual([{ endpoint: 'https://push.example/1', deviceId: phone, p256dh: `B${'x'.repeat(86)}`, auth: 'b'.repeat(22) }]);
    expect(store.push.subscribe(laptop, sub(1), 12)).toBe(true);
    expect(store.push.endpointsOf(phone)).toEqual([]);
    expect(store.push.endpointsOf(laptop)).toEqual(['https://push.example/1']);
  });

  it('holds at most five per device', () => {
    const phone = device('phone');
    for (let n = 0; n < 5; n += 1) store.push.subscribe(phone, sub(n), n);
    expect(() => store.push.subscribe(phone, sub(9), 9)).toThrow(/already has 5 push subscriptions/);
    expect(store.push.endpointsOf(phone)).toHaveLength(5);
  });

  it('removes a device’s own endpoint only, and one the push service says is gone', () => {
    const phone = device('phone');
    const laptop = device('laptop');
    store.push.subscribe(phone, sub(1), 1);
    store.push.subscribe(phone, sub(2), 2);
    expect(store.push.unsubscribe(laptop, 'https://push.example/1')).toBe(false);
    expect(store.push.unsubscribe(phone, 'https://push.example/1')).toBe(true);
    store.push.drop('https://push.example/2');
    expect(store.push.targets()).toEqual([]);
  });

  it('go with their device when it is revoked, by hand or as a gone browser tab', () => {
    const phone = device('phone');
    const tab = device('tab', true);
    const other = device('other');
    store.push.subscribe(phone, sub(1), 1);
    store.push.subscribe(tab, sub(2), 1);
    store.push.subscribe(other, sub(3), 1);
    expect(store.devices.revoke(phone, 5)).toBe(true);
    // The hub's sweep revokes stale ephemeral devices through the same call.
    for (const id of store.devices.staleEphemeral(100)) store.devices.revoke(id, 100);
    expect(store.push.endpointsOf(phone)).toEqual([]);
    expect(store.push.endpointsOf(tab)).toEqual([]);
    expect(store.push.targets().map((t) => t.endpoint)).toEqual(['https://push.example/3']);
    expect(store.devices.revoke(phone, 6)).toBe(false);
  });
});
