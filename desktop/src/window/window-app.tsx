import { useEffect, useState } from 'preact/hooks';
import { loadCredentials, type Credentials, type TokenStore } from './approver-credentials.js';
import { ConnectedWindow } from './connected-window.js';
import type { DesktopBridge } from './desktop-bridge.js';
import { PairingScreen } from './pairing-screen.js';

/** Props of {@link WindowApp}, from the page's URL and environment. */
export interface WindowAppProps {
  /** The hub's origin: the page's own (`location.origin`). */
  baseUrl: string;
  /** The tray app's bridge, or `null` in a browser. */
  bridge: DesktopBridge | null;
  tokens: TokenStore;
  /** `?request=ID`: open this request at start. */
  initialRequestId: string | undefined;
}

type Phase = { step: 'loading' } | { step: 'pairing'; reason: string | null } | { step: 'ready'; credentials: Credentials };

/**
 * The approval window: finds its approver token (the tray's bridge, or one paired
 * here earlier), else asks for a pairing code; then the queue and dashboard.
 */
export function WindowApp({ baseUrl, bridge, tokens, initialRequestId }: WindowAppProps) {
  const [phase, setPhase] = useState<Phase>({ step: 'loading' });
  const surface = bridge ? 'tray' : 'window';

  useEffect(() => {
    let live = true;
    void loadCredentials(bridge, tokens).then((lookup) => {
      if (!live) return;
      setPhase(lookup.credentials ? { step: 'ready', credentials: lookup.credentials } : { step: 'pairing', reason: lookup.problem });
    });
    return () => {
      live = false;
    };
  }, [bridge, tokens]);

  switch (phase.step) {
    case 'loading':
      return (
        <main class="so-app sw-pairing">
          <p class="sw-muted" role="status">
            Connecting to the hub…
          </p>
        </main>
      );
    case 'pairing':
      return (
        <PairingScreen
          baseUrl={baseUrl}
          surface={surface}
          reason={phase.reason}
          onPaired={(token) => {
            tokens.set(token);
            setPhase({ step: 'ready', credentials: { token, surface, source: 'storage' } });
          }}
        />
      );
    case 'ready':
      return (
        <ConnectedWindow
          key={phase.credentials.token}
          credentials={phase.credentials}
          baseUrl={baseUrl}
          initialRequestId={initialRequestId}
          bridge={bridge}
          onUnpair={
            phase.credentials.source === 'storage'
              ? () => {
                  tokens.clear();
                  setPhase({ step: 'pairing', reason: 'Unpaired: this window forgot its token.' });
                }
              : null
          }
          onRejected={() => {
            if (phase.credentials.source === 'storage') tokens.clear();
            setPhase({ step: 'pairing', reason: 'The hub no longer accepts this window’s token (it was revoked, or the hub uses another data dir): pair again.' });
          }}
        />
      );
  }
}
