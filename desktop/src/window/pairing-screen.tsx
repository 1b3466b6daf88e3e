import type { PairedDevice } from '@signoff/shared/approver';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { PAIRING_NAMES, type WindowSurface } from './approver-credentials.js';
import { pairTab } from './pairing.js';

/** Props of {@link PairingScreen}. */
export interface PairingScreenProps {
  /** The hub's origin (this page's). */
  baseUrl: string;
  surface: WindowSurface;
  /** Why pairing is asked for again (unpaired, revoked, refused), if it is. */
  reason: string | null;
  /** The new device; its key exists in this object only. */
  onPaired: (device: PairedDevice) => void;
}

/**
 * Pairing by code: the person runs `npx signoff pair` (or the tray's "Pair a
 * browser…") and types the one-time code here; this tab makes a device key that lives
 * in memory only, and the hub registers it for as long as the tab lives.
 */
export function PairingScreen({ baseUrl, surface, reason, onPaired }: PairingScreenProps) {
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const id = useId();

  useEffect(() => inputRef.current?.focus(), []);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    const result = await pairTab(baseUrl, code, PAIRING_NAMES[surface]);
    setBusy(false);
    if (result.ok) onPaired(result.device);
    else {
      setError(result.message);
      inputRef.current?.select();
    }
  };

  return (
    <main class="so-app sw-pairing">
      <h1 class="so-brand">Signoff</h1>
      <h2 class="sw-pairing-title">Pair this window</h2>
      {reason && (
        <p class="so-notice" role="status">
          {reason}
        </p>
      )}
      <p>
        Run <code>npx signoff pair</code> where the hub runs (or choose “Pair a browser…” in the tray menu) and type the code it prints. A code works once, within 5 minutes.
      </p>
      <p class="sw-muted" id={`${id}-tab-only`}>
        This tab keeps its key in memory only, never in the browser’s storage: reloading the page or opening it in another tab asks for a new code.
      </p>
      <form class="sw-pairing-form" onSubmit={(e) => void submit(e)}>
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
        <button type="submit" class="so-btn so-btn-primary" disabled={busy}>
          Pair
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
