import { browser } from 'wxt/browser';
import type { MessageMap, MessageType } from './messages.js';

/** Sends a typed message to the background worker (waking it) and returns its typed reply. */
export function sendMessage<K extends MessageType>(type: K, payload: MessageMap[K]['payload']): Promise<MessageMap[K]['reply']> {
  return browser.runtime.sendMessage({ type, payload }) as Promise<MessageMap[K]['reply']>;
}
