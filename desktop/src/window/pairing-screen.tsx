import type { PairedDevice } from '@signoff/shared/approver';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { PAIRING_NAMES, type WindowSurface } from './approver-credentials.js';
import { deviceName } from './device-name.js';
import { pairTab } from './pairing.js';

/** Props of {@link PairingScreen}. */
export interface PairingScreenProps {
  /** The hub's origin (this page's). */
  baseUrl: string;
  surface: WindowSurface;
  /** Why pairing is asked for again (unpaired, revoked, refused), if it is. */
  reason: string | null;
  /** A code from a pairing link (`#pair=CODE`): one tap pairs with it. */
  linkCode: string | null;
  /** Whether this origin keeps the device (https public URL) or the tab holds it in memory only. */
  keep: boolean;
  /** The browser's user agent, for the device name's prefill. */
  userAgent: string;
  /** The new device (its key in this object only) and the name the hub lists it by. */
  onPaired: (device: PairedDevice, name: string) => void;
  /** The link's code was used or refused: it must leave the address so a reload never sends it again. */
  onLinkCodeSpent: () => void;
}

/**
 * Pairing: by a link another approver showed as a QR code (`#pair=CODE`, one tap after
 * confirming the hub and the device's name), or by code — the person runs `npx signoff
 * pair` (or the tray's "Pair a browser…") and types the one-time code. On loopback this tab
 * makes a device key that lives in memory only; at the hub's https public URL the device
 * is kept so the installed app stays paired.
 */
export function PairingScreen({ baseUrl, surface, reason, linkCode, keep, userAgent, onPaired, onLinkCodeSpent }: PairingScreenProps) {
  const [code, setCode] = useState('');
  const [linked, setLinked] = useState(linkCode);
  const showName = keep || linked !== null;
  const [name, setName] = useState(() => (showName ? deviceName(userAgent) : PAIRING_NAMES[surface]));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const id = useId();
  const hubName = new URL(baseUrl).host;

  useEffect(() => (linked ? buttonRef.current?.focus() : inputRef.current?.focus()), []);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const chosen = name.trim() || PAIRING_NAMES[surface];
    setBusy(true);
    setError(null);
    const result = await pairTab(baseUrl, linked ?? code, chosen, undefined, !keep);
    setBusy(false);
    // A link's code is spent once the hub has answered (paired, or refused it); only an unreachable hub leaves it to try again.
    if (linked && (result.ok || !result.unreachable)) onLinkCodeSpent();
    if (result.ok) return onPaired(result.device, chosen);
    setError(result.message);
    if (linked && !result.unreachable) setLinked(null);
    else inputRef.current?.select();
  };

  const nameField = showName && (
    <div class="so-field">
      <label for={`${id}-name`}>Device name</label>
      <input id={`${id}-name`} class="sw-device-name-input" type="text" value={name} maxLength={80} required autocomplete="off" onInput={(e) => setName(e.currentTarget.value)} />
    </div>
  );

  return (
    <main class="so-app sw-pairing">
      <h1 class="so-brand">Signoff</h1>
      {linked ? (
        <h2 class="sw-pairing-title">Pair this device with Signoff at {hubName}?</h2>
      ) : (
        <h2 class="sw-pairing-title">Pair this {keep ? 'device' : 'window'}</h2>
      )}
      {reason && (
        <p class="so-notice" role="status">
          {reason}
        </p>
      )}
      {linked ? (
        <p>
          This link carries a one-time pairing code (<code>{linked}</code>). Pair only if you opened it yourself, from a Signoff window you trust: this device will then approve what agents ask.
        </p>
      ) : (
        <p>
          Run <code>npx signoff pair</code> where the hub runs (or choose “Pair a browser…” in the tray menu, or “Pair a phone” in another window’s settings) and type the code it prints. A code works once, within 5 minutes.
        </p>
      )}
      <p class="sw-muted" id={`${id}-tab-only`}>
        {keep
          ? 'This device keeps its key in this browser’s storage for this address, where no script can read it out: the installed app stays paired until you forget it in settings or revoke it from another approver.'
          : 'This tab keeps its key in memory only, never in the browser’s storage: reloading the page or opening it in another tab asks for a new code.'}
      </p>
      <form class="sw-pairing-form" onSubmit={(e) => void submit(e)}>
        {nameField}
        {!linked && (
          <div class="so-field">
            <label for={`${id}-code`}>Pairing code</label>
            <input
              ref={inputRef}
              id={`${id}-code`}
              type="text"
              value={code}
              required
              autocomplete="one-time-code"
              autocapitalize="characters"
              spellcheck={false}
              placeholder="ABCD-EFGH"
              aria-invalid={error ? 'true' : undefined}
              aria-describedby={error ? `${id}-error` : undefined}
              onInput={(e) => setCode(e.currentTarget.value)}
            />
          </div>
        )}
        <button ref={buttonRef} type="submit" class="so-btn so-btn-primary" disabled={busy}>
          {linked ? 'Pair this device' : 'Pair'}
        </button>
      </form>
      {busy && (
        <p class="so-hint" role="status">
          Pairing…
        </p>
      )}
      {error && (
        <p class="so-error" role="alert" id={`${id}-error`}>
          {error}
        </p>
      )}
    </main>
  );
}
