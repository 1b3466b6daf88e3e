import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { PAIRING_NAMES, type WindowSurface } from './approver-credentials.js';
import { pairWithCode } from './pairing.js';

/** Props of {@link PairingScreen}. */
export interface PairingScreenProps {
  /** The hub's origin (this page's). */
  baseUrl: string;
  surface: WindowSurface;
  /** Why pairing is asked for again (unpaired, token refused), if it is. */
  reason: string | null;
  onPaired: (token: string) => void;
}

/**
 * Pairing by code: the person runs `npx signoff pair` (or the tray's "Pair a
 * browser…") and types the one-time code here; the hub answers with an approver token.
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
    const result = await pairWithCode(baseUrl, code, PAIRING_NAMES[surface]);
    setBusy(false);
    if (result.ok) onPaired(result.token);
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
