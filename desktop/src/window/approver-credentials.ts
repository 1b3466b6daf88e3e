import type { DesktopBridge } from './desktop-bridge.js';

/** The approver surface this page announces in its handshake: `tray` inside the tray app, else `window`. */
export type WindowSurface = 'window' | 'tray';

/** The name a pairing from this page records at the hub (shown as "by Browser window via socket"). */
export const PAIRING_NAMES: Readonly<Record<WindowSurface, string>> = { window: 'Browser window', tray: 'Tray window' };

/** localStorage key of the approver token; the hub's origin is the only one that can read it. */
export const TOKEN_KEY = 'signoff:approver-token';

/** Keeps this page's approver token. */
export interface TokenStore {
  get(): string | null;
  set(token: string): void;
  clear(): void;
}

/**
 * A {@link TokenStore} over `localStorage` (of the hub's origin). Storage that throws
 * (disabled, full, a private mode) behaves as empty: the person pairs again.
 */
export function localTokenStore(storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>): TokenStore {
  return {
    get() {
      try {
        const token = storage.getItem(TOKEN_KEY);
        return token && token.trim() ? token : null;
      } catch {
        return null;
      }
    },
    set(token) {
      try {
        storage.setItem(TOKEN_KEY, token);
      } catch {
        // Kept for this page's life only; the next load asks to pair again.
      }
    },
    clear() {
      try {
        storage.removeItem(TOKEN_KEY);
      } catch {
        // Nothing stored, nothing to forget.
      }
    },
  };
}

/** A token and where it came from: the tray's bridge, or a pairing made in this page. */
export interface Credentials {
  token: string;
  surface: WindowSurface;
  source: 'bridge' | 'storage';
}

/** What {@link loadCredentials} found: credentials, or none (pair by code) with why, when something failed. */
export type CredentialsLookup = { credentials: Credentials } | { credentials: null; problem: string | null };

/**
 * Finds this page's approver token. In the tray app its bridge hands one over
 * (surface `tray`); if the bridge fails, a token paired by code earlier still works.
 * In a browser, the token paired by code and kept in localStorage (surface `window`).
 */
export async function loadCredentials(bridge: DesktopBridge | null, store: TokenStore): Promise<CredentialsLookup> {
  const surface: WindowSurface = bridge ? 'tray' : 'window';
  let problem: string | null = null;
  if (bridge) {
    try {
      const token = await bridge.getApproverToken();
      if (typeof token === 'string' && token.trim()) return { credentials: { token, surface, source: 'bridge' } };
      problem = 'The tray app gave this window no token.';
    } catch (error) {
      problem = `The tray app could not pair this window: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  const stored = store.get();
  return stored ? { credentials: { token: stored, surface, source: 'storage' } } : { credentials: null, problem };
}
