import { useEffect, useState } from 'preact/hooks';
import { currentPushState, pushSupported, turnPushOff, turnPushOn, type PushHub, type PushScope, type PushState } from './push-subscription.js';

/** Props of {@link PushSettings}. */
export interface PushSettingsProps {
  /** The hub connection; `null` while there is none. */
  hub: PushHub | null;
  /** @default the page (`window`) */
  scope?: PushScope;
}

const STATE_WORDS: Record<PushState['kind'], string> = {
  unsupported: 'This browser cannot receive notifications here.',
  blocked: 'Notifications are blocked for this site in the browser’s settings; allow them there, then turn them on here.',
  off: 'Off: this device is not told about new requests.',
  on: 'On: this device is told when a critical request (or a high one, if the tray’s setting allows) arrives.',
};

/**
 * "Notifications on this device": Web Push for a phone or browser that opened the hub
 * through its public URL. Shown only where Web Push works (a secure context with
 * `PushManager`). A push says how many requests wait and how severe, never what they ask.
 */
export function PushSettings({ hub, scope = window as unknown as PushScope }: PushSettingsProps) {
  const supported = pushSupported(scope);
  const [state, setState] = useState<PushState | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [sending, setSending] = useState<boolean | null>(null);

  useEffect(() => {
    if (!supported) return undefined;
    let live = true;
    currentPushState(scope).then(
      (now) => live && setState(now),
      () => live && setState({ kind: 'off' }),
    );
    hub?.pushKey().then(
      (key) => live && setSending(key.sending),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [supported, scope, hub]);

  if (!supported) return null;

  const change = async (on: boolean) => {
    if (!hub) return;
    setBusy(true);
    setMessage(null);
    try {
      const next = on ? await turnPushOn(scope, hub) : await turnPushOff(scope, hub);
      setState(next);
      if (on && next.kind === 'on') setMessage({ ok: true, text: 'Notifications are on for this device.' });
    } catch (error) {
      setMessage({ ok: false, text: `Not changed: ${error instanceof Error ? error.message : String(error)}` });
    }
    setBusy(false);
  };

  const on = state?.kind === 'on';
  return (
    <section aria-labelledby="sw-push-title">
      <h3 class="sw-settings-sub" id="sw-push-title">
        Notifications on this device
      </h3>
      <p class="sw-muted" aria-live="polite">
        {state ? STATE_WORDS[state.kind] : 'Checking…'}
      </p>
      {sending === false && <p class="sw-muted">The hub has no public URL, so it sends no notifications yet (start it with --public-url).</p>}
      <p class="sw-muted">A notification says only how many requests wait and how severe they are, never what an agent asks: it passes through the browser maker’s push service.</p>
      {state && state.kind !== 'unsupported' && (
        <button type="button" class="so-btn" aria-pressed={on} disabled={busy || !hub || state.kind === 'blocked'} onClick={() => void change(!on)}>
          {on ? 'Turn off notifications' : 'Turn on notifications'}
        </button>
      )}
      {message && (
        <p class={message.ok ? 'so-hint' : 'so-error'} role={message.ok ? undefined : 'alert'} aria-live={message.ok ? 'polite' : undefined}>
          {message.text}
        </p>
      )}
    </section>
  );
}
