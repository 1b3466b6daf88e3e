import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * The process boundaries of DESIGN.md, as rules over import specifiers:
 * - `shared/` imports nothing of ours and nothing Node-only, Electron or extension-only,
 *   and touches no `browser.*` / `chrome.*` API (the extension bundles it);
 * - only the approver UI (`shared/src/ui`) imports Preact or the UI: the protocol, the agent
 *   SDK, the approver client and the samples stay without it (their entry points are
 *   loaded by agents; `entry-points.test.ts` checks the built package);
 * - `desktop/` and `extension/` never import each other;
 * - the hub never imports `electron` (it also runs under plain Node);
 * - the approval window (`desktop/src/window`, a web page) imports only `shared` and
 *   browser packages: no Node built-ins, no `electron`, nothing of the hub, CLI or tray.
 */

export interface SourceFile {
  /** Path relative to the repository root, with `/` separators. */
  path: string;
  text: string;
}

export interface Violation {
  path: string;
  specifier: string;
  rule: string;
}

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const IMPORT_RE = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)['"]([^'"]+)['"]/g;
const EXTENSION_API_RE = /\b(?:browser|chrome)\.(?:runtime|storage|tabs|action|notifications|alarms|windows)\b/;
const WINDOW_DIR = 'desktop/src/window/';
const UI_DIR = 'shared/src/ui/';
const PREACT = /^(?:preact|@preact\/[^/]+)(?:\/|$)/;
const EXTENSION_ONLY = /^(?:wxt(?:\/|$)|#imports$|webextension-polyfill$|@wxt-dev\/)/;

export function importsOf(text: string): string[] {
  return [...text.matchAll(IMPORT_RE)].map((m) => m[1]!);
}

/** The workspace a specifier lands in: `shared`, `desktop`, `extension`, or null for packages. */
function targetWorkspace(fromPath: string, specifier: string): string | null {
  const named = /^@signoff\/(shared|desktop|extension)(?:\/|$)/.exec(specifier);
  if (named) return named[1]!;
  if (!specifier.startsWith('.')) return null;
  const target = resolve('/', dirname(fromPath), specifier).slice(1);
  return target.split('/')[0] ?? null;
}

export function findViolations(files: SourceFile[]): Violation[] {
  const violations: Violation[] = [];
  for (const file of files) {
    const [workspace] = file.path.split('/');
    const add = (specifier: string, rule: string) => violations.push({ path: file.path, specifier, rule });
    for (const specifier of importsOf(file.text)) {
      const target = targetWorkspace(file.path, specifier);
      if (workspace === 'shared') {
        if (NODE_BUILTINS.has(specifier)) add(specifier, 'shared/ must not import Node-only modules');
        if (specifier === 'electron') add(specifier, 'shared/ must not import electron');
        if (EXTENSION_ONLY.test(specifier)) add(specifier, 'shared/ must not import extension-only modules');
        if (target && target !== 'shared') add(specifier, 'shared/ imports nothing of ours');
        const intoUi = specifier.startsWith('.') && resolve('/', dirname(file.path), specifier).slice(1).startsWith(UI_DIR);
        if (!file.path.startsWith(UI_DIR) && (PREACT.test(specifier) || intoUi)) add(specifier, 'only shared/src/ui imports Preact or the UI');
      }
      if (workspace === 'desktop' && target === 'extension') add(specifier, 'desktop/ must not import extension/');
      if (workspace === 'extension' && target === 'desktop') add(specifier, 'extension/ must not import desktop/');
      if (file.path.startsWith('desktop/src/hub/') && specifier === 'electron') add(specifier, 'the hub must not import electron');
      if (file.path.startsWith(WINDOW_DIR)) {
        if (NODE_BUILTINS.has(specifier) || specifier === 'electron') add(specifier, 'the window is a web page: no Node-only modules or electron');
        if (target === 'desktop' && !resolve('/', dirname(file.path), specifier).slice(1).startsWith(WINDOW_DIR)) {
          add(specifier, 'the window imports only shared/ (and its own folder)');
        }
      }
    }
    if (workspace === 'shared' && EXTENSION_API_RE.test(file.text)) {
      add(EXTENSION_API_RE.exec(file.text)![0], 'shared/ must not use browser extension APIs');
    }
  }
  return violations;
}

const SOURCE_EXT = /\.(?:ts|tsx|js|mjs|cjs|jsx)$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', '.output', '.wxt']);

/** Source files of a workspace folder, excluding tests (they may reach anything). */
export function readSources(root: string, folder: string): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (SKIP_DIRS.has(name)) continue;
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (SOURCE_EXT.test(name) && !/\.test(?:-d)?\.tsx?$/.test(name)) {
        out.push({ path: relative(root, full).split(sep).join('/'), text: readFileSync(full, 'utf8') });
      }
    }
  };
  walk(join(root, folder));
  return out;
}
