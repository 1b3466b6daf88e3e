import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Tests that need the build (they spawn the built CLI or load the built package): they run with the integration tests. */
const NEEDS_BUILD = ['desktop/src/tray/hub-backends.test.ts', 'test/architecture/entry-points.test.ts'];

/**
 * Three projects, each runnable alone (`npm run test:unit`, `test:integration`, `test:e2e`);
 * `vitest run` (in `npm test`) runs all three.
 * - unit: tests beside the code, plus the architecture rules and the type tests. No
 *   build: every `@signoff/*` import below resolves to the TypeScript sources.
 * - integration: real hubs, SQLite and clients in `test/integration`; the CLI tests
 *   spawn `desktop/bin/signoff.js`, which runs from the build.
 * - e2e: the built extension and window in Chromium and Firefox.
 */
export default defineConfig({
  // *.test.tsx are outside the workspaces' tsconfigs; give them Preact's JSX too.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  resolve: {
    // Tests run against the TypeScript sources, not a possibly stale dist/.
    alias: [
      { find: /^@signoff\/shared$/, replacement: here('./shared/src/index.ts') },
      { find: /^@signoff\/shared\/agent\/environment$/, replacement: here('./shared/src/agent/environment.ts') },
      { find: /^@signoff\/shared\/agent\/connect-problem$/, replacement: here('./shared/src/agent/connect-problem.ts') },
      { find: /^@signoff\/shared\/agent$/, replacement: here('./shared/src/agent/index.ts') },
      { find: /^@signoff\/shared\/protocol$/, replacement: here('./shared/src/protocol/index.ts') },
      { find: /^@signoff\/shared\/samples$/, replacement: here('./shared/src/samples/requests.ts') },
      { find: /^@signoff\/shared\/ui$/, replacement: here('./shared/src/ui/index.ts') },
      { find: /^@signoff\/shared\/approver$/, replacement: here('./shared/src/approver/index.ts') },
      { find: /^@signoff\/shared\/protocol\/(constants|errors|json-keys|outcome)$/, replacement: here('./shared/src/protocol/$1.ts') },
      { find: /^@signoff\/desktop\/hub$/, replacement: here('./desktop/src/hub/index.ts') },
    ],
  },
  test: {
    testTimeout: 20_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['shared/src/**/*.test.ts', 'shared/src/**/*.test.tsx', 'desktop/src/**/*.test.ts', 'extension/lib/**/*.test.ts', 'test/architecture/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...NEEDS_BUILD],
          // Its own tsconfig: test/tsconfig.json reaches shared through project references, that is through dist/.
          typecheck: { enabled: true, include: ['shared/src/**/*.test-d.ts', 'desktop/src/hub/**/*.test-d.ts'], tsconfig: './tsconfig.test-d.json' },
        },
      },
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts', ...NEEDS_BUILD] } },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.e2e.test.ts'] } },
    ],
  },
});
