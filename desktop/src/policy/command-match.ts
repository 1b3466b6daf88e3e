import { posix } from 'node:path';
import {
  ASSIGNMENT,
  commandName,
  LEADING_KEYWORDS,
  lexCommand,
  wrappedCommandStart,
  WRAPPERS,
  type LexedCommand,
  type ShellPart,
  type ShellRedirect,
  type ShellToken,
  type ShellWord,
} from './shell-lexer.js';
import type { TextMatcher } from './text-glob.js';

/**
 * Shell-aware matching of a rule's `command` globs against `args.command`.
 *
 * The line is split into simple commands ("parts") by a real lexer (`shell-lexer.ts`):
 * at `&&`, `||`, `;`, `|`, `&`, newlines and parentheses, quotes respected (`echo "a && b"`
 * is one part). Each part's words, quotes removed, are joined with single spaces and
 * matched whole against the globs, where `*` spans spaces (`npm test*` holds for
 * `npm test -- --run`) but never another part.
 *
 * - An allow or audit rule's command condition holds only if EVERY part matches one of
 *   its globs, and only if nothing in the line is unsafe (below).
 * - A deny or ask rule's command condition holds if ANY part matches, nested ones
 *   included (the commands inside `$(…)`, `` `…` ``, `sh -c '…'`, `eval '…'`, and the
 *   command a wrapper such as `sudo` or `env` runs).
 *
 * Unsafe, so never allowed by a rule (the request goes to a human): command and
 * process substitution; `eval`, `source`/`.`, `exec`, shells given `-c` or reading
 * their input; commands that run other commands (`sudo`, `env`, `nohup`, `timeout`,
 * `xargs`, `find -exec`, …); a command name that comes from a variable or a glob;
 * `for`/`case`/function definitions; redirections to paths outside the project, to
 * hidden files in it (`.git/hooks/…`, `.env`), to paths only known at run time, or
 * to any file when the request names no project directory; whatever the lexer cannot
 * read exactly. Safety over convenience: when unsure, a person decides.
 *
 * Variable assignments before a command (`FOO=1 rm …`) are stripped for deny and ask
 * rules. For allow and audit rules only a few harmless names are stripped
 * ({@link HARMLESS_ENV_NAMES}); any other (`PATH=…`, `NODE_OPTIONS=…`, `LD_PRELOAD=…`
 * change what runs) must be written out in the glob (`CI=1 npm test*`).
 */

/** Where the command runs: redirections are judged against the project directory. */
export interface CommandContext {
  /** The project directory (absolute), if the request named one. */
  cwd?: string;
  home: string;
}

/** A command line as the rules see it. */
export interface CommandAnalysis {
  /** Per top-level part, the texts an allow or audit glob may match (any of them). */
  allowTexts: string[][];
  /** Per part, nested ones included, the texts a deny or ask glob is matched against. */
  denyTexts: string[][];
  /** Why no rule may allow this command (each reason once); empty when rules may. */
  unsafe: string[];
}

/** Assignments stripped before allow globs are matched: they change no program's behaviour in a risky way. */
export const HARMLESS_ENV_NAMES: ReadonlySet<string> = new Set([
  'CI',
  'FORCE_COLOR',
  'NO_COLOR',
  'TERM',
  'LANG',
  'LC_ALL',
  'TZ',
  'NODE_ENV',
  'DEBUG',
  'RUST_BACKTRACE',
  'RUST_LOG',
  'COLUMNS',
  'LINES',
]);

const SHELLS: ReadonlySet<string> = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'fish', 'csh', 'tcsh']);
/** Shell options that take a value (`bash -o pipefail -c …`). */
const SHELL_OPTIONS_WITH_VALUE: ReadonlySet<string> = new Set(['-o', '+o', '-O', '+O', '--rcfile', '--init-file']);
/** Reserved words that open constructs these rules do not model. */
const UNMODELLED_KEYWORDS: ReadonlySet<string> = new Set(['for', 'case', 'select', 'function', 'coproc', 'in']);
/** Devices a redirection may always name. */
const HARMLESS_DEVICES: ReadonlySet<string> = new Set(['/dev/null', '/dev/stdout', '/dev/stderr']);
/** Most levels of `sh -c '…'` inside each other that are looked into for deny and ask rules. */
const MAX_NESTED_STRINGS = 4;

const isWord = (token: ShellToken): token is { word: ShellWord } => 'word' in token;

function renderRedirect(r: ShellRedirect): string {
  const head = `${r.fd ?? ''}${r.op}`;
  return (r.op === '>&' || r.op === '<&') && /^(?:\d+-?|-)$/.test(r.target.text) ? `${head}${r.target.text}` : `${head} ${r.target.text}`;
}

const render = (tokens: readonly ShellToken[]): string => tokens.map((t) => (isWord(t) ? t.word.text : renderRedirect(t.redirect))).join(' ');


class Analyzer {
  readonly allowTexts: string[][] = [];
  readonly denyTexts: string[][] = [];
  readonly unsafe = new Set<string>();

  constructor(private readonly context: CommandContext) {}

  analyze(command: string | LexedCommand, nesting: number): void {
    const lexed = typeof command === 'string' ? lexCommand(command) : command;
    for (const reason of lexed.unsafe) this.unsafe.add(reason);
    for (const part of lexed.parts) this.part(part, nesting === 0 && part.depth === 0, nesting);
  }

  private part(part: ShellPart, topLevel: boolean, nesting: number): void {
    const tokens = [...part.tokens];
    // Leading reserved words: `if git status` runs `git status`; `for x in …` is not modelled.
    while (tokens.length > 0) {
      const first = tokens[0]!;
      if (!isWord(first) || first.word.quoted) break;
      if (UNMODELLED_KEYWORDS.has(first.word.text)) this.unsafe.add(`a "${first.word.text}" construct`);
      if (!LEADING_KEYWORDS.has(first.word.text)) break;
      tokens.shift();
      const next = tokens[0];
      if (first.word.text === 'time' && next && isWord(next) && next.word.text === '-p') tokens.shift();
    }
    if (tokens.length === 0) return;

    for (const token of tokens) if (!isWord(token)) this.checkRedirect(token.redirect);

    // Assignments before the command word (redirections may sit among them).
    const names: string[] = [];
    const bare: ShellToken[] = [];
    let commandSeen = false;
    for (const token of tokens) {
      if (!commandSeen && isWord(token)) {
        const assignment = ASSIGNMENT.exec(token.word.raw);
        if (assignment) {
          names.push(assignment[1]!);
          continue;
        }
        commandSeen = true;
      }
      bare.push(token);
    }
    const words = bare.filter(isWord).map((t) => t.word);
    const full = render(tokens);
    const stripped = render(bare);
    const deny = new Set([full, stripped].filter((text) => text !== ''));
    if (words.length > 0) this.checkCommand(words, deny, nesting);

    if (topLevel) {
      const allow = [full];
      if (names.length > 0 && words.length > 0 && names.every((n) => HARMLESS_ENV_NAMES.has(n))) allow.push(stripped);
      this.allowTexts.push(allow);
    }
    this.denyTexts.push([...deny]);
  }

  /** The command word and what it runs; adds unwrapped texts to `deny`. */
  private checkCommand(words: readonly ShellWord[], deny: Set<string>, nesting: number): void {
    const head = words[0]!;
    if (head.variable || head.substitution || head.glob) {
      this.unsafe.add('a command name only known when it runs');
      return;
    }
    const name = commandName(head.text);
    if (WRAPPERS.has(name)) {
      this.unsafe.add(`"${name}", which runs another command`);
      const inner = words.slice(wrappedCommandStart(words.map((w) => w.text), 0));
      if (inner.length > 0) {
        deny.add(inner.map((w) => w.text).join(' '));
        this.checkCommand(inner, deny, nesting);
      }
      if (name === 'eval' && nesting < MAX_NESTED_STRINGS) this.analyze(words.slice(1).map((w) => w.text).join(' '), nesting + 1);
      return;
    }
    if (SHELLS.has(name)) {
      const { commandString, operand } = shellOperands(words);
      if (commandString !== undefined) {
        this.unsafe.add(`a command string run by a shell (${name} -c)`);
        if (nesting < MAX_NESTED_STRINGS) this.analyze(commandString, nesting + 1);
      } else if (operand === undefined) {
        this.unsafe.add(`a shell reading commands from its input (${name})`);
      }
      return;
    }
    if (name === 'find' && words.some((w) => /^-(?:exec|execdir|ok|okdir)$/.test(w.text))) {
      this.unsafe.add('find -exec, which runs another command');
    }
  }

  private checkRedirect(r: ShellRedirect): void {
    if (r.op === '<<' || r.op === '<<-' || r.op === '<<<') return;
    const target = r.target;
    if ((r.op === '>&' || r.op === '<&') && /^(?:\d+-?|-)$/.test(target.text)) return;
    if (r.op === '<&') {
      this.unsafe.add('a redirection this policy cannot read');
      return;
    }
    if (target.variable || target.glob || target.substitution) {
      this.unsafe.add('a redirection to a path only known when it runs');
      return;
    }
    let path = target.text;
    if (target.tilde) {
      if (!(path === '~' || path.startsWith('~/')) || !this.context.home) {
        this.unsafe.add('a redirection to a path only known when it runs');
        return;
      }
      path = posix.join(this.context.home, path.slice(1));
    }
    if (HARMLESS_DEVICES.has(path)) return;
    const cwd = this.context.cwd;
    if (!cwd) {
      this.unsafe.add('a redirection to a file, and the request names no project directory');
      return;
    }
    const rel = posix.relative(cwd, posix.resolve(cwd, path));
    if (rel === '..' || rel.startsWith('../') || rel.startsWith('/')) {
      this.unsafe.add(`a redirection outside the project (${path})`);
    } else if (rel.split('/').some((segment) => segment.startsWith('.'))) {
      this.unsafe.add(`a redirection to a hidden file in the project (${rel})`);
    }
  }
}

/** For a shell's words: the `-c` command string, or the script it runs. */
function shellOperands(words: readonly ShellWord[]): { commandString?: string; operand?: string } {
  let hasC = false;
  let i = 1;
  while (i < words.length) {
    const text = words[i]!.text;
    if (text === '--' || text === '-') {
      i++;
      break;
    }
    if (SHELL_OPTIONS_WITH_VALUE.has(text)) i += 2;
    else if (/^[-+]/.test(text)) {
      if (/^-[A-Za-z]*c[A-Za-z]*$/.test(text)) hasC = true;
      i++;
    } else break;
  }
  const operand = words[i]?.text;
  if (hasC) return operand === undefined ? { commandString: '' } : { commandString: operand };
  return operand === undefined ? {} : { operand };
}

/** Reads a command line (or its reading, already lexed) for the rules; see the module comment. */
export function analyzeCommand(command: string | LexedCommand, context: CommandContext): CommandAnalysis {
  const analyzer = new Analyzer(context);
  analyzer.analyze(command, 0);
  return { allowTexts: analyzer.allowTexts, denyTexts: analyzer.denyTexts, unsafe: [...analyzer.unsafe] };
}

/** An allow or audit rule's command condition: nothing unsafe, at least one part, every part matched. */
export function allowsCommand(analysis: CommandAnalysis, matches: TextMatcher): boolean {
  return analysis.unsafe.length === 0 && analysis.allowTexts.length > 0 && analysis.allowTexts.every((texts) => texts.some(matches));
}

/** A deny or ask rule's command condition: any part, nested ones included, matched. */
export function hitsCommand(analysis: CommandAnalysis, matches: TextMatcher): boolean {
  return analysis.denyTexts.some((texts) => texts.some(matches));
}
