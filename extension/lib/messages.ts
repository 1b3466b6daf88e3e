import type { AnyResponse } from '@signoff/shared';

/**
 * The one message contract between the popup / options pages and the background
 * worker: each message type with its payload and its typed reply.
 */

/**
 * The worker's link to the hub: the shared connection's states, plus `unpaired`.
 * `impostor`: something else answers at the hub's address; nothing is sent to it and the
 * outbox keeps the person's decisions until the real hub is back.
 */
export type ConnectionState = 'connected' | 'connecting' | 'offline' | 'unpaired' | 'rejected' | 'impostor';

export interface ConnectionStatus {
  state: ConnectionState;
  hubUrl: string;
  /** Plain words for the person: what is wrong and what to do. */
  detail: string;
  /** Approver surfaces connected to the hub, as the hub reports them. */
  surfaces: Record<string, number>;
  /** The paired device and the fingerprint of the hub key it pinned; null when unpaired. */
  device: { id: string; hubFingerprint: string } | null;
}

export type SubmitReply =
  | { ok: true; queued: false }
  | { ok: true; queued: true }
  | { ok: false; message: string };

export type PairReply = { ok: true } | { ok: false; message: string };

/** `revoked`: the hub no longer accepts this browser; false when only the local key was forgotten. */
export type UnpairReply = { ok: true; revoked: boolean; message: string };

export interface MessageMap {
  'connection:status': { payload: Record<string, never>; reply: ConnectionStatus };
  'decision:submit': { payload: { id: string; response: AnyResponse }; reply: SubmitReply };
  'pairing:pair': { payload: { hubUrl: string; code: string }; reply: PairReply };
  'pairing:unpair': { payload: Record<string, never>; reply: UnpairReply };
  'notice:dismiss': { payload: { id: string }; reply: { ok: true } };
}

export type MessageType = keyof MessageMap;
export type Message = { [K in MessageType]: { type: K; payload: MessageMap[K]['payload'] } }[MessageType];

/** Broadcast by the worker whenever IndexedDB or the connection changed: pages re-read. */
export const CHANGED = 'signoff:changed';

/** Handlers for every message, checked for completeness by the compiler. */
export type Handlers = { [K in MessageType]: (payload: MessageMap[K]['payload']) => Promise<MessageMap[K]['reply']> };

export function isMessage(value: unknown): value is Message {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
