// First: zod must be configured before the shared UI builds its schemas.
import './zod-jitless.js';
import { APPROVER_CSS } from '@signoff/shared/ui';
import { render } from 'preact';
import { adoptStyles } from './adopt-styles.js';
import { localTokenStore, type TokenStore } from './approver-credentials.js';
import { desktopBridge } from './desktop-bridge.js';
import { WindowApp } from './window-app.js';
import './window.css';

/** localStorage of the hub's origin, or a store that keeps nothing where storage is refused. */
function tokenStore(): TokenStore {
  try {
    return localTokenStore(window.localStorage);
  } catch {
    return localTokenStore({ getItem: () => null, setItem: () => {}, removeItem: () => {} });
  }
}

adoptStyles(document, APPROVER_CSS);
const requested = new URL(location.href).searchParams.get('request');
render(
  <WindowApp baseUrl={location.origin} bridge={desktopBridge()} tokens={tokenStore()} initialRequestId={requested ?? undefined} />,
  document.getElementById('app')!,
);
