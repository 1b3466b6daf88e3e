import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  // *.test.tsx are outside the workspaces' tsconfigs; give them Preact's JSX too.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  resolve: {
    // Tests run against the TypeScript sources, not a possibly stale dist/.
    alias: [
      { find: /^@signoff\/shared$/, replacement: here('./shared/src/index.ts') },
      { find: /^@signoff\/shared\/agent\/environment$/, replacement: here('./shared/src/agent/environment.ts') },
      { find: /^@signoff\/shared\/agent$/, replacement: here('./shared/src/agent/index.ts') },
      { find: /^@signoff\/shared\/ui$/, replacement: here('./shared/src/ui/index.ts') },
      { find: /^@signoff\/shared\/approver$/, replacement: here('./shared/src/approver/index.ts') },
      { find: /^@signoff\/shared\/protocol\/(constants|errors|json-keys|outcome)$/, replacement: here('./shared/src/protocol/$1.ts') },
      { find: /^@signoff\/desktop\/hub$/, replacement: here('./desktop/src/hub/index.ts') },
    ],
  },
  test: {
    include: ['shared/src/**/*.test.ts', 'shared/src/**/*.test.tsx', 'desktop/src/**/*.test.ts', 'extension/lib/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/architecture/**/*.test.ts', 'test/e2e/**/*.e2e.test.ts'],
    typecheck: { enabled: true, include: ['shared/src/**/*.test-d.ts'], tsconfig: './test/tsconfig.json' },
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
