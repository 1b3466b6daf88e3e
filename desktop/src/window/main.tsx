// First: zod must be configured before the shared UI builds its schemas.
import './zod-jitless.js';
import { APPROVER_CSS } from '@signoff/shared/ui';
import { render } from 'preact';
import { adoptStyles } from './adopt-styles.js';
import { desktopBridge } from './desktop-bridge.js';
import { DeviceStore } from './device-store.js';
import { keepsDevice, pairCodeFromHash, withoutPairCode } from './pair-link.js';
import { registerServiceWorker } from './service-worker-registration.js';
import { WindowApp } from './window-app.js';
import './window.css';
import './phone.css';

adoptStyles(document, APPROVER_CSS);
const bridge = desktopBridge();
const requested = new URL(location.href).searchParams.get('request');
render(
  <WindowApp
    baseUrl={location.origin}
    bridge={bridge}
    initialRequestId={requested ?? undefined}
    store={!bridge && keepsDevice(location) ? new DeviceStore() : null}
    linkCode={bridge ? null : pairCodeFromHash(location.hash)}
    forgetLinkCode={() => history.replaceState(history.state, '', withoutPairCode(location.href))}
    userAgent={navigator.userAgent}
  />,
  document.getElementById('app')!,
);
if (!bridge) registerServiceWorker(window);
