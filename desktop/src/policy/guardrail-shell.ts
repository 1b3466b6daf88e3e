/**
 * A small, forgiving reader of shell command lines for the approval guardrails: it
 * splits a line into simple commands (words with quotes and escapes removed), notes
 * which commands are joined by pipes, where output is redirected, and keeps every
 * piece of text that may itself be run as a command (quoted strings, `$(…)`, `` `…` ``,
 * `<(…)`, heredoc bodies) so the caller can read those too.
 *
 * Not `shell-quote`: the guardrails need heredocs and the inner text of quotes and
 * substitutions, and must stay linear on hostile input — one pass, no regular
 * expressions, every character looked at a bounded number of times. It never throws:
 * unbalanced quotes run to the end of the text, as a careful reader would assume.
 */

/** How to read quotes and escapes: POSIX shells, or PowerShell (backtick escapes, literal backslashes). */
export const ShellDialect = { posix: 'posix', powershell: 'powershell' } as const;
export type ShellDialect = (typeof ShellDialect)[keyof typeof ShellDialect];

/** One simple command: `sudo rm -rf /` in `cd x && sudo rm -rf / | tee log`. */
export interface ShellCommand {
  /** The words, quotes and escapes removed; redirections and their targets left out. */
  readonly words: string[];
  /** Where `>`, `>>`, `&>`, `<`… point (`/dev/sda` in `cat x > /dev/sda`). */
  readonly redirects: string[];
  /** Text inside quotes, `$(…)`, `` `…` ``, `<(…)` and heredoc bodies: it may run as a command too. */
  readonly inner: string[];
  /** Commands joined by `|` share this number; `;`, `&&`, `||`, `&` and newlines start a new one. */
  readonly pipeline: number;
}

interface Builder {
  commands: ShellCommand[];
  current: ShellCommand;
  pipeline: number;
  word: string;
  inWord: boolean;
  /** The word being built is a redirection target. */
  redirect: boolean;
  /** The word being built is a heredoc delimiter (`strip`: `<<-`, leading tabs allowed). */
  heredoc: { strip: boolean } | null;
  /** Heredocs whose bodies start after the next newline. */
  pending: { delimiter: string; strip: boolean; command: ShellCommand }[];
}

function newCommand(pipeline: number): ShellCommand {
  return { words: [], redirects: [], inner: [], pipeline };
}

function endWord(b: Builder): void {
  if (!b.inWord) return;
  if (b.heredoc) b.pending.push({ delimiter: b.word, strip: b.heredoc.strip, command: b.current });
  else if (b.redirect) b.current.redirects.push(b.word);
  else b.current.words.push(b.word);
  b.word = '';
  b.inWord = false;
  b.redirect = false;
  b.heredoc = null;
}

function endCommand(b: Builder, endsPipeline: boolean): void {
  endWord(b);
  const c = b.current;
  if (c.words.length > 0 || c.redirects.length > 0 || c.inner.length > 0) b.commands.push(c);
  if (endsPipeline) b.pipeline++;
  // A command with a pending heredoc may already be pushed; a new object keeps it intact.
  b.current = newCommand(b.pipeline);
}

/** Whether `ch` ends a word (or the text): `{` opens a group only before a blank; `{a,b}` is a brace expansion. */
function isBlank(ch: string | undefined): boolean {
  return ch === undefined || ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';
}

/** Index just past the `)` matching the `(` at `open` (or the end of the text). */
function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i + 1;
  }
  return text.length;
}

/** Reads heredoc bodies starting at `start` (just after a newline); returns where reading stopped. */
function readHeredocs(text: string, start: number, b: Builder): number {
  let i = start;
  for (const doc of b.pending) {
    const body: string[] = [];
    while (i < text.length) {
      let end = text.indexOf('\n', i);
      if (end === -1) end = text.length;
      let line = text.slice(i, end);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      i = end + 1;
      if ((doc.strip ? line.replace(/^\t+/, '') : line) === doc.delimiter) break;
      body.push(line);
    }
    if (body.length > 0) doc.command.inner.push(body.join('\n'));
  }
  b.pending = [];
  return Math.min(i, text.length);
}

/**
 * The simple commands of `text`, in order. Inner text (quotes, substitutions, heredoc
 * bodies) is kept in {@link ShellCommand.inner}, not parsed here: the caller decides how
 * deep to read.
 */
export function parseCommandLine(text: string, dialect: ShellDialect = ShellDialect.posix): ShellCommand[] {
  const posix = dialect === ShellDialect.posix;
  const b: Builder = { commands: [], current: newCommand(0), pipeline: 0, word: '', inWord: false, redirect: false, heredoc: null, pending: [] };
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    const next = text[i + 1];
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      endWord(b);
      i++;
    } else if (ch === '\n') {
      endCommand(b, true);
      i = b.pending.length > 0 ? readHeredocs(text, i + 1, b) : i + 1;
    } else if (ch === '#' && !b.inWord) {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end;
    } else if (ch === ';') {
      endCommand(b, true);
      i++;
    } else if (ch === '&') {
      if (next === '>') {
        // `&>file`, `&>>file`: both streams to a file.
        endWord(b);
        b.redirect = true;
        i += text[i + 2] === '>' ? 3 : 2;
        continue;
      }
      endCommand(b, true);
      i += next === '&' ? 2 : 1;
    } else if (ch === '|') {
      if (next === '|') {
        endCommand(b, true);
        i += 2;
      } else {
        endCommand(b, false);
        i += next === '&' ? 2 : 1;
      }
    } else if ((ch === '<' || ch === '>') && next === '(' && !b.inWord) {
      // Process substitution `<(…)`: its text runs as a command.
      const end = closingParen(text, i + 1);
      b.current.inner.push(text.slice(i + 2, end - 1));
      b.word += text.slice(i, end);
      b.inWord = true;
      i = end;
    } else if (ch === '<' || ch === '>') {
      // A word of digits just before is a file descriptor (`2>`), not an argument.
      if (b.inWord && /^\d+$/.test(b.word)) {
        b.word = '';
        b.inWord = false;
      }
      endWord(b);
      if (ch === '<' && next === '<' && text[i + 2] !== '<') {
        const strip = text[i + 2] === '-';
        b.heredoc = { strip };
        i += strip ? 3 : 2;
      } else {
        b.redirect = true;
        i++;
        while (text[i] === '>' || text[i] === '<' || text[i] === '|' || text[i] === '&') i++;
      }
    } else if ((ch === '(' || ch === ')' || ch === '}' || (ch === '{' && isBlank(next))) && !b.inWord) {
      if (ch === '(' && !posix) {
        // PowerShell's `(…)` grouping runs its text first: `iex (iwr $url)`.
        const end = closingParen(text, i);
        b.current.inner.push(text.slice(i + 1, end - 1));
        b.word += text.slice(i, end);
        b.inWord = true;
        i = end;
      } else {
        // Subshells and groups: the words inside are commands of the same pipeline.
        endCommand(b, false);
        i++;
      }
    } else if (ch === '$' && next === '(') {
      const end = closingParen(text, i + 1);
      b.current.inner.push(text.slice(i + 2, end - 1));
      b.word += text.slice(i, end);
      b.inWord = true;
      i = end;
    } else if (ch === '`' && posix) {
      let end = text.indexOf('`', i + 1);
      if (end === -1) end = text.length;
      b.current.inner.push(text.slice(i + 1, end));
      b.word += text.slice(i, end + 1);
      b.inWord = true;
      i = end + 1;
    } else if ((ch === '\\' && posix) || (ch === '`' && !posix)) {
      // An escape: the next character is literal; an escaped newline continues the line.
      if (next !== undefined && next !== '\n') {
        b.word += next;
        b.inWord = true;
      }
      i += 2;
    } else if (ch === "'") {
      let content = '';
      let j = i + 1;
      while (j < text.length) {
        const end = text.indexOf("'", j);
        if (end === -1) {
          content += text.slice(j);
          j = text.length;
          break;
        }
        content += text.slice(j, end);
        j = end + 1;
        // PowerShell doubles a quote to escape it: 'it''s'.
        if (!posix && text[j] === "'") {
          content += "'";
          j++;
          continue;
        }
        break;
      }
      if (content) b.current.inner.push(content);
      b.word += content;
      b.inWord = true;
      i = j;
    } else if (ch === '"') {
      let content = '';
      let j = i + 1;
      while (j < text.length) {
        const c = text[j]!;
        if (c === '"') {
          if (!posix && text[j + 1] === '"') {
            content += '"';
            j += 2;
            continue;
          }
          j++;
          break;
        }
        if ((posix && c === '\\') || (!posix && c === '`')) {
          const escaped = text[j + 1];
          if (escaped === undefined) {
            j++;
            continue;
          }
          // POSIX: only \" \\ \$ \` and newline are escapes inside double quotes.
          if (posix && !'"\\$`\n'.includes(escaped)) content += c;
          if (escaped !== '\n') content += escaped;
          j += 2;
          continue;
        }
        content += c;
        j++;
      }
      if (content) b.current.inner.push(content);
      b.word += content;
      b.inWord = true;
      i = j;
    } else {
      b.word += ch;
      b.inWord = true;
      i++;
    }
  }
  endCommand(b, true);
  return b.commands;
}
