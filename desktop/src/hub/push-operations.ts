import {
  ErrorCode,
  PushSubscribeSchema,
  PushUnsubscribeSchema,
  SignoffError,
  validate,
  type PushKey,
  type PushSubscribed,
} from '@signoff/shared';
import type { z } from 'zod';
import type { Identity } from './auth.js';
import type { RequestStore } from './request-store.js';

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = validate(schema, input);
  if (!result.ok) throw new SignoffError(result.error.code, result.error.message, result.error.details);
  return result.data;
}

/** The paired, unrevoked device an approver call comes from; push subscriptions belong to one. */
function requireDevice(identity: Identity, devices: RequestStore['devices']): string {
  if (identity.role !== 'approver') throw new SignoffError(ErrorCode.forbidden, 'this needs the approver role; you are an agent');
  if (identity.deviceId === undefined) throw new SignoffError(ErrorCode.forbidden, 'push subscriptions belong to a paired device; this connection has none');
  if (!devices.isActive(identity.deviceId)) throw new SignoffError(ErrorCode.unauthorized, 'this device was revoked; pair it again');
  return identity.deviceId;
}

/**
 * `push:key`, `push:subscribe`, `push:unsubscribe` and their REST routes, with their
 * validation and role rule, shared by both transports. Approvers only: agents never learn
 * where the person's notifications go, and cannot add places for the hub to send to.
 */
export class PushOperations {
  constructor(
    private readonly store: Pick<RequestStore, 'push' | 'devices'>,
    private readonly vapidPublicKey: string,
    /** Whether pushes can be sent now (the hub knows its public URL). */
    private readonly sending: () => boolean,
    private readonly now: () => number,
  ) {}

  key(identity: Identity): PushKey {
    if (identity.role !== 'approver') throw new SignoffError(ErrorCode.forbidden, 'this needs the approver role; you are an agent');
    return { publicKey: this.vapidPublicKey, sending: this.sending() };
  }

  subscribe(identity: Identity, payload: unknown): PushSubscribed {
    const deviceId = requireDevice(identity, this.store.devices);
    const { subscription } = parse(PushSubscribeSchema, payload);
    return { endpoint: subscription.endpoint, created: this.store.push.subscribe(deviceId, subscription, this.now()) };
  }

  unsubscribe(identity: Identity, payload: unknown): { removed: boolean } {
    const deviceId = requireDevice(identity, this.store.devices);
    const { endpoint } = parse(PushUnsubscribeSchema, payload);
    return { removed: this.store.push.unsubscribe(deviceId, endpoint) };
  }
}
