import { MAX_JSON_DEPTH, MAX_PAYLOAD_BYTES } from '@signoff/shared';
import { expandBraces, removeItemFlags, rmFlags } from '../agents/claude-code/severity-rules.js';
import { findPii } from './guardrail-pii.js';
import { parseCommandLine, ShellDialect, type ShellCommand } from './guardrail-shell.js';
import { findDestructiveSql } from './guardrail-sql.js';

/**
 * Guardrails: the last look at an approval before it takes effect. Whoever approved
 * (a person, a rule, a grant, a timeout's `onTimeout: approve`, a judge), the hub runs
 * {@link checkGuardrails} on what the approval would let happen; a hit turns the
 * approval into `blocked`, with the guardrail's id and reason.
 *
 * `code-safety` (destructive shell and SQL):
 * - `rm -r` (any spelling: `-rf`, `-fr`, `-r -f`, `--recursive`, through `sudo`/`env`/
 *   `xargs`/`timeout`…, `/bin/rm`) of `/`, `/*`, `~`, `$HOME`, a system directory or
 *   one level below it (`/etc`, `/usr/bin`, `/home/alice`; `/tmp` itself but not
 *   below it), or `$VAR/…` that is one of those when `$VAR` is empty; any
 *   `--no-preserve-root`; PowerShell `Remove-Item -Recurse` (and aliases) and
 *   `rd /s` of a drive root or a Windows system folder; `find <such a place> -delete`;
 * - `mkfs`, `wipefs`, `shred`… of a device, `dd of=/dev/…`, any redirection onto a
 *   device, `Format-Volume`/`Clear-Disk`, `format C:`;
 * - fork bombs (`:(){ :|:& };:`);
 * - recursive `chmod`/`chown`/`chgrp` of the places above (`chmod -R 777 /`);
 * - a download run as a script: `curl … | sh`, `wget -O- … | sudo bash`,
 *   `bash <(curl …)`, `sh -c "$(curl …)"`, `iwr … | iex`;
 * - `shutdown` (not `-c`), `reboot`, `halt`, `poweroff`, `init 0|6`,
 *   `systemctl reboot|poweroff|halt`, `Stop-Computer`, `Restart-Computer`;
 * - SQL: `DROP TABLE|DATABASE|SCHEMA`, `TRUNCATE`, `DELETE`/`UPDATE` without `WHERE`
 *   (see `guardrail-sql.ts`), in any string that is SQL, and inside the quotes and
 *   heredocs of a command line that runs an SQL client (`psql -c "…"`,
 *   `echo "…" | mysql`, `sqlite3 db "…"`); `dropdb`.
 *
 * Text inside quotes and substitutions is read again as a command line (up to
 * {@link MAX_NESTING} levels), so `bash -c '…'`, `ssh host '…'` and
 * `python -c "os.system('…')"` are caught. The price, chosen knowingly:
 * `echo "rm -rf /"` is blocked too. SQL keywords in quotes are read as SQL only when the
 * line runs an SQL client, so `git commit -m "drop table users"` passes.
 *
 * `pii`: US Social Security numbers (`123-45-6789` with valid area, group and serial;
 * without dashes only after a label such as `SSN`), card numbers of a known network
 * that pass the Luhn check (contiguous or grouped as cards are written), private-key
 * blocks. See `guardrail-pii.ts`.
 *
 * Every string in the arguments is read (and the action's name, and the request's
 * text when there is no action). Bounded for hostile input: at most
 * {@link MAX_JSON_DEPTH} levels and {@link MAX_PAYLOAD_BYTES} of text and nodes, each
 * string read in linear time. Arguments beyond those bounds cannot be checked, so they
 * are a hit (of the first guardrail switched on), not a pass.
 */

export const GuardrailId = { codeSafety: 'code-safety', pii: 'pii' } as const;
export type GuardrailId = (typeof GuardrailId)[keyof typeof GuardrailId];

/** Why an approval was blocked. */
export interface GuardrailHit {
  id: GuardrailId;
  /** Plain words for the agent and the person: what was found and where; secrets masked. */
  reason: string;
}

/** Which guardrails are on (`policy.yaml` can turn each off). */
export type GuardrailSwitches = Readonly<Record<GuardrailId, boolean>>;

/** What an approval would let happen: the action's name and arguments (edited if given), plus the request's text fields when there is no action. */
export interface GuardedAction {
  name?: string;
  args?: unknown;
  text?: readonly string[];
}

/** How many times text inside quotes and substitutions is read again as a command line. */
export const MAX_NESTING = 4;

/** First hit, `code-safety` before `pii`; `null` when the approval may stand. */
export function checkGuardrails(action: GuardedAction, switches: GuardrailSwitches): GuardrailHit | null {
  const order = [GuardrailId.codeSafety, GuardrailId.pii].filter((id) => switches[id]);
  if (order.length === 0) return null;
  const collected = collectStrings(action);
  if (typeof collected === 'string') return { id: order[0]!, reason: collected };
  for (const id of order) {
    const powershellFirst = /powershell|pwsh/i.test(action.name ?? '');
    const check = id === GuardrailId.codeSafety ? (text: string) => findCodeDanger(text, powershellFirst) : findPii;
    for (const { text, where } of collected) {
      const found = check(text);
      if (found) return { id, reason: `${capitalize(id === GuardrailId.pii ? `contains ${found}` : found)}, in ${where()}.` };
    }
  }
  return null;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// --- Collecting strings ---------------------------------------------------------------

interface Found {
  text: string;
  /** Where the string is, in words (`args.command`, `text[0]`); built only when needed. */
  where: () => string;
}

interface Node {
  value: unknown;
  depth: number;
  parent: Node | null;
  key: string | number | null;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function pathOf(node: Node): string {
  const parts: string[] = [];
  for (let n: Node | null = node; n; n = n.parent) {
    if (n.key === null) parts.push('args');
    else if (typeof n.key === 'number') parts.push(`[${n.key}]`);
    else parts.push(IDENTIFIER.test(n.key) ? `.${n.key}` : `[${JSON.stringify(n.key.length > 40 ? `${n.key.slice(0, 40)}…` : n.key)}]`);
  }
  return parts.reverse().join('');
}

/**
 * Every string to read, or why the arguments cannot be checked. Walks with an explicit
 * stack; every node costs at least one unit of the budget, so neither depth, breadth,
 * size nor a shared or cyclic object can make it slow.
 */
function collectStrings(action: GuardedAction): Found[] | string {
  const found: Found[] = [];
  let budget = MAX_PAYLOAD_BYTES;
  const take = (text: string, where: () => string) => {
    budget -= text.length;
    found.push({ text, where });
  };
  if (typeof action.name === 'string') take(action.name, () => "the action's name");
  action.text?.forEach((text, i) => {
    if (typeof text === 'string') take(text, () => `the request's text (field ${i + 1})`);
  });

  const stack: Node[] = action.args === undefined ? [] : [{ value: action.args, depth: 1, parent: null, key: null }];
  const tooMuch = `The arguments hold more than ${MAX_PAYLOAD_BYTES / 1024} KiB, too much to check.`;
  while (stack.length > 0) {
    // Every node is charged when pushed, so the stack never outgrows the budget.
    if (budget < 0) return tooMuch;
    const node = stack.pop()!;
    const { value } = node;
    if (typeof value === 'string') take(value, () => pathOf(node));
    else if (typeof value === 'number' || typeof value === 'bigint') take(String(value), () => pathOf(node));
    else if (value !== null && typeof value === 'object') {
      if (node.depth > MAX_JSON_DEPTH) return `The arguments are nested deeper than ${MAX_JSON_DEPTH} levels, too deep to check.`;
      budget -= Array.isArray(value) ? value.length : 0;
      if (budget < 0) return tooMuch;
      const keys: (string | number)[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
      if (!Array.isArray(value)) budget -= keys.length;
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i]!;
        if (typeof key === 'string') budget -= key.length;
        stack.push({ value: (value as Record<string | number, unknown>)[key], depth: node.depth + 1, parent: node, key });
      }
    }
  }
  return budget < 0 ? tooMuch : found;
}

// --- code-safety ----------------------------------------------------------------------

/** `name(){ name|name& };name` and `function name { name | name & }`, any name. */
const FORK_BOMB = /(?<![\w:.-])([\w:.-]{1,64})\s*\(\s*\)\s*\{\s*\1\s*\|\s*\1\s*&|\bfunction\s+([\w:.-]{1,64})\s*(?:\(\s*\)\s*)?\{\s*\2\s*\|\s*\2\s*&/;

/** What destructive code `text` holds, in words, or `null`; `powershellFirst` for a PowerShell tool (for the reason's wording). */
function findCodeDanger(text: string, powershellFirst: boolean): string | null {
  const sql = findDestructiveSql(text);
  if (sql) return `runs destructive SQL (${sql})`;
  if (FORK_BOMB.test(text)) return 'starts a fork bomb';
  // Read both ways: a Bash line calls `pwsh -c`, a PowerShell line calls `wsl rm`; the union is the safe side.
  const [first, second] = powershellFirst ? [ShellDialect.powershell, ShellDialect.posix] : [ShellDialect.posix, ShellDialect.powershell];
  return scanShell(text, first, 0).danger ?? scanShell(text, second, 0).danger;
}

/*
 * Command names. POSIX names are matched exactly (`Reboot the server?` in a request's
 * text is prose, not `reboot`); PowerShell's, and cmdlets with a dash anywhere, in
 * any case, as PowerShell and Windows match them.
 */
const SQL_CLIENTS: ReadonlySet<string> = new Set([
  'psql', 'pgcli', 'mysql', 'mariadb', 'mycli', 'sqlite3', 'sqlite', 'litecli', 'duckdb', 'sqlcmd', 'osql', 'isql', 'usql',
  'clickhouse', 'clickhouse-client', 'cockroach', 'snowsql', 'bq', 'trino', 'presto', 'spark-sql', 'invoke-sqlcmd',
]);
const POSIX_DOWNLOADERS: ReadonlySet<string> = new Set(['curl', 'wget', 'fetch', 'aria2c', 'http', 'https', 'xh']);
const POWERSHELL_DOWNLOADERS: ReadonlySet<string> = new Set(['curl', 'wget', 'iwr', 'irm', 'invoke-webrequest', 'invoke-restmethod', 'start-bitstransfer']);
/** Commands that run the script they are given on stdin or as text. */
const POSIX_RUNNERS: ReadonlySet<string> = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'fish', 'csh', 'tcsh', 'pwsh', 'powershell', 'source', '.', 'eval']);
const POWERSHELL_RUNNERS: ReadonlySet<string> = new Set(['iex', 'invoke-expression', 'pwsh', 'powershell', 'cmd', 'bash', 'sh']);
/** PowerShell's `Remove-Item` and its aliases; cmd.exe's `rd`/`del` (with `/s`). */
const REMOVE_ITEM: ReadonlySet<string> = new Set(['remove-item', 'ri', 'rm', 'del', 'erase', 'rd', 'rmdir']);
const WIPERS = /^(?:mkfs(?:\..+)?|mke2fs|mkswap|mkntfs|mkdosfs|wipefs|shred|blkdiscard)$/;
const DISK_CMDLETS: ReadonlySet<string> = new Set(['format-volume', 'clear-disk', 'initialize-disk', 'remove-partition']);
const POWER_OFF: ReadonlySet<string> = new Set(['reboot', 'halt', 'poweroff']);
const POWER_OFF_CMDLETS: ReadonlySet<string> = new Set(['stop-computer', 'restart-computer']);

/**
 * Commands that run the command after them; the options that take a value (so the
 * value is not mistaken for the command), and how many operands come first.
 */
const WRAPPERS: ReadonlyMap<string, { values?: readonly string[]; operands?: number }> = new Map(
  Object.entries({
    sudo: { values: ['-u', '-g', '-C', '-D', '-h', '-p', '-U', '-r', '-t', '-T', '-R'] },
    doas: { values: ['-u', '-C'] },
    run0: { values: ['-u', '-g', '-D'] },
    env: { values: ['-u', '-C'] },
    nice: { values: ['-n'] },
    ionice: { values: ['-c', '-n', '-p'] },
    timeout: { values: ['-s', '-k'], operands: 1 },
    stdbuf: { values: ['-i', '-o', '-e'] },
    xargs: { values: ['-I', '-n', '-P', '-d', '-E', '-L', '-s', '-a'] },
    exec: { values: ['-a'] },
    chroot: { operands: 1 },
    watch: { values: ['-n', '-d'] },
    nohup: {},
    time: {},
    command: {},
    builtin: {},
    setsid: {},
    busybox: {},
    then: {},
    do: {},
    else: {},
    '!': {},
    if: {},
    while: {},
    until: {},
    elif: {},
  }),
);

/** A command word without its directory (`/bin/rm` → `rm`) or `.exe`. */
function baseName(word: string | undefined): string {
  if (word === undefined) return '';
  return word.slice(Math.max(word.lastIndexOf('/'), word.lastIndexOf('\\')) + 1).replace(/\.exe$/i, '');
}

/** The words of the command that actually runs: `sudo -u root env X=1 rm -rf /` → `rm -rf /`. */
function unwrap(words: readonly string[]): string[] {
  let i = 0;
  for (;;) {
    while (i < words.length && /^[A-Za-z_]\w*=/.test(words[i]!)) i++;
    const wrapper = i < words.length ? WRAPPERS.get(baseName(words[i])) : undefined;
    if (!wrapper) break;
    i++;
    while (i < words.length && words[i]!.startsWith('-')) {
      const option = words[i++]!;
      if (option === '--') break;
      if (wrapper.values?.includes(option)) i++;
    }
    i += wrapper.operands ?? 0;
  }
  return words.slice(i);
}

/** Words before `--` that start with `-`, and the operands (everything else, all words after `--`). */
function splitOptions(args: readonly string[]): { options: string[]; operands: string[] } {
  const end = args.indexOf('--');
  const before = end === -1 ? args : args.slice(0, end);
  const after = end === -1 ? [] : args.slice(end + 1);
  return { options: before.filter((a) => a.startsWith('-')), operands: [...before.filter((a) => !a.startsWith('-')), ...after] };
}

const SAFE_DEVICE = /^\/dev\/(?:null|zero|full|u?random|std(?:in|out|err)|tty\w*|console|ptmx|(?:pts|fd|shm)\/.*)$/;

/** A disk, partition or other device that writing onto destroys data. */
function isDevice(path: string): boolean {
  return (path.startsWith('/dev/') && !SAFE_DEVICE.test(path)) || /^\\\\?\.\\?PhysicalDrive\d/i.test(path);
}

/** Top-level directories whose loss breaks the system or a person's data (lower case: macOS and Windows ignore case). */
const SYSTEM_DIRS: ReadonlySet<string> = new Set([
  'bin', 'boot', 'dev', 'etc', 'home', 'lib', 'lib32', 'lib64', 'libx32', 'media', 'mnt', 'opt', 'proc', 'root', 'run', 'sbin', 'snap',
  'srv', 'sys', 'usr', 'var', 'nix', 'system', 'library', 'applications', 'users', 'private', 'volumes',
]);
const WINDOWS_DIRS: ReadonlySet<string> = new Set([
  'windows', 'program files', 'program files (x86)', 'programdata', 'users', 'boot', 'recovery', 'system volume information',
]);
const HOME_DIRS: ReadonlySet<string> = new Set(['home', 'users', 'root']);

/** Path segments with `.`, `..`, empty and trailing match-everything globs (`*`, `.*`, `**`) resolved. */
function segments(path: string): string[] {
  const out: string[] = [];
  for (const part of path.split(/[\\/]+/)) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  while (out.length > 0 && /^[*?.]*[*?][*?.]*$/.test(out[out.length - 1]!)) out.pop();
  return out;
}

/** What a POSIX absolute path destroys when deleted recursively, or `null` when it is narrow enough. */
function posixPlace(path: string): string | null {
  const parts = segments(path);
  if (parts.length === 0) return 'the whole filesystem';
  const top = parts[0]!.toLowerCase();
  // `/tmp` itself breaks running programs' sockets and locks; emptying it (`/tmp/*`) or anything below it is ordinary cleanup.
  if (top === 'tmp') return parts.length === 1 && /^\/+tmp\/*$/i.test(path) ? 'the system temporary directory' : null;
  if (!SYSTEM_DIRS.has(top) || parts.length > 2) return null;
  if (HOME_DIRS.has(top)) return parts.length === 1 || top === 'root' ? 'the home directories' : 'a home directory';
  return 'a system directory';
}

/** What deleting `target` recursively destroys (root, a home, a system directory), or `null`. */
function dangerousPlace(target: string): string | null {
  // Braces expand to places of their own (`{/,x}`); hostile braces are left unexpanded.
  const braces = target.length <= 256 && (target.match(/\{/g)?.length ?? 0) <= 8;
  for (const alternative of (braces ? expandBraces(target) : undefined) ?? [target]) {
    const place = placeOf(alternative);
    if (place) return place;
  }
  return null;
}

function placeOf(target: string): string | null {
  let path = target
    .replace(/^(?:\$\{HOME\}|\$HOME|\$env:(?:USERPROFILE|HOME)|%USERPROFILE%)(?=$|[\\/])/i, '~')
    .replace(/^(?:\$env:(?:SystemRoot|windir)|%(?:SystemRoot|windir)%)(?=$|[\\/])/i, 'C:\\Windows')
    .replace(/^(?:\$env:SystemDrive|%SystemDrive%)(?=$|[\\/])/i, 'C:');
  if (path === '~' || path.startsWith('~/') || path.startsWith('~\\')) return segments(path.slice(1)).length === 0 ? 'your home directory' : null;
  if (/^~[\w.-]+[\\/]?$/.test(path)) return 'a home directory';
  const drive = /^([A-Za-z]):(.*)$/.exec(path);
  if (drive) {
    const parts = segments(drive[2]!);
    if (parts.length === 0) return `the whole ${drive[1]!.toUpperCase()}: drive`;
    const top = parts[0]!.toLowerCase();
    if (!WINDOWS_DIRS.has(top) || parts.length > 2) return null;
    return top === 'users' ? 'a home directory' : 'a Windows system folder';
  }
  // `$DIR/…` with `$DIR` unset or empty is `/…`: the mistake that once wiped Steam users' disks.
  const variable = /^(?:\$\{\w+\}|\$\w+)([\\/].*)$/.exec(path);
  if (variable) {
    const place = posixPlace(variable[1]!);
    return place ? `${place} if the variable is empty` : null;
  }
  path = path.replace(/\\/g, '/');
  return path.startsWith('/') ? posixPlace(path) : null;
}

/** A target as shown in a reason: short, on one line. */
function shown(target: string): string {
  const line = target.replace(/\s+/g, ' ');
  return `"${line.length > 60 ? `${line.slice(0, 60)}…` : line}"`;
}

/** The first of `operands` that is a dangerous place, described. */
function firstDangerous(operands: readonly string[]): string | null {
  for (const operand of operands) {
    const place = dangerousPlace(operand);
    if (place) return `${shown(operand)} (${place})`;
  }
  return null;
}

/** What a POSIX command (`name` exact) destroys, in words, or `null`. */
function posixDanger(name: string, args: readonly string[], command: ShellCommand): string | null {
  if (['rm', 'chmod', 'chown', 'chgrp'].includes(name) && args.includes('--no-preserve-root')) return `disables ${name}'s protection of / (--no-preserve-root)`;
  for (const target of command.redirects) if (isDevice(target)) return `writes onto the device ${shown(target)}`;
  if (name === 'rm') {
    const { options, operands } = splitOptions(args);
    const target = rmFlags(options).recursive ? firstDangerous(operands) : null;
    if (target) return `deletes ${target} recursively (rm -r)`;
  }
  if (name === 'find' && args.some((a, i) => a === '-delete' || ((a === '-exec' || a === '-execdir') && baseName(args[i + 1]) === 'rm'))) {
    const start = args.findIndex((a) => a.startsWith('-') || a === '(' || a === '!');
    const target = firstDangerous(args.slice(0, start === -1 ? args.length : start));
    if (target) return `deletes everything under ${target} (find -delete)`;
  }
  if (WIPERS.test(name)) {
    const device = args.map((a) => a.slice(a.indexOf('=') + 1)).find(isDevice);
    if (device) return `wipes the device ${shown(device)} (${name})`;
  }
  if (name === 'dd' || name === 'tee') {
    const device = args.map((a) => (name === 'tee' ? a : a.startsWith('of=') ? a.slice(3) : '')).find(isDevice);
    if (device) return `writes onto the device ${shown(device)} (${name})`;
  }
  if (name === 'chmod' || name === 'chown' || name === 'chgrp') {
    const { options, operands } = splitOptions(args);
    const recursive = options.some((o) => o === '--recursive' || /^-[a-zA-Z]*R/.test(o));
    const reference = options.some((o) => o.startsWith('--reference'));
    const target = recursive ? firstDangerous(reference ? operands : operands.slice(1)) : null;
    if (target) return `changes ${name === 'chmod' ? 'the permissions' : 'the owner'} of everything under ${target} (${name} -R)`;
  }
  if (name === 'shutdown' && !args.some((a) => a === '-c' || a === '--cancel')) return 'shuts the machine down (shutdown)';
  if (POWER_OFF.has(name)) return `shuts down or restarts the machine (${name})`;
  if ((name === 'init' || name === 'telinit') && (args[0] === '0' || args[0] === '6')) return `shuts down or restarts the machine (${name} ${args[0]})`;
  if ((name === 'systemctl' || name === 'loginctl') && args.some((a) => /^(?:poweroff|reboot|halt|kexec|soft-reboot)$/.test(a))) {
    return `shuts down or restarts the machine (${name})`;
  }
  if (name === 'dropdb') return 'drops a database (dropdb)';
  return null;
}

/**
 * What a PowerShell or cmd.exe command (`name` in lower case) destroys, or `null`.
 * On POSIX lines only names with a dash (cmdlets) and `rd|del … /s` are read here.
 */
function windowsDanger(shownName: string, args: readonly string[], posix: boolean): string | null {
  const name = shownName.toLowerCase();
  const cmdletOnly = posix && !name.includes('-');
  if (REMOVE_ITEM.has(name)) {
    const slashS = args.some((a) => /^\/s$/i.test(a));
    const recurse = slashS || (!cmdletOnly && removeItemFlags(args).recurse);
    const targets = args.map((a) => a.replace(/^-(?:literal)?path:/i, '')).filter((a) => !a.startsWith('-') && !/^\/[a-z?]$/i.test(a));
    const target = recurse ? firstDangerous(targets) : null;
    if (target) return `deletes ${target} recursively (${shownName}${slashS ? ' /s' : ' -Recurse'})`;
  }
  if (cmdletOnly) return null;
  if (DISK_CMDLETS.has(name)) return `wipes a disk or volume (${shownName})`;
  if (name === 'format' && args.some((a) => /^[A-Za-z]:\\?$/.test(a))) return 'formats a drive (format)';
  if (POWER_OFF_CMDLETS.has(name)) return `shuts down or restarts the machine (${shownName})`;
  if (name === 'shutdown' && args.some((a) => /^[/-][srpg]$/i.test(a))) return 'shuts down or restarts the machine (shutdown)';
  return null;
}

interface ShellScan {
  danger: string | null;
  /** A command here (or inside) downloads: `bash <(curl …)` runs what it fetched. */
  downloads: boolean;
}

/**
 * Reads `text` as a command line: each simple command, redirections, pipes from a
 * download into a script runner, and the text inside quotes and substitutions, again
 * (to {@link MAX_NESTING} levels; each level reads disjoint slices, so the work stays
 * linear).
 */
function scanShell(text: string, dialect: ShellDialect, depth: number): ShellScan {
  const posix = dialect === ShellDialect.posix;
  const commands = parseCommandLine(text, dialect);
  const runsSql = commands.some((c) => c.words.some((w) => SQL_CLIENTS.has(baseName(w).toLowerCase())));
  const downloadingPipelines = new Set<number>();
  let anyDownload = false;
  for (const command of commands) {
    const argv = unwrap(command.words);
    const base = baseName(argv[0]);
    const lower = base.toLowerCase();
    const args = argv.slice(1);
    const danger = (posix ? posixDanger(base, args, command) : null) ?? windowsDanger(base, args, posix);
    if (danger) return { danger, downloads: false };

    let innerDownload = false;
    for (const inner of command.inner) {
      if (runsSql) {
        const sql = findDestructiveSql(inner);
        if (sql) return { danger: `runs destructive SQL (${sql})`, downloads: false };
      }
      if (depth < MAX_NESTING) {
        const scan = scanShell(inner, dialect, depth + 1);
        if (scan.danger) return scan;
        innerDownload ||= scan.downloads;
      }
    }
    const name = posix ? base : lower;
    const selfDownload =
      (posix ? POSIX_DOWNLOADERS : POWERSHELL_DOWNLOADERS).has(name) || args.some((word) => /\.Download(?:String|File|Data)\b/i.test(word));
    const runner = (posix ? POSIX_RUNNERS : POWERSHELL_RUNNERS).has(name) || lower === 'invoke-expression';
    if (runner && (downloadingPipelines.has(command.pipeline) || innerDownload || selfDownload)) {
      return { danger: `runs a script straight from the network (a download run by ${name})`, downloads: true };
    }
    if (selfDownload || innerDownload) {
      downloadingPipelines.add(command.pipeline);
      anyDownload = true;
    }
  }
  return { danger: null, downloads: anyDownload };
}
