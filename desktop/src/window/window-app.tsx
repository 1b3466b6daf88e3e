import { useState } from 'preact/hooks';
import { bridgeCredentials, tabCredentials, type WindowCredentials } from './approver-credentials.js';
import { ConnectedWindow } from './connected-window.js';
import type { DesktopBridge } from './desktop-bridge.js';
import { PairingScreen } from './pairing-screen.js';

/** Props of {@link WindowApp}, from the page's URL and environment. */
export interface WindowAppProps {
  /** The hub's origin: the page's own (`location.origin`). */
  baseUrl: string;
  /** The tray app's bridge, or `null` in a browser. */
  bridge: DesktopBridge | null;
  /** `?request=ID`: open this request at start. */
  initialRequestId: string | undefined;
}

type Phase = { step: 'pairing'; reason: string | null } | { step: 'ready'; credentials: WindowCredentials };

/**
 * The approval window: in the tray app it proves itself through the tray's bridge; in a
 * browser tab it pairs by code, every time the page loads (its key lives in memory only).
 * Then the queue and the dashboard, until the session ends (unpaired, revoked, refused).
 */
export function WindowApp({ baseUrl, bridge, initialRequestId }: WindowAppProps) {
  const surface = bridge ? 'tray' : 'window';
  const [phase, setPhase] = useState<Phase>(() => (bridge ? { step: 'ready', credentials: bridgeCredentials(bridge) } : { step: 'pairing', reason: null }));

  if (phase.step === 'pairing') {
    return (
      <PairingScreen
        baseUrl={baseUrl}
        surface={surface}
        reason={phase.reason}
        onPaired={(device) => setPhase({ step: 'ready', credentials: tabCredentials(device, surface) })}
      />
    );
  }
  return (
    <ConnectedWindow
      key={phase.credentials.session}
      credentials={phase.credentials}
      baseUrl={baseUrl}
      initialRequestId={initialRequestId}
      bridge={bridge}
      onEnded={(reason) => setPhase({ step: 'pairing', reason })}
    />
  );
}
