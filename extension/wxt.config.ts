import { defineConfig } from 'wxt';

export default defineConfig({
  manifest: ({ browser }) => ({
    name: 'Signoff',
    description: 'Approve, answer and review what your local AI agents ask, from the browser.',
    permissions: ['storage', 'notifications', 'alarms'],
    // The hub listens on loopback only; any port.
    host_permissions: ['http://127.0.0.1/*', 'http://localhost/*'],
    icons: { 16: '/icon/16.png', 32: '/icon/32.png', 48: '/icon/48.png', 128: '/icon/128.png' },
    action: { default_title: 'Signoff' },
    ...(browser === 'firefox'
      ? { browser_specific_settings: { gecko: { id: 'signoff@signoff.local', data_collection_permissions: { required: ['none'] } } } }
      : {}),
  }),
});
