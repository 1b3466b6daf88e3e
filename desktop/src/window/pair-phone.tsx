import type { PairingCreated } from '@signoff/shared';
import { formatCountdown } from '@signoff/shared/ui';
import { useMemo, useState } from 'preact/hooks';
import { qrPath } from './qr-path.js';
import { useClock } from './use-clock.js';

/** Props of {@link PairPhone}. */
export interface PairPhoneProps {
  /** Asks the hub for a new code (an approver's `pairing:create`); rejects with a message for the person. */
  create: () => Promise<PairingCreated>;
  /** Whether the window is connected (a code can be asked for). */
  connected: boolean;
}

/** The QR code of a pairing link, black on white whatever the theme (cameras read that best). */
function QrCode({ url }: { url: string }) {
  const { size, d } = useMemo(() => qrPath(url), [url]);
  const quiet = 4;
  return (
    <svg class="sw-qr" viewBox={`${-quiet} ${-quiet} ${size + 2 * quiet} ${size + 2 * quiet}`} role="img" aria-label="QR code of the pairing link" shape-rendering="crispEdges">
      <rect class="sw-qr-light" x={-quiet} y={-quiet} width={size + 2 * quiet} height={size + 2 * quiet} />
      <path class="sw-qr-dark" d={d} />
    </svg>
  );
}

/**
 * "Pair a phone" in settings: asks the hub for a one-time code and shows its link as a QR
 * code to scan with the phone's camera, the code as text, and the time left. Without a
 * public URL there is no link a phone could open, and it says what to set up.
 */
export function PairPhone({ create, connected }: PairPhoneProps) {
  const [offer, setOffer] = useState<PairingCreated | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const now = useClock();
  const left = offer ? offer.expiresAt - now : 0;

  const ask = async () => {
    setBusy(true);
    setError(null);
    try {
      setOffer(await create());
    } catch (failure) {
      setOffer(null);
      setError(`No code: ${failure instanceof Error ? failure.message : String(failure)}`);
    }
    setBusy(false);
  };

  return (
    <div class="sw-pair-phone">
      <h3 class="sw-settings-sub">Pair a phone</h3>
      <p class="sw-muted">Scan the code with the phone’s camera and tap “Pair this device” there. The code works once, for one device, within 5 minutes: show it only to your own phone.</p>
      {offer && left > 0 && (
        <>
          {offer.url ? (
            <>
              <QrCode url={offer.url} />
              <p>
                Or open <span class="sw-mono">{offer.url}</span> on the phone.
              </p>
            </>
          ) : (
            <p class="so-notice" role="status">
              This hub has no public URL, so a phone cannot reach it. Put it behind a TLS proxy and start it with <code>--public-url https://NAME</code> (see “Phone” in the README), then ask for a new code. This code still pairs a browser on this machine.
            </p>
          )}
          <p>
            Code <strong class="sw-mono sw-pair-code">{offer.code}</strong> · <span class="so-countdown">expires in {formatCountdown(left)}</span>
          </p>
        </>
      )}
      {offer && left <= 0 && <p class="sw-muted">That code has expired.</p>}
      {error && (
        <p class="so-error" role="alert">
          {error}
        </p>
      )}
      <button type="button" class="so-btn" disabled={busy || !connected} onClick={() => void ask()}>
        {offer ? 'New code' : 'Show a pairing code'}
      </button>
    </div>
  );
}
