// First: zod must be configured before the shared UI builds its schemas.
import './zod-jitless.js';
import { APPROVER_CSS } from '@signoff/shared/ui';
import { render } from 'preact';
import { adoptStyles } from './adopt-styles.js';
import { desktopBridge } from './desktop-bridge.js';
import { WindowApp } from './window-app.js';
import './window.css';

adoptStyles(document, APPROVER_CSS);
const requested = new URL(location.href).searchParams.get('request');
render(<WindowApp baseUrl={location.origin} bridge={desktopBridge()} initialRequestId={requested ?? undefined} />, document.getElementById('app')!);
