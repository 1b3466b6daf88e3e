import type { PairedDevice } from '@signoff/shared/approver';
import { useEffect, useState } from 'preact/hooks';
import { bridgeCredentials, tabCredentials, type WindowCredentials } from './approver-credentials.js';
import { ConnectedWindow } from './connected-window.js';
import type { DesktopBridge } from './desktop-bridge.js';
import type { DeviceStore } from './device-store.js';
import { PairingScreen } from './pairing-screen.js';

/** Props of {@link WindowApp}, from the page's URL and environment. */
export interface WindowAppProps {
  /** The hub's origin: the page's own (`location.origin`). */
  baseUrl: string;
  /** The tray app's bridge, or `null` in a browser. */
  bridge: DesktopBridge | null;
  /** `?request=ID`: open this request at start. */
  initialRequestId: string | undefined;
  /** Where a paired device is kept: only at an https public origin (`keepsDevice`), else null (memory only). */
  store: DeviceStore | null;
  /** A code from a pairing link (`#pair=CODE`), if the page was opened by one. */
  linkCode: string | null;
  /** Removes the link's code from the address (`history.replaceState`). */
  forgetLinkCode: () => void;
  userAgent: string;
}

type Phase = { step: 'loading' } | { step: 'pairing'; reason: string | null } | { step: 'ready'; credentials: WindowCredentials };

/**
 * The approval window: in the tray app it proves itself through the tray's bridge; in a
 * browser tab on loopback it pairs by code every time the page loads (its key lives in
 * memory only); at the hub's https public URL it uses the device kept in IndexedDB, or
 * pairs one (by link or code) and keeps it. Then the queue and the dashboard, until the
 * session ends (unpaired, revoked, refused) — a kept device is forgotten then.
 */
export function WindowApp({ baseUrl, bridge, initialRequestId, store, linkCode, forgetLinkCode, userAgent }: WindowAppProps) {
  const surface = bridge ? 'tray' : 'window';
  const [link, setLink] = useState(linkCode);
  const [phase, setPhase] = useState<Phase>(() =>
    bridge ? { step: 'ready', credentials: bridgeCredentials(bridge) } : store && !linkCode ? { step: 'loading' } : { step: 'pairing', reason: null },
  );

  useEffect(() => {
    if (phase.step !== 'loading' || !store) return;
    store.load(baseUrl).then(
      (device) => setPhase(device ? { step: 'ready', credentials: tabCredentials(device, surface, 'stored') } : { step: 'pairing', reason: null }),
      (error: unknown) => setPhase({ step: 'pairing', reason: `This browser’s storage could not be read (${error instanceof Error ? error.message : String(error)}): pair again.` }),
    );
  }, [phase.step]);

  const paired = async (device: PairedDevice, name: string) => {
    let source: 'tab' | 'stored' = 'tab';
    if (store) {
      try {
        await store.save(device, name);
        source = 'stored';
      } catch {
        // Not kept (storage full or blocked): this tab still works, with the key in memory.
      }
    }
    setPhase({ step: 'ready', credentials: tabCredentials(device, surface, source) });
  };

  const ended = (reason: string) => {
    if (phase.step === 'ready' && phase.credentials.source === 'stored' && store) void store.forget().catch(() => undefined);
    setPhase({ step: 'pairing', reason });
  };

  if (phase.step === 'loading') {
    return (
      <main class="so-app sw-pairing">
        <h1 class="so-brand">Signoff</h1>
        <p role="status">Opening…</p>
      </main>
    );
  }
  if (phase.step === 'pairing') {
    return (
      <PairingScreen
        baseUrl={baseUrl}
        surface={surface}
        reason={phase.reason}
        linkCode={link}
        keep={store !== null}
        userAgent={userAgent}
        onPaired={(device, name) => void paired(device, name)}
        onLinkCodeSpent={() => {
          setLink(null);
          forgetLinkCode();
        }}
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
      onEnded={ended}
    />
  );
}
