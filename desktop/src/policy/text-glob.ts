/**
 * Globs over plain text (agent ids, action names, argument values, commands):
 * `*` matches any run of characters, spaces and slashes included; `?` one character;
 * `[abc]`, `[a-z]`, `[!a]` one character of a class; `\` makes the next character
 * literal. Nothing else is special (no braces, no extglobs), so a pattern reads as
 * what it matches. Paths use gitignore-style globs instead (see `path-match.ts`).
 */

/** A compiled glob: true when the whole text matches. */
export type TextMatcher = (text: string) => boolean;

const REGEX_SPECIAL = /[\\^$.*+?()[\]{}|/-]/g;

/** The regular-expression source for one glob (anchored by the caller). */
function globSource(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*') {
      // Runs of stars are one star.
      while (glob[i + 1] === '*') i++;
      out += '[\\s\\S]*';
    } else if (ch === '?') {
      out += '[\\s\\S]';
    } else if (ch === '\\' && i + 1 < glob.length) {
      out += glob[++i]!.replace(REGEX_SPECIAL, '\\$&');
    } else if (ch === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close === -1) {
        out += '\\[';
        continue;
      }
      let body = glob.slice(i + 1, close);
      const negated = body.startsWith('!') || body.startsWith('^');
      if (negated) body = body.slice(1);
      // Inside a class only `\`, `]` and `^` need escaping; `-` keeps its range meaning.
      out += `[${negated ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = close;
    } else {
      out += ch.replace(REGEX_SPECIAL, '\\$&');
    }
  }
  return out;
}

/** Compiles one glob into a matcher. */
export function compileTextGlob(glob: string): TextMatcher {
  const re = new RegExp(`^(?:${globSource(glob)})$`);
  return (text) => re.test(text);
}

/** Compiles a list of globs into one matcher that holds when any of them matches. */
export function compileTextGlobs(globs: readonly string[]): TextMatcher {
  const re = new RegExp(`^(?:${globs.map(globSource).join('|')})$`);
  return (text) => re.test(text);
}

/**
 * A command pattern as it is matched: surrounding blanks dropped and every run of
 * blanks one space, the way a command's words are joined (`npm  test*` = `npm test*`).
 */
export function normalizeCommandPattern(pattern: string): string {
  return pattern.trim().replace(/[ \t\n\r]+/g, ' ');
}
