import { isAbsolute, relative, resolve } from 'node:path';
import type { Severity } from '@signoff/shared';
import type { HookPayload } from './hook-payload.js';
import { commandTouches, pathTouches, signoffPlaces, TouchReason, urlTouches, type SignoffPlaces } from './signoff-guard.js';

/**
 * How risky a Claude Code tool call looks, from simple documented rules. The
 * highest matching rule wins; every match is kept as a reason people can read.
 *
 * critical: anything touching Signoff itself (see `signoff-guard.ts`): the data dir (`~/.signoff`,
 *   `$SIGNOFF_HOME`), token, key and database files, `signoff pair|respond|devices|hub`, the hub's
 *   port (7475, `$SIGNOFF_PORT`), stopping the hub — an agent there could approve itself;
 *   `rm` with recursive + force flags; `git push --force`/`-f`/`--force-with-lease`/`+ref`;
 *   SQL `DROP TABLE|DATABASE|SCHEMA…`, `TRUNCATE`, `DELETE FROM t` without `WHERE`;
 *   `mkfs`, `dd of=/dev/…`; `terraform destroy`; a file tool writing outside `cwd`.
 * high: `sudo`; a download piped into a shell; `git push`; `git reset --hard`, `git clean -f`,
 *   `git branch -D`; publishing a package; recursive `chmod`/`chown`; `kubectl delete`,
 *   `terraform apply`; writing or reading secrets (`.env`, `.ssh/`, `.aws/`, keys, `.npmrc`, `.git/` internals).
 * medium: any other shell command or file write inside `cwd`, web fetches, sub-agents, MCP tools, unknown tools;
 *   read-only tools reading outside `cwd`.
 * low: read-only tools (see {@link READ_ONLY_TOOLS}) inside `cwd`.
 */

export interface SeverityAssessment {
  severity: Severity;
  /** Why, in words for the approver; empty for the plain default. */
  reasons: string[];
}

/** Tools that only read: the `--allow-read-only` option lets them through without asking. */
export const READ_ONLY_TOOLS: ReadonlySet<string> = new Set(['Read', 'Glob', 'Grep', 'LS', 'NotebookRead', 'WebSearch', 'BashOutput']);
/** Tools that write the file named in their input. */
export const FILE_WRITE_TOOLS: ReadonlySet<string> = new Set(['Write', 'Edit', 'MultiEdit', 'NotebookEdit']);

const RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

interface CommandRule {
  severity: Severity;
  reason: string;
  matches(command: string): boolean;
}

const pattern = (re: RegExp) => (command: string) => re.test(command);

/** `rm` invocations (up to a command separator) whose flags say both recursive and force. */
function rmRecursiveForce(command: string): boolean {
  for (const match of command.matchAll(/(?:^|[\s;&|(`])rm\s+([^;&|`)\n]*)/g)) {
    const flags = match[1]!.split(/\s+/).filter((word) => word.startsWith('-'));
    const recursive = flags.some((f) => f === '--recursive' || /^-[a-zA-Z]*[rR]/.test(f));
    const force = flags.some((f) => f === '--force' || /^-[a-zA-Z]*f/.test(f));
    if (recursive && force) return true;
  }
  return false;
}

const COMMAND_RULES: CommandRule[] = [
  { severity: 'critical', reason: 'deletes files recursively without confirmation (rm -rf)', matches: rmRecursiveForce },
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
  { severity: 'high', reason: 'pipes a download into a shell', matches: pattern(/\b(?:curl|wget)\b[^;&\n]*\|\s*(?:sudo\s+)?(?:ba|z|da)?sh\b/) },
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

/** Paths whose contents are secrets or repository internals. */
const SENSITIVE_PATH = /(?:^|\/)(?:\.env(?:\.[\w-]+)?|\.ssh\/|\.aws\/|\.gnupg\/|\.npmrc|\.pypirc|\.netrc|id_(?:rsa|ed25519|ecdsa)\b|[^/]*\.(?:pem|key|p12)$|credentials(?:\.json)?$|\.git\/)/;

/** The file or directory a tool call names, if any. */
export function targetPath(payload: HookPayload): string | undefined {
  const input = payload.tool_input;
  for (const key of ['file_path', 'notebook_path', 'path']) {
    const value = input[key];
    if (typeof value === 'string' && value) return value;
  }
  return undefined;
}

/** Whether `path` lies outside `cwd` (false when either is unknown). */
export function isOutside(path: string | undefined, cwd: string | undefined): boolean {
  if (!path || !cwd) return false;
  const rel = relative(cwd, resolve(cwd, path));
  return rel === '..' || rel.startsWith('../') || rel.startsWith('..\\') || isAbsolute(rel);
}

/** Input fields of file and search tools that name a path or a path pattern. */
const PATH_FIELDS = ['file_path', 'notebook_path', 'path', 'pattern', 'glob'] as const;

/** Why a call touches Signoff's own data, commands or port (each reason once), or nothing. */
function signoffTouches(payload: HookPayload, places: SignoffPlaces): string[] {
  const input = payload.tool_input;
  const reasons = new Set<string>();
  if (payload.tool_name === 'Bash') {
    for (const reason of commandTouches(typeof input.command === 'string' ? input.command : '', places)) reasons.add(reason);
  } else if (FILE_WRITE_TOOLS.has(payload.tool_name) || READ_ONLY_TOOLS.has(payload.tool_name)) {
    for (const field of PATH_FIELDS) {
      const value = input[field];
      if (typeof value === 'string' && value && pathTouches(value, payload.cwd, places)) reasons.add(TouchReason.data);
    }
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
  const path = targetPath(payload);
  const sensitive = path !== undefined && SENSITIVE_PATH.test(path.replaceAll('\\', '/'));
  const outside = isOutside(path, payload.cwd);

  if (tool === 'Bash') {
    const command = typeof payload.tool_input.command === 'string' ? payload.tool_input.command : '';
    for (const rule of COMMAND_RULES) if (rule.matches(command)) found.push(rule);
    found.push({ severity: 'medium', reason: '' });
  } else if (FILE_WRITE_TOOLS.has(tool)) {
    if (outside) found.push({ severity: 'critical', reason: 'writes outside the project directory' });
    if (sensitive) found.push({ severity: 'high', reason: 'writes a secret or repository-internal file' });
    found.push({ severity: 'medium', reason: '' });
  } else if (READ_ONLY_TOOLS.has(tool)) {
    if (sensitive) found.push({ severity: 'high', reason: 'reads a secret or repository-internal file' });
    if (outside) found.push({ severity: 'medium', reason: 'reads outside the project directory' });
    found.push({ severity: 'low', reason: '' });
  } else {
    found.push({ severity: 'medium', reason: '' });
  }

  const severity = found.reduce<Severity>((top, f) => (RANK[f.severity] > RANK[top] ? f.severity : top), 'low');
  return { severity, reasons: found.map((f) => f.reason).filter(Boolean) };
}

/** A read-only tool inside the project touching nothing sensitive: may pass without asking when configured. */
export function isHarmlessRead(payload: HookPayload, places: SignoffPlaces = signoffPlaces()): boolean {
  // Without a cwd, "inside the project" cannot be told: ask.
  if (targetPath(payload) !== undefined && !payload.cwd) return false;
  return READ_ONLY_TOOLS.has(payload.tool_name) && assessSeverity(payload, places).severity === 'low';
}
