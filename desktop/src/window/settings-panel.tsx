import type { ConnectionState } from '@signoff/shared/ui';
import { useEffect, useRef } from 'preact/hooks';
import type { Credentials } from './approver-credentials.js';
import { describeOthers } from './presence-text.js';

const CONNECTION_WORDS: Record<ConnectionState, string> = {
  connected: 'Connected',
  connecting: 'Connecting…',
  offline: 'Hub not reachable',
  unpaired: 'Not paired',
  rejected: 'Token rejected',
};

/** Props of {@link SettingsPanel}. */
export interface SettingsPanelProps {
  credentials: Credentials;
  hubUrl: string;
  connection: ConnectionState;
  surfaces: Readonly<Record<string, number>>;
  /** Forgets this window's token; `null` when the token comes from the tray app. */
  onUnpair: (() => void) | null;
  onClose: () => void;
}

/** The window's settings: where it is connected, who else is, and Unpair (a browser) or Reconnect (the tray). */
export function SettingsPanel({ credentials, hubUrl, connection, surfaces, onUnpair, onClose }: SettingsPanelProps) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
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
        <div>
          <dt>Connection</dt>
          <dd>{CONNECTION_WORDS[connection]}</dd>
        </div>
        <div>
          <dt>Also connected</dt>
          <dd>{describeOthers(surfaces, credentials.surface)}</dd>
        </div>
      </dl>
      {onUnpair ? (
        <>
          <p>Unpair forgets this window’s approver token. Requests stop arriving here until you pair again with a new code.</p>
          <button type="button" class="so-btn so-btn-danger" onClick={onUnpair}>
            Unpair
          </button>
        </>
      ) : (
        <>
          <p>This window uses the tray app’s approver token.</p>
          <button type="button" class="so-btn" onClick={() => location.reload()}>
            Reconnect
          </button>
        </>
      )}
    </section>
  );
}
