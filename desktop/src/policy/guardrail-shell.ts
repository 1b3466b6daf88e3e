import { expandBraces, removeItemFlags, rmFlags } from '../agents/claude-code/severity-rules.js';
import { findDestructiveSql } from './guardrail-sql.js';
import {
  ASSIGNMENT,
  commandName,
  LEADING_KEYWORDS,
  lexCommand,
  ShellDialect,
  wrappedCommandStart,
  WRAPPERS,
  type LexedCommand,
  type ShellPart,
  type ShellToken,
  type ShellWord,
} from './shell-lexer.js';

/**
 * The `code-safety` guardrail's reading of shell command lines: what counts as
 * destructive (see `guardrails.ts` for the list), judged over the one shell reader the
 * policy has (`shell-lexer.ts`), never a second parser of its own that could read a
 * line differently from the rules.
 *
 * The guardrails must see more than the rules: every simple command (those inside
 * `$(…)`, backticks and `<(…)` included, as the reader lexes them in place), the
 * command a wrapper runs (`sudo`, `env`, `xargs`, `timeout`…: the reader's one list),
 * and every string a command is handed (quotes, here-documents), read again as a
 * command line up to {@link MAX_NESTING} levels. So `bash -c '…'`, `ssh host '…'` and
 * `python -c "os.system('…')"` are caught; the price, chosen knowingly, is that
 * `echo "rm -rf /"` is blocked too.
 *
 * Linear in the text: the reader is, and each nesting level reads strings the level
 * above handed on (at most {@link MAX_NESTING} + 1 readings of any character).
 */

/** How many times text inside quotes and here-documents is read again as a command line. */
export const MAX_NESTING = 4;

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

/** A command word without its directory or `.exe`, lower case: how Windows and PowerShell find it. */
function lowerName(word: string | undefined): string {
  return word === undefined ? '' : commandName(word).toLowerCase();
}

/** The words of the command that actually runs: `sudo -u root env X=1 rm -rf /` → `rm -rf /`. */
function unwrap(words: readonly string[]): readonly string[] {
  let i = 0;
  for (;;) {
    while (i < words.length && (ASSIGNMENT.test(words[i]!) || LEADING_KEYWORDS.has(words[i]!))) i++;
    if (i >= words.length || !WRAPPERS.has(commandName(words[i]!))) break;
    i = wrappedCommandStart(words, i);
  }
  return i === 0 ? words : words.slice(i);
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

/** Commands that refuse `/` unless given `--no-preserve-root`. */
const PRESERVING_ROOT: ReadonlySet<string> = new Set(['rm', 'chmod', 'chown', 'chgrp']);

/** What a POSIX command (`name` exact) destroys, in words, or `null`. */
function posixDanger(name: string, args: readonly string[], redirects: readonly string[]): string | null {
  if (PRESERVING_ROOT.has(name) && args.includes('--no-preserve-root')) return `disables ${name}'s protection of / (--no-preserve-root)`;
  for (const target of redirects) if (isDevice(target)) return `writes onto the device ${shown(target)}`;
  if (name === 'rm') {
    const { options, operands } = splitOptions(args);
    const target = rmFlags(options).recursive ? firstDangerous(operands) : null;
    if (target) return `deletes ${target} recursively (rm -r)`;
  }
  if (name === 'find' && args.some((a, i) => a === '-delete' || ((a === '-exec' || a === '-execdir') && commandName(args[i + 1] ?? '') === 'rm'))) {
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

const isWord = (token: ShellToken): token is { word: ShellWord } => 'word' in token;
/** Here-documents and here-strings feed a command's input; their text is read through {@link ShellPart.strings}. */
const INPUT_TEXT: ReadonlySet<string> = new Set(['<<', '<<-', '<<<']);

/**
 * The words of a part as the guardrails read them. A carriage return ends a word here
 * (bash keeps it in the word): a line from a CRLF file is read as its author meant it.
 */
function wordsOf(part: ShellPart): { words: string[]; redirects: string[] } {
  const words: string[] = [];
  const redirects: string[] = [];
  for (const token of part.tokens) {
    if (isWord(token)) {
      const text = token.word.text;
      if (text.includes('\r')) words.push(...text.split('\r').filter((w) => w !== ''));
      else words.push(text);
    } else if (!INPUT_TEXT.has(token.redirect.op)) {
      redirects.push(token.redirect.target.text.replace(/\r/g, ''));
    }
  }
  return { words, redirects };
}

/** Whether any word names an SQL client (`psql`, `docker exec db psql`): its strings are then read as SQL. */
function runsSql(parts: readonly ShellPart[]): boolean {
  for (const part of parts) {
    for (const token of part.tokens) {
      if (!isWord(token)) continue;
      const text = token.word.text;
      const cut = Math.max(text.lastIndexOf('/'), text.lastIndexOf('\\'));
      if (text.length - cut - 1 <= LONGEST_SQL_CLIENT && SQL_CLIENTS.has(lowerName(text))) return true;
    }
  }
  return false;
}
/** The longest name in {@link SQL_CLIENTS}, with `.exe`: longer names are not looked up. */
const LONGEST_SQL_CLIENT = Math.max(...[...SQL_CLIENTS].map((name) => name.length)) + 4;

/**
 * Reads a command line (lexed by the shared reader, `shell-lexer.ts`): each simple
 * command, nested ones included; redirections; pipes from a download into a script
 * runner; and the strings each command is handed (quotes, here-documents), read again
 * as command lines to {@link MAX_NESTING} levels.
 */
function scanShell(lexed: LexedCommand, dialect: ShellDialect, depth: number): ShellScan {
  const posix = dialect === ShellDialect.posix;
  const { parts } = lexed;
  // Whether the line runs an SQL client: asked only once a command hands on a string.
  let sql: boolean | undefined;
  const downloadingPipelines = new Set<number>();
  // downloadsBefore[i]: how many of the first i parts download (themselves or inside).
  const downloadsBefore = new Uint32Array(parts.length + 1);
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p]!;
    const { words, redirects } = wordsOf(part);
    const argv = unwrap(words);
    const base = commandName(argv[0] ?? '');
    const lower = base.toLowerCase();
    const args = argv.slice(1);
    const danger = (posix ? posixDanger(base, args, redirects) : null) ?? windowsDanger(base, args, posix);
    if (danger) return { danger, downloads: false };

    // The parts inside this one's substitutions come just before it.
    let innerDownload = downloadsBefore[p]! - downloadsBefore[p - part.inside]! > 0;
    for (const text of part.strings) {
      if ((sql ??= runsSql(parts))) {
        const found = findDestructiveSql(text);
        if (found) return { danger: `runs destructive SQL (${found})`, downloads: false };
      }
      if (depth < MAX_NESTING) {
        const scan = scanShell(lexCommand(text, dialect), dialect, depth + 1);
        if (scan.danger) return scan;
        innerDownload ||= scan.downloads;
      }
    }
    const name = posix ? base : lower;
    const selfDownload =
      (posix ? POSIX_DOWNLOADERS : POWERSHELL_DOWNLOADERS).has(name) || args.some((word) => /\.Download(?:String|File|Data)\b/i.test(word));
    const runner = (posix ? POSIX_RUNNERS : POWERSHELL_RUNNERS).has(name) || lower === 'invoke-expression';
    if (runner && (downloadingPipelines.has(part.pipeline) || innerDownload || selfDownload)) {
      return { danger: `runs a script straight from the network (a download run by ${name})`, downloads: true };
    }
    const downloads = selfDownload || innerDownload;
    if (downloads) downloadingPipelines.add(part.pipeline);
    downloadsBefore[p + 1] = downloadsBefore[p]! + (downloads ? 1 : 0);
  }
  return { danger: null, downloads: downloadsBefore[parts.length]! > 0 };
}

/** Characters PowerShell reads differently from a POSIX shell; without any, both read a line alike. */
const DIALECT_SENSITIVE = /[`\\'"(]/;

/**
 * What destructive shell command `text` holds read both ways (a Bash line calls
 * `pwsh -c`, a PowerShell line calls `wsl rm`: the union is the safe side), `first`
 * first (for the reason's wording). A line both dialects read alike is lexed once.
 */
export function findShellDangerEitherWay(text: string, first: ShellDialect, lexed?: LexedCommand): string | null {
  const second = first === ShellDialect.posix ? ShellDialect.powershell : ShellDialect.posix;
  const reading = lexed ?? lexCommand(text, first);
  return (
    scanShell(reading, first, 0).danger ?? scanShell(DIALECT_SENSITIVE.test(text) ? lexCommand(text, second) : reading, second, 0).danger
  );
}
