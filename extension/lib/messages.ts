import type { AnyResponse, Grant } from '@signoff/shared';

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

/** The hub's "always allow" grants, or why they could not be listed (not connected, refused). */
export type GrantsReply = { ok: true; grants: Grant[] } | { ok: false; message: string };

/** `revoked: false`: the hub had no such grant any more (revoked elsewhere, expired). */
export type RevokeGrantReply = { ok: true; revoked: boolean } | { ok: false; message: string };

export interface MessageMap {
  'connection:status': { payload: Record<string, never>; reply: ConnectionStatus };
  'decision:submit': { payload: { id: string; response: AnyResponse }; reply: SubmitReply };
  'pairing:pair': { payload: { hubUrl: string; code: string }; reply: PairReply };
  'pairing:unpair': { payload: Record<string, never>; reply: UnpairReply };
  'notice:dismiss': { payload: { id: string }; reply: { ok: true } };
  /** Asked by the popup's "Allowed" list; the worker's `CHANGED` after `grants:changed` says to ask again. */
  'grants:list': { payload: Record<string, never>; reply: GrantsReply };
  'grants:revoke': { payload: { id: string }; reply: RevokeGrantReply };
}

export type MessageType = keyof MessageMap;
export type Message = { [K in MessageType]: { type: K; payload: MessageMap[K]['payload'] } }[MessageType];

/**
 * What the worker answers when it cannot give a message's own reply: a type it does not
 * know, a message it cannot read, or a handler that failed. Every message can get it.
 */
export type FailureReply = { ok: false; message: string };

/** The reply a page gets for a message of type `K`. */
export type Reply<K extends MessageType> = MessageMap[K]['reply'] | FailureReply;

/** True when the worker could not give a message its own reply (or the reply is a refusal of the same shape). */
export function isFailure<R>(reply: R | FailureReply): reply is FailureReply {
  return typeof reply === 'object' && reply !== null && 'ok' in reply && reply.ok === false;
}

/** Broadcast by the worker whenever IndexedDB or the connection changed: pages re-read. */
export const CHANGED = 'signoff:changed';

export type ChangedBroadcast = { type: typeof CHANGED };

/** True for the worker's {@link CHANGED} broadcast (pages ignore every other message). */
export function isChangedBroadcast(message: unknown): message is ChangedBroadcast {
  return typeof message === 'object' && message !== null && 'type' in message && message.type === CHANGED;
}

/** Handlers for every message, checked for completeness by the compiler. */
export type Handlers = { [K in MessageType]: (payload: MessageMap[K]['payload']) => Promise<MessageMap[K]['reply']> };

/** A listener for `runtime.onMessage`, in the shape WebExtensions and Chrome both call. */
export type MessageListener = (message: unknown, sender: unknown, sendResponse: (reply: unknown) => void) => boolean;

/** True for a message of a type `handlers` knows, with an object payload. */
export function isMessage(value: unknown, handlers: Handlers): value is Message {
  if (typeof value !== 'object' || value === null || !('type' in value) || !('payload' in value)) return false;
  const { type, payload } = value;
  return typeof type === 'string' && Object.hasOwn(handlers, type) && typeof payload === 'object' && payload !== null;
}

/** Runs `type`'s handler; generic, so the compiler pairs the payload with its handler. */
function run<K extends MessageType>(handlers: Handlers, type: K, payload: MessageMap[K]['payload']): Promise<MessageMap[K]['reply']> {
  return handlers[type](payload);
}

/** Names what a page sent, for a reply that says it cannot be handled (never its payload). */
function nameOf(message: unknown): string {
  const type = typeof message === 'object' && message !== null && 'type' in message ? message.type : undefined;
  return typeof type === 'string' ? `a message of type "${type.slice(0, 80)}"` : 'a message without a type';
}

/**
 * The worker's `runtime.onMessage` listener. It answers every message, and never throws:
 * a known message gets its handler's reply; an unknown type, a message that is not one
 * (no type, no payload object) and a failing handler get a {@link FailureReply}. `failed`
 * hears of a handler's error (the reply carries only a fixed sentence, never the error).
 */
export function createMessageListener(handlers: Handlers, failed: (type: MessageType, error: unknown) => void): MessageListener {
  return (message, _sender, sendResponse) => {
    if (!isMessage(message, handlers)) {
      const reply: FailureReply = { ok: false, message: `The extension’s background worker cannot handle ${nameOf(message)}.` };
      sendResponse(reply);
      return false;
    }
    const internal: FailureReply = { ok: false, message: 'The extension hit an internal error; see its service worker log.' };
    // A handler that throws before its first await is caught here too: it is called inside `then`.
    Promise.resolve()
      .then(() => run(handlers, message.type, message.payload))
      .then(sendResponse, (error: unknown) => {
        failed(message.type, error);
        sendResponse(internal);
      });
    return true; // the reply comes asynchronously
  };
}
