import { toError } from '@signoff/shared';
import { browser } from 'wxt/browser';
import type { FailureReply, Message, MessageMap, MessageType, Reply } from './messages.js';

/**
 * Sends a typed message to the background worker (waking it) and resolves with its typed
 * reply, or with a {@link FailureReply} when the worker could not handle it or could not
 * be reached. Never rejects.
 */
export function sendMessage<K extends MessageType>(type: K, payload: MessageMap[K]['payload']): Promise<Reply<K>> {
  // The pair is a `Message` whatever K is; the compiler cannot see that through the generic.
  const message = { type, payload } as Message;
  return browser.runtime.sendMessage<Message, Reply<K>>(message).catch(
    (error: unknown): FailureReply => ({ ok: false, message: `The extension’s background worker did not answer: ${toError(error).message}` }),
  );
}
