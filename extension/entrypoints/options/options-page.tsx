import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { isChangedBroadcast, isFailure, type ConnectionStatus } from '../../lib/messages.js';
import { sendMessage } from '../../lib/send-message.js';
import { DEFAULT_HUB_URL } from '../../lib/settings.js';
import { OPTIONS_CSS } from './options-css.js';

const STATE_LABEL: Record<ConnectionStatus['state'], string> = {
  connected: 'Connected',
  connecting: 'Connecting…',
  offline: 'Hub not running',
  unpaired: 'Not paired',
  rejected: 'Refused by the hub',
  impostor: 'Not your Signoff hub',
};

/**
 * Pairing: hub URL + one-time code → a device key made in this browser (non-extractable,
 * kept by the worker in IndexedDB) and the hub's key, pinned. Unpair revokes it at the hub.
 */
export function OptionsPage() {
  const [status, setStatus] = useState<ConnectionStatus | null>(null);
  const [hubUrl, setHubUrl] = useState(DEFAULT_HUB_URL);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const refresh = () =>
    void sendMessage('connection:status', {}).then((reply) => {
      if (isFailure(reply)) {
        setMessage({ ok: false, text: reply.message });
        return;
      }
      setStatus(reply);
      if (reply.state !== 'unpaired') setHubUrl(reply.hubUrl);
    });

  useEffect(() => {
    refresh();
    const onMessage = (message: unknown) => {
      if (isChangedBroadcast(message)) refresh();
    };
    browser.runtime.onMessage.addListener(onMessage);
    return () => browser.runtime.onMessage.removeListener(onMessage);
  }, []);

  const pair = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setMessage(null);
    const reply = await sendMessage('pairing:pair', { hubUrl, code });
    setBusy(false);
    if (reply.ok) {
      setCode('');
      setMessage({ ok: true, text: 'Paired. New requests now appear in the toolbar popup.' });
    } else {
      setMessage({ ok: false, text: reply.message });
    }
    refresh();
  };

  const unpair = async () => {
    setBusy(true);
    setMessage(null);
    const reply = await sendMessage('pairing:unpair', {});
    setBusy(false);
    setMessage({ ok: !isFailure(reply) && reply.revoked, text: reply.message });
    refresh();
  };

  const paired = status && status.state !== 'unpaired';
  return (
    <main class="options">
      <style>{OPTIONS_CSS}</style>
      <h1>Signoff</h1>
      <section aria-labelledby="status-heading">
        <h2 id="status-heading">Connection</h2>
        <p role="status" class={`status status-${status?.state ?? 'connecting'}`}>
          <strong>{status ? STATE_LABEL[status.state] : 'Checking…'}</strong>
          {status ? ` — ${status.detail}` : ''}
        </p>
        {status?.device && (
          <p class="facts">
            Hub key <code>{status.device.hubFingerprint || 'unknown'}</code> · this browser <code>{status.device.id}</code>
            <br />
            <small>
              <code>npx signoff devices</code> lists the same ids; the hub key is the one this browser pinned when it paired, and it talks to no other.
            </small>
          </p>
        )}
      </section>
      <section aria-labelledby="pair-heading">
        <h2 id="pair-heading">{paired ? 'Pair again' : 'Pair this browser'}</h2>
        <p>
          Run <code>npx signoff pair</code> where the hub runs and type the code it prints (valid 5 minutes).
        </p>
        <form onSubmit={(e) => void pair(e)}>
          <label>
            Hub URL
            <input type="url" value={hubUrl} required onInput={(e) => setHubUrl(e.currentTarget.value)} />
          </label>
          <label>
            Pairing code
            <input
              value={code}
              required
              autocomplete="off"
              spellcheck={false}
              placeholder="ABCD-EFGH"
              onInput={(e) => setCode(e.currentTarget.value)}
            />
          </label>
          <button type="submit" disabled={busy}>
            Pair
          </button>
        </form>
        {message && (
          <p role="alert" class={message.ok ? 'ok' : 'error'}>
            {message.text}
          </p>
        )}
      </section>
      {paired && (
        <section aria-labelledby="unpair-heading">
          <h2 id="unpair-heading">Unpair</h2>
          <p>Revoke this browser at the hub and forget its key. Requests stop arriving here until you pair again.</p>
          <button type="button" disabled={busy} onClick={() => void unpair()}>
            Unpair
          </button>
        </section>
      )}
    </main>
  );
}
