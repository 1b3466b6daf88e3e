/**
 * A small, quoting-aware lexer for POSIX shell command lines (the subset bash and
 * zsh share), written for one question: "which simple commands would this line run,
 * and does it do anything a glob over its text cannot vouch for?".
 *
 * Why not `shell-quote` alone: it treats an unquoted newline as a space (so
 * `npm test\nrm -rf /` reads as one command), leaves backticks inside words, accepts
 * unterminated quotes silently and splits `2>&1` into `2`, `>&`, `1`. Pairing it with
 * a second scanner for what it misses would leave two parsers that may disagree, and
 * a policy engine must not have a parser differential. So this one lexer does both:
 * it splits the line into simple commands ("parts") at every control operator and
 * newline, removes quotes, and records every construct it does not model as
 * `unsafe` (command and process substitution, `$'…'`, `${x:-…}`, here-documents that
 * expand, unbalanced quotes or parentheses). Whatever it cannot read exactly sends
 * the command to a human: safety over convenience.
 *
 * Substitutions are lexed recursively so their commands can still be matched by deny
 * and ask rules (`echo $(git push --force)` is denied, not just asked).
 *
 * The same reading serves the rules (`command-match.ts`) and the guardrails
 * (`guardrail-shell.ts`), so the two can never read one line two ways. For the
 * guardrails, which must see more than the rules, each part also keeps the text it
 * hands on that may itself run as a command ({@link ShellPart.strings}: quoted
 * strings, `$'…'`, here-document bodies), which pipeline it belongs to, and which
 * parts run inside its substitutions ({@link ShellPart.inside}). PowerShell lines are
 * read with PowerShell's quoting ({@link ShellDialect}); only the guardrails ask for that.
 *
 * Linear: every character is looked at a bounded number of times (substitutions
 * are lexed in place, not cut out and read again), at most {@link MAX_DEPTH} deep.
 */

/** How to read quotes and escapes: POSIX shells, or PowerShell (backtick escapes, literal backslashes, `(…)` run first). */
export const ShellDialect = { posix: 'posix', powershell: 'powershell' } as const;
export type ShellDialect = (typeof ShellDialect)[keyof typeof ShellDialect];

/** A word after quote removal. */
export interface ShellWord {
  /** The word as the command receives it, quotes removed (`$NAME` kept as written). */
  text: string;
  /** The source text of the word, quotes included. */
  raw: string;
  /** Some of it was quoted or escaped (so it is never a keyword or an assignment name). */
  quoted: boolean;
  /** It expands a variable (`$X`, `${X}`): its final text is not known here. */
  variable: boolean;
  /** It has unquoted glob or brace-expansion characters: it may become several words. */
  glob: boolean;
  /** It holds a command substitution: its final text is not known here. */
  substitution: boolean;
  /** It starts with an unquoted `~`. */
  tilde: boolean;
}

/** A redirection: `2>&1`, `> out.txt`, `<<EOF`. */
export interface ShellRedirect {
  /** The operator: `<`, `>`, `>>`, `>|`, `<>`, `&>`, `&>>`, `>&`, `<&`, `<<`, `<<-`, `<<<`. */
  op: string;
  /** The file descriptor written before it (`2` in `2>`), if any. */
  fd?: string;
  /** The word after it (a file, a descriptor, a here-document delimiter or a here-string). */
  target: ShellWord;
}

/** One token of a simple command, in source order. */
export type ShellToken = { word: ShellWord } | { redirect: ShellRedirect };

/** A simple command: what runs between two control operators. */
export interface ShellPart {
  tokens: ShellToken[];
  /** How deep inside substitutions this part sits (0: the line itself). */
  depth: number;
  /** Parts joined by `|` or `|&` share this number; every other separator, and every substitution, starts a new one. */
  pipeline: number;
  /** How many parts just before this one in {@link LexedCommand.parts} run inside its substitutions (all depths). */
  inside: number;
  /** Text this command is handed that may itself run as a command: quoted strings, `$'…'`, here-document bodies. */
  strings: readonly string[];
}

export interface LexedCommand {
  /** Every simple command, in source order, those inside substitutions included (with `depth` > 0). */
  parts: ShellPart[];
  /** Why this line cannot be read exactly (each reason once); empty when it can. */
  unsafe: string[];
}

/** Deeper substitutions than this are not lexed; the line goes to a human. */
const MAX_DEPTH = 8;

export const UnsafeReason = {
  commandSubstitution: 'command substitution ($(…) or `…`)',
  processSubstitution: 'process substitution (<(…) or >(…))',
  ansiQuote: "$'…' or $\"…\" quoting",
  parameterOperator: 'a ${…} expansion with operators',
  unterminatedQuote: 'an unterminated quote',
  unbalancedParenthesis: 'unbalanced parentheses',
  unexpectedParenthesis: 'a parenthesis inside a command (function definition or array)',
  caseTerminator: 'a case statement',
  heredocExpansion: 'a here-document whose text is expanded (unquoted delimiter with $(…), `…` or ${…})',
  unterminatedHeredoc: 'an unterminated here-document',
  missingRedirectTarget: 'a redirection without a target',
  tooDeep: 'substitutions nested too deeply',
  controlCharacter: 'a control character outside quotes',
} as const;

const OPERATOR_START = new Set(['&', '|', ';', '<', '>', '(', ')']);
/** Characters that end a run of ordinary word characters. */
const SPECIAL = new Set([' ', '\t', '\n', '\\', "'", '"', '$', '`', ...OPERATOR_START]);
/** The strings of a part that has none (shared: most parts have none). */
const NO_STRINGS: readonly string[] = Object.freeze([]);
/** Characters that end a run of plain characters inside double quotes. */
const QUOTED_SPECIAL = new Set(['"', '\\', '$', '`']);
// Control characters other than tab, newline and carriage return (which bash reads as a word character).
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/;
const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const SPECIAL_PARAMETER = /[0-9@*#?$!-]/;
const SIMPLE_BRACED = /^\$\{(?:[A-Za-z_][A-Za-z0-9_]*|[0-9]+|[@*#?$!-])\}/;

interface WordBuilder {
  text: string;
  start: number;
  quoted: boolean;
  variable: boolean;
  glob: boolean;
  substitution: boolean;
  tilde: boolean;
}

interface PendingHeredoc {
  delimiter: string;
  expands: boolean;
  stripTabs: boolean;
  /** The strings of the part that opened it: its body is added there. */
  strings: string[];
}

/** What every lexer of one line (the line's own and its substitutions') shares. */
interface Reading {
  out: LexedCommand;
  unsafe: Set<string>;
  posix: boolean;
  /** The next unused pipeline number. */
  pipelines: number;
}

/**
 * Whether a word with unquoted glob characters expands: `*`, `?`, `[…]`, `{…,…}`; `{`
 * alone (a group) or `[` alone (the test command) do not. Scans with `indexOf`, not a
 * regular expression: `\{.*,.*\}` backtracks cubically on `{a,{a,{a,…`.
 */
function expandsToMany(text: string): boolean {
  if (text.includes('*') || text.includes('?')) return true;
  const open = text.indexOf('[');
  if (open !== -1 && text.indexOf(']', open + 1) !== -1) return true;
  const brace = text.indexOf('{');
  const comma = brace === -1 ? -1 : text.indexOf(',', brace + 1);
  return comma !== -1 && text.indexOf('}', comma + 1) !== -1;
}

class Lexer {
  private i: number;
  private word: WordBuilder | null = null;
  private tokens: ShellToken[] = [];
  private pendingRedirect: { op: string; fd?: string } | null = null;
  private heredocs: PendingHeredoc[] = [];
  private parens = 0;
  /** The current part's strings; `null` until it has one (most parts never do). */
  private strings: string[] | null = null;
  private pipeline: number;
  /** Where the current part's nested parts begin in `out.parts`. */
  private partStart: number;
  private readonly out: LexedCommand;
  private readonly unsafe: Set<string>;

  constructor(
    private readonly src: string,
    start: number,
    private readonly depth: number,
    /** Stop at the `)` that closes a `$(` or `<(` (the lexer then reports where it stopped). */
    private readonly inParens: boolean,
    private readonly reading: Reading,
  ) {
    this.i = start;
    this.out = reading.out;
    this.unsafe = reading.unsafe;
    this.pipeline = reading.pipelines++;
    this.partStart = reading.out.parts.length;
  }

  /** Lexes up to the end of the text (or the closing parenthesis); returns the index after it, or -1 if none came. */
  run(): number {
    const src = this.src;
    while (this.i < src.length) {
      const ch = src[this.i]!;
      if (ch === ' ' || ch === '\t') {
        this.endWord();
        this.i++;
      } else if (ch === '\n') {
        this.endWord();
        this.endPart();
        this.newPipeline();
        this.i++;
        this.readHeredocBodies();
      } else if (ch === '#' && this.word === null) {
        // A comment runs to the end of the line; the newline still separates commands.
        while (this.i < src.length && src[this.i] !== '\n') this.i++;
      } else if (ch === (this.reading.posix ? '\\' : '`')) {
        if (src[this.i + 1] === '\n') {
          this.i += 2; // line continuation
        } else if (this.i + 1 < src.length) {
          this.append(src[this.i + 1]!, true);
          this.i += 2;
        } else {
          this.append('\\', false);
          this.i++;
        }
      } else if (ch === "'") {
        this.singleQuoted();
      } else if (ch === '"') {
        this.doubleQuoted();
      } else if (ch === '$') {
        this.dollar(false);
      } else if (ch === '`' && this.reading.posix) {
        this.backticks();
      } else if (ch === '(' && !this.reading.posix) {
        // PowerShell runs a `(…)` first and passes on its value: `iex (iwr $url)`.
        this.substitution(this.i, this.i + 1);
      } else if (OPERATOR_START.has(ch)) {
        if (ch === ')' && this.inParens && this.parens === 0) {
          this.finish();
          return this.i + 1;
        }
        this.operator();
      } else {
        // A run of ordinary characters (PowerShell: a backslash among them), appended at once.
        let j = this.i + 1;
        while (j < src.length && !SPECIAL.has(src[j]!)) j++;
        const run = src.slice(this.i, j);
        if (CONTROL.test(run)) this.unsafe.add(UnsafeReason.controlCharacter);
        this.append(run, false);
        this.i = j;
      }
    }
    this.finish();
    if (this.inParens) {
      this.unsafe.add(UnsafeReason.unbalancedParenthesis);
      return -1;
    }
    if (this.parens !== 0) this.unsafe.add(UnsafeReason.unbalancedParenthesis);
    return src.length;
  }

  private finish(): void {
    this.endWord();
    this.endPart();
    if (this.heredocs.length > 0) {
      this.unsafe.add(UnsafeReason.unterminatedHeredoc);
      this.heredocs = [];
    }
  }

  private current(): WordBuilder {
    this.word ??= { text: '', start: this.i, quoted: false, variable: false, glob: false, substitution: false, tilde: false };
    return this.word;
  }

  private append(text: string, quoted: boolean): void {
    const word = this.current();
    if (!quoted) {
      if (word.text === '' && !word.quoted && text.startsWith('~')) word.tilde = true;
      if (/[*?[{]/.test(text)) word.glob = true;
    } else {
      word.quoted = true;
    }
    word.text += text;
  }

  private endWord(): void {
    const w = this.word;
    if (w === null) return;
    this.word = null;
    const word: ShellWord = {
      text: w.text,
      raw: this.src.slice(w.start, this.i),
      quoted: w.quoted,
      variable: w.variable,
      glob: w.glob && expandsToMany(w.text),
      substitution: w.substitution,
      tilde: w.tilde,
    };
    if (this.pendingRedirect) {
      const { op, fd } = this.pendingRedirect;
      this.pendingRedirect = null;
      this.tokens.push({ redirect: fd === undefined ? { op, target: word } : { op, fd, target: word } });
      if (op === '<<' || op === '<<-') {
        this.heredocs.push({ delimiter: word.text, expands: !word.quoted, stripTabs: op === '<<-', strings: (this.strings ??= []) });
      }
    } else {
      this.tokens.push({ word });
    }
  }

  private endPart(): void {
    if (this.pendingRedirect) {
      this.unsafe.add(UnsafeReason.missingRedirectTarget);
      this.pendingRedirect = null;
    }
    if (this.tokens.length > 0) {
      const inside = this.out.parts.length - this.partStart;
      this.out.parts.push({ tokens: this.tokens, depth: this.depth, pipeline: this.pipeline, inside, strings: this.strings ?? NO_STRINGS });
      this.strings = null;
    }
    this.tokens = [];
    this.partStart = this.out.parts.length;
  }

  private newPipeline(): void {
    this.pipeline = this.reading.pipelines++;
  }

  private singleQuoted(): void {
    const src = this.src;
    let close = src.indexOf("'", this.i + 1);
    let text: string;
    if (this.reading.posix) {
      text = src.slice(this.i + 1, close === -1 ? src.length : close);
    } else {
      // PowerShell doubles a quote to escape it: 'it''s'.
      text = '';
      let from = this.i + 1;
      while (close !== -1 && src[close + 1] === "'") {
        text += src.slice(from, close + 1);
        from = close + 2;
        close = src.indexOf("'", from);
      }
      text += src.slice(from, close === -1 ? src.length : close);
    }
    if (close === -1) this.unsafe.add(UnsafeReason.unterminatedQuote);
    this.append(text, true);
    if (text !== '') (this.strings ??= []).push(text);
    this.i = close === -1 ? src.length : close + 1;
  }

  private doubleQuoted(): void {
    const src = this.src;
    const posix = this.reading.posix;
    const escape = posix ? '\\' : '`';
    const word = this.current();
    word.quoted = true;
    // The string handed on, substitutions left empty (`$()`): they are lexed in place, and
    // reading them again inside every string around them would multiply the work.
    let handed = '';
    let handedFrom = word.text.length;
    this.i++;
    let closed = false;
    while (this.i < src.length) {
      const ch = src[this.i]!;
      if (ch === '"') {
        this.i++;
        // PowerShell doubles a quote inside double quotes to escape it.
        if (posix || src[this.i] !== '"') {
          closed = true;
          break;
        }
        this.append('"', true);
        this.i++;
      } else if (ch === escape) {
        const next = src[this.i + 1];
        if (next === '\n') {
          this.i += 2;
        } else if (next !== undefined && (!posix || '$`"\\'.includes(next))) {
          this.append(next, true);
          this.i += 2;
        } else {
          this.append(ch, true);
          this.i++;
        }
      } else if (ch === '$' && src[this.i + 1] === '(') {
        handed += word.text.slice(handedFrom);
        this.dollar(true);
        handed += '$()';
        handedFrom = word.text.length;
      } else if (ch === '$') {
        this.dollar(true);
      } else if (ch === '`' && posix) {
        handed += word.text.slice(handedFrom);
        this.backticks();
        handed += '``';
        handedFrom = word.text.length;
      } else {
        // A run of plain characters, appended at once.
        let j = this.i + 1;
        while (j < src.length && !QUOTED_SPECIAL.has(src[j]!)) j++;
        this.append(src.slice(this.i, j), true);
        this.i = j;
      }
    }
    if (!closed) this.unsafe.add(UnsafeReason.unterminatedQuote);
    handed += word.text.slice(handedFrom);
    if (handed !== '') (this.strings ??= []).push(handed);
  }

  /** `$…` at `this.i`, outside or inside double quotes. */
  private dollar(inDoubleQuotes: boolean): void {
    const src = this.src;
    const next = src[this.i + 1];
    const word = this.current();
    if (next === '(') {
      // `$(…)` and `$((…))`: lexed for the deny rules, never allowed.
      this.substitution(this.i, this.i + 2);
      if (inDoubleQuotes) word.quoted = true;
      return;
    }
    if (next === '{') {
      const simple = SIMPLE_BRACED.exec(src.slice(this.i, this.i + 260));
      if (simple) {
        word.variable = true;
        word.text += simple[0];
        this.i += simple[0].length;
        return;
      }
      // `${x:-$(cmd)}`, `${!x}`, `${x/a/b}`…: not modelled.
      this.unsafe.add(UnsafeReason.parameterOperator);
      const close = src.indexOf('}', this.i);
      const end = close === -1 ? src.length : close + 1;
      word.variable = true;
      word.text += src.slice(this.i, end);
      this.i = end;
      return;
    }
    if (!inDoubleQuotes && this.reading.posix && (next === "'" || next === '"')) {
      this.unsafe.add(UnsafeReason.ansiQuote);
      // Skip to the matching quote, honouring backslash escapes (`$'it\'s'`).
      let j = this.i + 2;
      while (j < src.length && src[j] !== next) j += src[j] === '\\' ? 2 : 1;
      if (j >= src.length) this.unsafe.add(UnsafeReason.unterminatedQuote);
      word.quoted = true;
      const text = src.slice(this.i + 2, Math.min(j, src.length));
      word.text += text;
      if (text !== '') (this.strings ??= []).push(text);
      this.i = Math.min(j + 1, src.length);
      return;
    }
    if (next !== undefined && NAME_START.test(next)) {
      let j = this.i + 2;
      while (j < src.length && NAME_CHAR.test(src[j]!)) j++;
      word.variable = true;
      word.text += src.slice(this.i, j);
      this.i = j;
      return;
    }
    if (next !== undefined && SPECIAL_PARAMETER.test(next)) {
      word.variable = true;
      word.text += src.slice(this.i, this.i + 2);
      this.i += 2;
      return;
    }
    this.append('$', inDoubleQuotes);
    this.i++;
  }

  private backticks(): void {
    const src = this.src;
    this.unsafe.add(UnsafeReason.commandSubstitution);
    let j = this.i + 1;
    let inner = '';
    while (j < src.length && src[j] !== '`') {
      if (src[j] === '\\' && j + 1 < src.length && '`$\\'.includes(src[j + 1]!)) {
        inner += src[j + 1];
        j += 2;
      } else {
        inner += src[j];
        j++;
      }
    }
    if (j >= src.length) this.unsafe.add(UnsafeReason.unterminatedQuote);
    this.lexInner(inner);
    const word = this.current();
    word.substitution = true;
    word.text += src.slice(this.i, Math.min(j + 1, src.length));
    this.i = Math.min(j + 1, src.length);
  }

  /** `$(…)`, `<(…)`, `>(…)` (or PowerShell's `(…)`) from `start`, its body from `body`: lexed in place, appended to the word. */
  private substitution(start: number, body: number): void {
    this.unsafe.add(this.src[start] === '$' || !this.reading.posix ? UnsafeReason.commandSubstitution : UnsafeReason.processSubstitution);
    const end = this.nested(body);
    const word = this.current();
    word.substitution = true;
    word.text += this.src.slice(start, end);
    this.i = end;
  }

  /** Lexes a `(…)` body starting at `start` into the output; returns the index after its `)`. */
  private nested(start: number): number {
    if (this.depth >= MAX_DEPTH) {
      this.unsafe.add(UnsafeReason.tooDeep);
      return this.src.length;
    }
    const end = new Lexer(this.src, start, this.depth + 1, true, this.reading).run();
    return end === -1 ? this.src.length : end;
  }

  private lexInner(text: string): void {
    if (this.depth >= MAX_DEPTH) {
      this.unsafe.add(UnsafeReason.tooDeep);
      return;
    }
    new Lexer(text, 0, this.depth + 1, false, this.reading).run();
  }

  private operator(): void {
    const src = this.src;
    const ch = src[this.i]!;
    const two = src.slice(this.i, this.i + 2);
    const three = src.slice(this.i, this.i + 3);

    if (two === '<(' || two === '>(') {
      this.substitution(this.i, this.i + 2);
      return;
    }

    if (ch === '<' || ch === '>' || three === '&>>' || two === '&>') {
      const op =
        ['<<<', '<<-', '&>>'].find((o) => three === o) ??
        ['<<', '<>', '<&', '>>', '>|', '>&', '&>'].find((o) => two === o) ??
        ch;
      // A word of digits (or `{name}`) right before the operator is its file descriptor.
      let fd: string | undefined;
      const w = this.word;
      if (w && !w.quoted && !w.variable && !w.substitution && /^(?:\d+|\{[A-Za-z_][A-Za-z0-9_]*\})$/.test(w.text) && op[0] !== '&') {
        fd = w.text;
        this.word = null;
      } else {
        this.endWord();
      }
      if (this.pendingRedirect) this.unsafe.add(UnsafeReason.missingRedirectTarget);
      this.pendingRedirect = fd === undefined ? { op } : { op, fd };
      this.i += op.length;
      return;
    }

    this.endWord();
    if (ch === '(') {
      // At the start of a command it opens a subshell; after a word it is a function
      // definition (`f() { …; }`) or an array (`a=(…)`), which this lexer does not model.
      if (this.tokens.length > 0) this.unsafe.add(UnsafeReason.unexpectedParenthesis);
      this.endPart();
      this.parens++;
      this.i++;
      return;
    }
    if (ch === ')') {
      this.endPart();
      if (this.parens === 0) this.unsafe.add(UnsafeReason.unbalancedParenthesis);
      else this.parens--;
      this.i++;
      return;
    }
    if (three === ';;&' || two === ';;' || two === ';&') {
      this.unsafe.add(UnsafeReason.caseTerminator);
      this.endPart();
      this.newPipeline();
      this.i += three === ';;&' ? 3 : 2;
      return;
    }
    // `&&`, `||`, `|&`, `|`, `;`, `&`: each ends one simple command; only a pipe keeps the pipeline.
    this.endPart();
    if (ch !== '|' || two === '||') this.newPipeline();
    this.i += two === '&&' || two === '||' || two === '|&' ? 2 : 1;
  }

  /** After a newline: the bodies of the here-documents opened on the line just ended. */
  private readHeredocBodies(): void {
    const src = this.src;
    for (const doc of this.heredocs) {
      let found = false;
      const bodyStart = this.i;
      while (this.i < src.length) {
        const nl = src.indexOf('\n', this.i);
        const lineEnd = nl === -1 ? src.length : nl;
        let line = src.slice(this.i, lineEnd);
        if (doc.stripTabs) line = line.replace(/^\t+/, '');
        const bodyEnd = this.i;
        this.i = nl === -1 ? src.length : nl + 1;
        if (line === doc.delimiter) {
          found = true;
          const body = src.slice(bodyStart, bodyEnd);
          if (body !== '') doc.strings.push(body);
          // An unquoted delimiter makes the body expand like a double-quoted string.
          if (doc.expands && (/\$\(|`/.test(body) || /\$\{(?![A-Za-z_][A-Za-z0-9_]*\})/.test(body))) {
            this.unsafe.add(UnsafeReason.heredocExpansion);
          }
          break;
        }
      }
      if (!found) {
        this.unsafe.add(UnsafeReason.unterminatedHeredoc);
        if (bodyStart < src.length) doc.strings.push(src.slice(bodyStart));
      }
    }
    this.heredocs = [];
  }
}

/** Splits a command line into the simple commands it runs; see the module comment. */
export function lexCommand(command: string, dialect: ShellDialect = ShellDialect.posix): LexedCommand {
  const reading: Reading = { out: { parts: [], unsafe: [] }, unsafe: new Set(), posix: dialect === ShellDialect.posix, pipelines: 0 };
  new Lexer(command, 0, 0, false, reading).run();
  reading.out.unsafe = [...reading.unsafe];
  return reading.out;
}

// --- What a simple command runs -------------------------------------------------------

/**
 * Commands that run the command given after them: the options that take a value (so
 * the value is not mistaken for the command) and the operands that come first
 * (`chroot DIR cmd`). One list for the rules (a part starting with one is never allowed
 * by a rule; deny and ask globs see what it runs) and the guardrails (they judge what
 * it runs), so neither can miss a wrapper the other knows.
 */
export const WRAPPERS: ReadonlyMap<string, { values?: ReadonlySet<string>; operands?: number }> = new Map(
  Object.entries({
    sudo: { values: ['-u', '-g', '-h', '-p', '-C', '-D', '-r', '-t', '-T', '-R', '-U'] },
    doas: { values: ['-u', '-C'] },
    run0: { values: ['-u', '-g', '-D'] },
    su: {},
    runuser: {},
    pkexec: {},
    env: { values: ['-u', '-C', '-S'] },
    nohup: {},
    timeout: { values: ['-s', '-k'] },
    nice: { values: ['-n'] },
    ionice: { values: ['-c', '-n', '-p'] },
    stdbuf: { values: ['-i', '-o', '-e'] },
    chroot: { operands: 1 },
    setsid: {},
    unbuffer: {},
    script: {},
    watch: { values: ['-n', '-d'] },
    parallel: {},
    strace: {},
    ltrace: {},
    flock: { values: ['-w', '-E'] },
    time: {},
    command: {},
    builtin: {},
    busybox: {},
    exec: { values: ['-a'] },
    eval: {},
    source: {},
    '.': {},
    xargs: { values: ['-I', '-n', '-P', '-L', '-d', '-E', '-s', '-a'] },
    trap: {},
    'systemd-run': {},
    unshare: {},
    nsenter: {},
    firejail: {},
    caffeinate: {},
  }).map(([name, { values, operands }]: [string, { values?: string[]; operands?: number }]) => [
    name,
    { ...(values ? { values: new Set(values) } : {}), ...(operands ? { operands } : {}) },
  ]),
);

/** Reserved words that may open a part and leave a plain command after them (`if git status`, `! grep x`). */
export const LEADING_KEYWORDS: ReadonlySet<string> = new Set(['!', '{', '}', 'if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', 'esac', 'time']);

/** `NAME=` or `NAME+=` at the start of a word. */
export const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)\+?=/;
/** A duration or count a wrapper takes before the command (`timeout 10s`, `nice 5`). */
const DURATION = /^\d+(?:\.\d+)?[smhd]?$/;

/** A command word without its directory (`/bin/rm`, `C:\bin\rm.exe` → `rm`). */
export function commandName(word: string): string {
  const cut = Math.max(word.lastIndexOf('/'), word.lastIndexOf('\\'));
  const name = cut === -1 ? word : word.slice(cut + 1);
  return name.length > 4 && name.charCodeAt(name.length - 4) === DOT && name.slice(-3).toLowerCase() === 'exe' ? name.slice(0, -4) : name;
}
const DOT = 46;

/**
 * Where the command a wrapper runs begins: `words[start]` is the wrapper; its options
 * (and their values), assignments (`env X=1`), durations and operands are skipped.
 */
export function wrappedCommandStart(words: readonly string[], start: number): number {
  const wrapper = WRAPPERS.get(commandName(words[start] ?? ''));
  let i = start + 1;
  while (i < words.length) {
    const text = words[i]!;
    if (text === '--') {
      i++;
      break;
    }
    if (wrapper?.values?.has(text)) i += 2;
    else if (text.startsWith('-') || ASSIGNMENT.test(text) || DURATION.test(text)) i++;
    else break;
  }
  return Math.min(i + (wrapper?.operands ?? 0), words.length);
}
