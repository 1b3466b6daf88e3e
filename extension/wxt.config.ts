import { defineConfig } from 'wxt';

export default defineConfig({
  manifest: {
    name: 'Signoff',
    description: 'Approve, answer and review what your local AI agents ask, from the browser.',
    permissions: ['storage'],
    host_permissions: ['http://127.0.0.1/*', 'http://localhost/*'],
  },
});
