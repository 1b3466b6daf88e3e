import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findViolations, importsOf, readSources } from './import-boundaries.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('process boundaries', () => {
  it('hold across the repository', () => {
    const files = ['shared', 'desktop', 'extension'].flatMap((folder) => readSources(root, folder));
    expect(files.some((f) => f.path.startsWith('shared/src/'))).toBe(true);
    expect(files.some((f) => f.path.startsWith('desktop/src/hub/'))).toBe(true);
    expect(findViolations(files)).toEqual([]);
  });

  it('catch each kind of violation', () => {
    const violations = findViolations([
      { path: 'shared/src/a.ts', text: "import { readFileSync } from 'node:fs';\nimport x from 'fs';" },
      { path: 'shared/src/b.ts', text: "import { app } from 'electron';\nconst b = await import('wxt/browser');" },
      { path: 'shared/src/c.ts', text: "import { createHub } from '../../desktop/src/hub/index.js';\nchrome.storage.local.get('x');" },
      { path: 'shared/src/agent/h.ts', text: "import { h } from 'preact';\nimport { useState } from 'preact/hooks';\nimport { ApproverApp } from '../ui/index.js';" },
      { path: 'desktop/src/d.ts', text: "import '../../extension/entrypoints/popup/main.js';" },
      { path: 'extension/entrypoints/e.ts', text: "import { createHub } from '@signoff/desktop/hub';" },
      { path: 'desktop/src/hub/f.ts', text: "const { Tray } = require('electron');" },
      { path: 'desktop/src/window/g.tsx', text: "import { readFile } from 'node:fs';\nimport { createHub } from '../hub/index.js';\nimport type { DesktopApi } from '../tray/preload.cjs';\nimport { ipcRenderer } from 'electron';" },
    ]);
    expect(violations.map((v) => `${v.path} ${v.specifier}`)).toEqual([
      'shared/src/a.ts node:fs',
      'shared/src/a.ts fs',
      'shared/src/b.ts electron',
      'shared/src/b.ts wxt/browser',
      'shared/src/c.ts ../../desktop/src/hub/index.js',
      'shared/src/c.ts chrome.storage',
      'shared/src/agent/h.ts preact',
      'shared/src/agent/h.ts preact/hooks',
      'shared/src/agent/h.ts ../ui/index.js',
      'desktop/src/d.ts ../../extension/entrypoints/popup/main.js',
      'extension/entrypoints/e.ts @signoff/desktop/hub',
      'desktop/src/hub/f.ts electron',
      'desktop/src/window/g.tsx node:fs',
      'desktop/src/window/g.tsx ../hub/index.js',
      'desktop/src/window/g.tsx ../tray/preload.cjs',
      'desktop/src/window/g.tsx electron',
    ]);
  });

  it('allows what the design allows', () => {
    expect(
      findViolations([
        { path: 'shared/src/agent/client.ts', text: "import { io } from 'socket.io-client';\nimport { z } from 'zod';\nimport './x.js';" },
        { path: 'shared/src/ui/forms/f.tsx', text: "import { useState } from 'preact/hooks';\nimport { Tab } from '../navigation.js';\nimport type { SignoffRequest } from '../../protocol/index.js';" },
        { path: 'shared/src/samples/requests.ts', text: "import type { SignoffRequest } from '../protocol/index.js';" },
        { path: 'desktop/src/tray/main.ts', text: "import { app } from 'electron';\nimport { createHub } from '../hub/index.js';" },
        { path: 'extension/entrypoints/popup/main.ts', text: "import { validate } from '@signoff/shared';" },
        {
          path: 'desktop/src/window/dashboard/stats-view.tsx',
          text: "import { formatDuration } from '@signoff/shared/ui';\nimport { io } from 'socket.io-client';\nimport { BarList } from '../charts/bar-list.js';\nimport './window.css';",
        },
      ]),
    ).toEqual([]);
  });

  it('reads every import form', () => {
    expect(importsOf(`import a from 'a';\nimport type { B } from "b";\nexport * from './c.js';\nimport 'd';\nawait import('e');\nrequire('f');`)).toEqual([
      'a',
      'b',
      './c.js',
      'd',
      'e',
      'f',
    ]);
  });
});
