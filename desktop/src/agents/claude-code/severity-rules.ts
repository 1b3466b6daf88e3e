import { isAbsolute, relative, resolve } from 'node:path';
import type { Severity } from '@signoff/shared';
import type { HookPayload } from './hook-payload.js';
import { commandTouches, pathTouches, signoffPlaces, TouchReason, urlTouches, type SignoffPlaces } from './signoff-guard.js';

/**
 * How risky a Claude Code tool call looks, from simple documented rules. The
 * highest matching rule wins; every match is kept as a reason people can read.
 *
 * Shell tools (`Bash`, `PowerShell`, `Monitor`) share the command rules; every path-like
 * field of a file tool (`file_path`, `path`, Glob's `pattern`, `glob`, …, braces expanded,
 * `~` resolved) counts, not only the first.
 *
 * critical: anything touching Signoff itself (see `signoff-guard.ts`): the data dir (`~/.signoff`,
 *   `$SIGNOFF_HOME`), token, key and database files, `signoff pair|respond|devices|hub`, the hub's
 *   port (7475, `$SIGNOFF_PORT`), stopping the hub — an agent there could approve itself;
 *   `rm` with recursive + force flags, PowerShell `Remove-Item -Recurse -Force` (and its aliases),
 *   `Format-Volume`/`Clear-Disk`; `git push --force`/`-f`/`--force-with-lease`/`+ref`;
 *   SQL `DROP TABLE|DATABASE|SCHEMA…`, `TRUNCATE`, `DELETE FROM t` without `WHERE`;
 *   `mkfs`, `dd of=/dev/…`; `terraform destroy`; a file tool writing outside `cwd`.
 * high: `sudo`, `Start-Process -Verb RunAs`; a download piped into a shell (`curl | sh`, `iwr | iex`);
 *   `Set-ExecutionPolicy`; `git push`; `git reset --hard`, `git clean -f`,
 *   `git branch -D`; publishing a package; recursive `chmod`/`chown`; `kubectl delete`,
 *   `terraform apply`; writing or reading secrets (`.env`, `.ssh/`, `.aws/`, keys, `.npmrc`, `.git/` internals,
 *   Claude Code's `.claude/` settings).
 * medium: any other shell command or file write inside `cwd`, web searches and fetches, sub-agents, MCP tools, unknown tools;
 *   read-only tools reading outside `cwd`.
 * low: read-only tools (see {@link READ_ONLY_TOOLS}) inside `cwd`.
 */

export interface SeverityAssessment {
  severity: Severity;
  /** Why, in words for the approver; empty for the plain default. */
  reasons: string[];
}

/**
 * Tools that only read local files or a background shell's output: the
 * `--allow-read-only` option lets them through without asking when every path they
 * name lies inside the project. Network tools are never here: a search or a fetch
 * sends the query (and whatever Claude put in it) out of the machine.
 */
export const READ_ONLY_TOOLS: ReadonlySet<string> = new Set(['Read', 'Glob', 'Grep', 'LS', 'NotebookRead', 'BashOutput', 'TaskOutput']);
/** Tools that write the file named in their input. */
export const FILE_WRITE_TOOLS: ReadonlySet<string> = new Set(['Write', 'Edit', 'MultiEdit', 'NotebookEdit']);
/**
 * Tools that run a shell command from `tool_input.command`: `Bash`, `PowerShell`, and
 * `Monitor` (which runs a command in the background and streams its output; Claude
 * Code checks it with Bash's permission rules).
 */
export const SHELL_TOOLS: ReadonlySet<string> = new Set(['Bash', 'PowerShell', 'Monitor']);
/** Tools that reach the network: never "read-only", whatever they fetch. */
export const NETWORK_TOOLS: ReadonlySet<string> = new Set(['WebFetch', 'WebSearch']);

const RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

interface CommandRule {
  severity: Severity;
  reason: string;
  /** `tool` is the shell tool (`Bash`, `PowerShell`, `Monitor`). */
  matches(command: string, tool: string): boolean;
}

const pattern = (re: RegExp) => (command: string) => re.test(command);

/**
 * What the words after `rm` ask for: `-r`/`-R`/`--recursive` and `-f`/`--force`, alone or
 * combined (`-rf`, `-fr`, `-r -f`). Shared with the approval guardrails (`policy/guardrails.ts`).
 */
export function rmFlags(words: readonly string[]): { recursive: boolean; force: boolean } {
  const flags = words.filter((word) => word.startsWith('-'));
  return {
    recursive: flags.some((f) => f === '--recursive' || /^-[a-zA-Z]*[rR]/.test(f)),
    force: flags.some((f) => f === '--force' || /^-[a-zA-Z]*f/.test(f)),
  };
}

/** `rm` invocations (up to a command separator) whose flags say both recursive and force. */
function rmRecursiveForce(command: string): boolean {
  for (const match of command.matchAll(/(?:^|[\s;&|(`])rm\s+([^;&|`)\n]*)/g)) {
    const { recursive, force } = rmFlags(match[1]!.split(/\s+/));
    if (recursive && force) return true;
  }
  return false;
}

/**
 * What the words after PowerShell's `Remove-Item` (or an alias) ask for: `-Recurse` and
 * `-Force`, each by any unambiguous prefix, in any case, `-Force:$true` included. Shared
 * with the approval guardrails (`policy/guardrails.ts`).
 */
export function removeItemFlags(words: readonly string[]): { recurse: boolean; force: boolean } {
  // `-Force:$true` is the same switch; `-f` is read as Force too (cautious: it is ambiguous with -Filter).
  const lower = words.map((word) => word.toLowerCase().replace(/:\$true$/, ''));
  return {
    recurse: lower.some((w) => /^-r(?:e(?:c(?:u(?:r(?:s(?:e)?)?)?)?)?)?$/.test(w)),
    force: lower.some((w) => /^-f(?:o(?:r(?:c(?:e)?)?)?)?$/.test(w)),
  };
}

/**
 * PowerShell's `Remove-Item` and its aliases (`rm`, `ri`, `del`, `erase`, `rd`, `rmdir`)
 * with both `-Recurse` and `-Force` (any unambiguous prefix, any case, up to a command separator).
 */
function removeItemRecurseForce(command: string, tool: string): boolean {
  // In a POSIX shell `rm`/`rmdir` are themselves (see rmRecursiveForce); a Bash command line may still call pwsh.
  const names = tool === 'PowerShell' ? 'Remove-Item|ri|del|erase|rd|rmdir|rm' : 'Remove-Item';
  for (const match of command.matchAll(new RegExp(`(?:^|[\\s;&|({\`"'])(?:${names})\\s+([^;&|\`)}\\n]*)`, 'gi'))) {
    const { recurse, force } = removeItemFlags(match[1]!.split(/\s+/));
    if (recurse && force) return true;
  }
  return false;
}

const COMMAND_RULES: CommandRule[] = [
  { severity: 'critical', reason: 'deletes files recursively without confirmation (rm -rf)', matches: rmRecursiveForce },
  {
    severity: 'critical',
    reason: 'deletes files recursively without confirmation (Remove-Item -Recurse -Force)',
    matches: removeItemRecurseForce,
  },
  {
    severity: 'critical',
    reason: 'wipes a disk or volume (Format-Volume, Clear-Disk, Initialize-Disk)',
    matches: pattern(/\b(?:Format-Volume|Clear-Disk|Initialize-Disk|Remove-Partition)\b/i),
  },
  {
    severity: 'critical',
    reason: 'rewrites the remote history (git push --force)',
    matches: pattern(/\bgit\s+push\b[^;&|\n]*(?:\s--force(?:-with-lease)?\b|\s-[a-zA-Z]*f\b|\s\+\S)/),
  },
  {
    severity: 'critical',
    reason: 'drops or empties database objects (DROP / TRUNCATE)',
    matches: pattern(/\b(?:DROP\s+(?:TABLE|DATABASE|SCHEMA|INDEX|VIEW|USER|ROLE|COLLECTION)|TRUNCATE(?:\s+TABLE)?\s+\w)/i),
  },
  { severity: 'critical', reason: 'deletes every row of a table (DELETE without WHERE)', matches: pattern(/\bDELETE\s+FROM\s+[\w."`]+\s*(?:;|$|["'])/im) },
  { severity: 'critical', reason: 'overwrites a disk or device (mkfs, dd of=/dev/…)', matches: pattern(/\bmkfs(?:\.\w+)?\b|\bdd\s+[^;&|\n]*\bof=\/dev\//) },
  { severity: 'critical', reason: 'destroys infrastructure (terraform destroy)', matches: pattern(/\bterraform\s+destroy\b/) },
  { severity: 'high', reason: 'runs as root (sudo)', matches: pattern(/(?:^|[\s;&|(])sudo\s/) },
  { severity: 'high', reason: 'runs as administrator (Start-Process -Verb RunAs)', matches: pattern(/\bStart-Process\b[^;&|\n]*-Verb\s+['"]?RunAs\b/i) },
  { severity: 'high', reason: 'pipes a download into a shell', matches: pattern(/\b(?:curl|wget)\b[^;&\n]*\|\s*(?:sudo\s+)?(?:ba|z|da)?sh\b/) },
  {
    severity: 'high',
    reason: 'runs downloaded code (Invoke-WebRequest | Invoke-Expression)',
    matches: pattern(/\b(?:iwr|irm|Invoke-WebRequest|Invoke-RestMethod|DownloadString)\b[^;\n]*\|\s*(?:iex|Invoke-Expression)\b|\b(?:iex|Invoke-Expression)\b[^;\n]*\b(?:iwr|irm|Invoke-WebRequest|Invoke-RestMethod|DownloadString)\b/i),
  },
  { severity: 'high', reason: 'weakens the script execution policy (Set-ExecutionPolicy)', matches: pattern(/\bSet-ExecutionPolicy\b/i) },
  { severity: 'high', reason: 'pushes to a remote (git push)', matches: pattern(/\bgit\s+push\b/) },
  {
    severity: 'high',
    reason: 'discards local work (git reset --hard, git clean -f, git branch -D)',
    matches: pattern(/\bgit\s+(?:reset\s+[^;&|\n]*--hard|clean\s+[^;&|\n]*-[a-zA-Z]*f|branch\s+[^;&|\n]*-D\b)/),
  },
  { severity: 'high', reason: 'publishes a package', matches: pattern(/\b(?:npm|pnpm|yarn)\s+publish\b|\bcargo\s+publish\b|\btwine\s+upload\b|\bgem\s+push\b/) },
  { severity: 'high', reason: 'changes ownership or permissions recursively', matches: pattern(/\b(?:chmod|chown)\s+(?:-\w*\s+)*-\w*R/) },
  { severity: 'high', reason: 'changes live infrastructure (kubectl delete, terraform apply)', matches: pattern(/\bkubectl\s+delete\b|\bterraform\s+apply\b/) },
];

/**
 * Paths whose contents are secrets or repository internals, or Claude Code's own
 * settings (`.claude/`: a hook there, Signoff's included, can be removed by editing it).
 */
const SENSITIVE_PATH =
  /(?:^|\/)(?:\.env(?:\.[\w-]+)?|\.ssh(?:\/|$)|\.aws(?:\/|$)|\.gnupg(?:\/|$)|\.npmrc|\.pypirc|\.netrc|id_(?:rsa|ed25519|ecdsa)\b|[^/]*\.(?:pem|key|p12)$|credentials(?:\.json)?$|\.git(?:\/|$)|\.claude(?:\/|$))/;

/** The file or directory a tool call names first (for titles and the body), if any. */
export function targetPath(payload: HookPayload): string | undefined {
  const input = payload.tool_input;
  for (const key of ['file_path', 'notebook_path', 'path']) {
    const value = input[key];
    if (typeof value === 'string' && value) return value;
  }
  return undefined;
}

/**
 * Input fields that name a file, a directory or a path pattern. `pattern` is Glob's
 * path pattern; Grep's `pattern` is a regular expression over file contents, so it
 * is left out for Grep (its `path` and `glob` say what it reads).
 */
const PATH_KEYS = ['file_path', 'notebook_path', 'path', 'pattern', 'glob', 'paths', 'directory', 'dir', 'file', 'files', 'filename'] as const;

/** Most alternatives one brace pattern may expand to before it is judged as "could be anywhere". */
const MAX_BRACE_EXPANSIONS = 64;

/**
 * `{a,b}` alternatives of a glob, expanded (`{/etc,src}/*` → `/etc/*`, `src/*`), or
 * `undefined` when there are too many to judge. Shared with the approval guardrails.
 */
export function expandBraces(text: string, budget = { left: MAX_BRACE_EXPANSIONS }): string[] | undefined {
  const open = text.indexOf('{');
  if (open === -1) return [text];
  let depth = 0;
  const commas: number[] = [];
  let close = -1;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) {
      close = i;
      break;
    } else if (ch === ',' && depth === 1) commas.push(i);
  }
  if (close === -1) return [text];
  const cuts = [open, ...commas, close];
  const out: string[] = [];
  for (let k = 0; k + 1 < cuts.length; k++) {
    const expanded = expandBraces(text.slice(0, open) + text.slice(cuts[k]! + 1, cuts[k + 1]) + text.slice(close + 1), budget);
    if (!expanded) return undefined;
    out.push(...expanded);
    budget.left -= expanded.length;
    if (budget.left < 0) return undefined;
  }
  return out;
}

/** A path as the tools read it: `~` and `~/…` are the home directory. */
function expandHome(path: string, home: string | undefined): string {
  if (!home) return path;
  if (path === '~') return home;
  return path.startsWith('~/') || path.startsWith('~\\') ? home + path.slice(1) : path;
}

/**
 * Every path a call names, in every path-like field (strings and lists of strings),
 * with braces expanded and `~` resolved. `undefined` means "cannot be told": a
 * pattern with more alternatives than can be judged.
 */
export function targetPaths(payload: HookPayload, home?: string): string[] | undefined {
  const input = payload.tool_input;
  const paths: string[] = [];
  for (const key of PATH_KEYS) {
    if (key === 'pattern' && payload.tool_name === 'Grep') continue;
    const value = input[key];
    const values = typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
    for (const raw of values) {
      if (!raw) continue;
      const expanded = expandBraces(raw);
      if (!expanded) return undefined;
      paths.push(...expanded.map((p) => expandHome(p, home)));
    }
  }
  return paths;
}

/** Whether `path` lies outside `cwd` (false when either is unknown). */
export function isOutside(path: string | undefined, cwd: string | undefined): boolean {
  if (!path || !cwd) return false;
  const rel = relative(cwd, resolve(cwd, path));
  return rel === '..' || rel.startsWith('../') || rel.startsWith('..\\') || isAbsolute(rel);
}

/** Why a call touches Signoff's own data, commands or port (each reason once), or nothing. */
function signoffTouches(payload: HookPayload, places: SignoffPlaces): string[] {
  const input = payload.tool_input;
  const reasons = new Set<string>();
  if (SHELL_TOOLS.has(payload.tool_name)) {
    for (const reason of commandTouches(typeof input.command === 'string' ? input.command : '', places)) reasons.add(reason);
  } else if (FILE_WRITE_TOOLS.has(payload.tool_name) || READ_ONLY_TOOLS.has(payload.tool_name)) {
    // Raw values too: `pathTouches` reads `~/` and Signoff's file names itself.
    const paths = targetPaths(payload, places.home) ?? stringsIn(input);
    for (const value of paths) if (pathTouches(value, payload.cwd, places)) reasons.add(TouchReason.data);
  } else if (payload.tool_name === 'WebFetch') {
    if (typeof input.url === 'string' && urlTouches(input.url, places)) reasons.add(TouchReason.port);
  } else {
    // MCP and unknown tools may run commands or open files under any field name: read every string.
    for (const text of stringsIn(input)) for (const reason of commandTouches(text, places)) reasons.add(reason);
  }
  return [...reasons];
}

/** Every string value in `value`, depth-first (tool inputs are small and already depth-checked). */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

/**
 * Rates one tool call; see the module comment for the rules. `places` says where
 * this person's Signoff lives ({@link signoffPlaces} of the environment by default).
 */
export function assessSeverity(payload: HookPayload, places: SignoffPlaces = signoffPlaces()): SeverityAssessment {
  const found: { severity: Severity; reason: string }[] = signoffTouches(payload, places).map((reason) => ({ severity: 'critical', reason }));
  const tool = payload.tool_name;
  const paths = targetPaths(payload, places.home);
  // A pattern too wide to judge counts as reaching outside the project.
  const sensitive = paths === undefined || paths.some((path) => SENSITIVE_PATH.test(path.replaceAll('\\', '/')));
  const outside = paths === undefined || paths.some((path) => isOutside(path, payload.cwd));

  if (SHELL_TOOLS.has(tool)) {
    const command = typeof payload.tool_input.command === 'string' ? payload.tool_input.command : '';
    for (const rule of COMMAND_RULES) if (rule.matches(command, tool)) found.push(rule);
    found.push({ severity: 'medium', reason: '' });
  } else if (FILE_WRITE_TOOLS.has(tool)) {
    if (outside) found.push({ severity: 'critical', reason: 'writes outside the project directory' });
    if (sensitive) found.push({ severity: 'high', reason: 'writes a secret or repository-internal file' });
    found.push({ severity: 'medium', reason: '' });
  } else if (READ_ONLY_TOOLS.has(tool)) {
    if (sensitive) found.push({ severity: 'high', reason: 'reads a secret or repository-internal file' });
    if (outside) found.push({ severity: 'medium', reason: 'reads outside the project directory' });
    found.push({ severity: 'low', reason: '' });
  } else if (NETWORK_TOOLS.has(tool)) {
    found.push({ severity: 'medium', reason: 'reaches the network' });
  } else {
    found.push({ severity: 'medium', reason: '' });
  }

  const severity = found.reduce<Severity>((top, f) => (RANK[f.severity] > RANK[top] ? f.severity : top), 'low');
  return { severity, reasons: found.map((f) => f.reason).filter(Boolean) };
}

/**
 * A read-only tool whose every path-like field lies inside the project and touches
 * nothing sensitive: may pass without asking when configured. Network tools never do.
 */
export function isHarmlessRead(payload: HookPayload, places: SignoffPlaces = signoffPlaces()): boolean {
  if (!READ_ONLY_TOOLS.has(payload.tool_name)) return false;
  // Without a cwd, "inside the project" cannot be told: ask.
  if (!payload.cwd) return false;
  return assessSeverity(payload, places).severity === 'low';
}

/**
 * A file edit inside the project that touches nothing sensitive (no secret, no
 * `.git/` or `.claude/`, nothing of Signoff's): what Claude Code's `acceptEdits`
 * mode lets through.
 */
export function isEditInsideProject(payload: HookPayload, places: SignoffPlaces = signoffPlaces()): boolean {
  if (!FILE_WRITE_TOOLS.has(payload.tool_name) || !payload.cwd) return false;
  const paths = targetPaths(payload, places.home);
  if (!paths || paths.length === 0) return false;
  const { severity } = assessSeverity(payload, places);
  return severity === 'medium' || severity === 'low';
}
