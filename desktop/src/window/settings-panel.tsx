import type { DeviceInfo } from '@signoff/shared';
import type { ApproverConnectionState } from '@signoff/shared/approver';
import { formatAgo } from '@signoff/shared/ui';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { WindowCredentials } from './approver-credentials.js';
import type { HubConnection } from './hub-connection.js';
import { describeOthers } from './presence-text.js';
import { PairPhone } from './pair-phone.js';
import { PushSettings } from './push-settings.js';

const CONNECTION_WORDS: Record<ApproverConnectionState, string> = {
  connected: 'Connected',
  connecting: 'Connecting…',
  offline: 'Hub unreachable — retrying',
  rejected: 'Refused by the hub',
  impostor: 'Not your Signoff hub',
};

/** Props of {@link SettingsPanel}. */
export interface SettingsPanelProps {
  credentials: WindowCredentials;
  hubUrl: string;
  hub: HubConnection | null;
  connection: ApproverConnectionState;
  /** The connection's state in the shared words. */
  detail: string;
  surfaces: Readonly<Record<string, number>>;
  /** Bumped on changes at the hub; the device list is read again with it (last seen). */
  revision: number;
  /** The session is over (this window unpaired or revoked). */
  onEnded: (reason: string) => void;
  onClose: () => void;
}

type DeviceList = { devices: DeviceInfo[]; self: string | null; error: null } | { devices: null; self: null; error: string | null };

/** Words for why this window's own revocation ended the session. */
const ENDED_REVOKED = 'Unpaired: the hub revoked this window’s device, and the tab forgot its key. Pair again with a new code to go on.';

/**
 * The window's settings: where it is connected (with the hub key's fingerprint when this
 * tab pinned it), who else is, every device paired with the hub with a Revoke button each,
 * and Unpair (a browser tab) or Reconnect (the tray).
 */
export function SettingsPanel({ credentials, hubUrl, hub, connection, detail, surfaces, onEnded, onClose }: SettingsPanelProps) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [list, setList] = useState<DeviceList>({ devices: null, self: null, error: null });
  const [reload, setReload] = useState(0);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => headingRef.current?.focus(), []);

  const connected = connection === 'connected';
  useEffect(() => {
    if (!hub || !connected) return undefined;
    let live = true;
    hub.devices().then(
      ({ devices, self }) => live && setList({ devices, self, error: null }),
      (error: unknown) => live && setList({ devices: null, self: null, error: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      live = false;
    };
  }, [hub, connected, reload]);

  /** Revokes this window's own device: the hub closes the connection, and the session ends. */
  const revokeSelf = async () => {
    if (!hub) return;
    setBusy('self');
    try {
      await hub.revokeSelf();
      onEnded(ENDED_REVOKED);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      if (credentials.source === 'tab') {
        // The key is forgotten with this view either way; an ephemeral device is swept by the hub soon after.
        onEnded(`Unpaired here only: the hub could not be asked (${why}); it forgets this tab’s device within minutes.`);
      } else if (credentials.source === 'stored') {
        // Forgotten here (onEnded deletes the kept key); a lasting device stays listed at the hub until revoked.
        onEnded(`Forgotten on this device only: the hub could not be asked (${why}). It still lists this device: revoke it from another approver or with \`npx signoff devices\`.`);
      } else {
        setBusy(null);
        setMessage({ ok: false, text: `Not revoked: ${error instanceof Error ? error.message : String(error)}` });
      }
    }
  };

  const revoke = async (device: DeviceInfo) => {
    if (!hub) return;
    if (device.id === list.self) return revokeSelf();
    setBusy(device.id);
    setMessage(null);
    try {
      const { revoked } = await hub.revoke(device.id);
      setMessage({ ok: true, text: revoked ? `Revoked “${device.name}”: its connections are closed, and it must pair again.` : `“${device.name}” was already revoked.` });
    } catch (error) {
      setMessage({ ok: false, text: `Not revoked: ${error instanceof Error ? error.message : String(error)}` });
    }
    setBusy(null);
    setReload((n) => n + 1);
  };

  return (
    <section class="so-app sw-settings" aria-labelledby="sw-settings-title">
      <div class="sw-settings-bar">
        <h2 id="sw-settings-title" tabIndex={-1} ref={headingRef}>
          Settings
        </h2>
        <button type="button" class="so-btn so-btn-quiet so-btn-small" onClick={onClose}>
          Close
        </button>
      </div>
      <dl class="so-meta sw-settings-facts">
        <div>
          <dt>Hub</dt>
          <dd>{hubUrl}</dd>
        </div>
        {credentials.hubFingerprint && (
          <div>
            <dt>Hub key</dt>
            <dd class="sw-mono">{credentials.hubFingerprint}</dd>
          </div>
        )}
        <div>
          <dt>Connection</dt>
          <dd>{CONNECTION_WORDS[connection]}</dd>
        </div>
        <div>
          <dt>Also connected</dt>
          <dd>{describeOthers(surfaces, credentials.surface)}</dd>
        </div>
      </dl>
      {(connection === 'impostor' || connection === 'rejected') && (
        <p class="so-error" role="alert">
          {detail}
        </p>
      )}
      {credentials.surface !== 'tray' && <PushSettings hub={connected ? hub : null} />}
      <PairPhone connected={connected && hub !== null} create={() => (hub ? hub.createPairing() : Promise.reject(new Error('not connected to the hub.')))} />

      <h3 class="sw-settings-sub">Paired devices</h3>
      {list.devices ? (
        <ul class="sw-list sw-devices" aria-label="Paired devices">
          {list.devices.map((device) => {
            const self = device.id === list.self;
            return (
              <li key={device.id} class="sw-device">
                <span class="sw-device-name" id={`sw-device-${device.id}`}>
                  {device.name}
                  {self && <strong class="sw-device-self"> (this window)</strong>}
                </span>
                <span class="sw-muted sw-device-facts">
                  {device.credential === 'key' ? 'key' : 'token'}
                  {device.ephemeral ? ' · one browser tab' : ''} · paired {formatAgo(device.createdAt, Date.now())}
                  {device.lastSeenAt !== null ? ` · seen ${formatAgo(device.lastSeenAt, Date.now())}` : ''} · <span class="sw-mono">{device.id}</span>
                </span>
                <button
                  type="button"
                  class={`so-btn so-btn-small${self ? ' so-btn-danger' : ''}`}
                  aria-describedby={`sw-device-${device.id}`}
                  disabled={busy !== null}
                  onClick={() => void revoke(device)}
                >
                  Revoke
                </button>
              </li>
            );
          })}
        </ul>
      ) : (
        <p class="sw-muted" role={list.error ? 'alert' : undefined}>
          {list.error ? `The device list could not be loaded: ${list.error}` : connected ? 'Loading devices…' : 'The device list shows once connected.'}
        </p>
      )}
      <p class="sw-muted">Revoking a device closes its connections at once; it can approve nothing more until it pairs again. Revoking this window ends this session.</p>
      {message && (
        <p class={message.ok ? 'so-hint' : 'so-error'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}

      {credentials.source === 'tab' ? (
        <>
          <p>Unpair revokes this window’s device at the hub and forgets its key. This tab keeps its key in memory only: a reload asks for a new code anyway.</p>
          <button type="button" class="so-btn so-btn-danger" disabled={busy !== null} onClick={() => void revokeSelf()}>
            Unpair
          </button>
        </>
      ) : credentials.source === 'stored' ? (
        <>
          <p>This device keeps its key in this browser’s storage for {hubUrl}, so the installed app stays paired. Forget this device revokes it at the hub and deletes the key here.</p>
          <button type="button" class="so-btn so-btn-danger" disabled={busy !== null} onClick={() => void revokeSelf()}>
            Forget this device
          </button>
        </>
      ) : (
        <>
          <p>This window proves itself with the tray app’s device; its key stays in the tray.</p>
          <button type="button" class="so-btn" onClick={() => location.reload()}>
            Reconnect
          </button>
        </>
      )}
    </section>
  );
}
