/**
 * Destructive SQL for the code-safety guardrail: `DROP TABLE|DATABASE|SCHEMA`,
 * `TRUNCATE`, and `DELETE`/`UPDATE` that reach every row (no `WHERE`, or `WHERE 1=1`).
 *
 * Statements are split on `;` outside string literals, quoted identifiers and
 * comments; a `WHERE` inside a literal, a comment or another statement does not
 * count. A statement must start where a statement can: at the start of the text, after
 * a `;`, or at the start of a line (SQL pasted under a line of prose). It must also
 * have the shape of SQL — `DELETE FROM users` is a statement, "Delete from the cache
 * all expired sessions" is not — so prose and commit messages that merely contain the
 * keywords pass. One pass to blank literals, then sticky (`y`) regular expressions
 * tried only at statement and line starts: linear in the text, whatever its content.
 */

/** A table or database name: bare, dotted, or quoted (quotes are blanked to `_` first). */
const NAME = String.raw`[\w$.\[\]]+`;
const LIST = String.raw`${NAME}(?:\s*,\s*${NAME})*`;
/** The statement ends here: `;`, the end of its line, or the end of the text. */
const END = String.raw`[ \t]*(?:;|\r?\n|$)`;

const DROP = new RegExp(String.raw`DROP\s+(TABLE|DATABASE|SCHEMA)(?:\s+IF\s+EXISTS)?\s+${LIST}(?:\s+(?:CASCADE|RESTRICT))?${END}`, 'iy');
const TRUNCATE = new RegExp(
  String.raw`TRUNCATE(?:\s+TABLE)?(?:\s+ONLY)?\s+${LIST}(?:\s+(?:RESTART|CONTINUE)\s+IDENTITY)?(?:\s+(?:CASCADE|RESTRICT))?${END}`,
  'iy',
);
const CLAUSE = String.raw`(?:WHERE|USING|RETURNING|LIMIT|ORDER|OUTPUT)\b`;
const DELETE = new RegExp(
  String.raw`DELETE\s+FROM\s+(?:ONLY\s+)?${NAME}(?:\s+(?:AS\s+)?(?!${CLAUSE})${NAME})?(?:${END}|\s+${CLAUSE})`,
  'iy',
);
const UPDATE = new RegExp(String.raw`UPDATE\s+(?:ONLY\s+)?${NAME}(?:\s+(?:AS\s+)?(?!SET\b)${NAME})?\s+SET\s+${NAME}\s*=`, 'iy');
const WHERE = /\bWHERE\b/gi;
/** A `WHERE` that every row passes, up to the end of its statement. */
const TRIVIAL_WHERE = /\s+(?:1\s*=\s*1|TRUE|1|_+\s*=\s*_+)\s*(?:;|$)/iy;

/**
 * `text` with string literals and quoted identifiers replaced by `_` (same length,
 * so positions agree) and comments by spaces, and where each statement ends (`;`).
 */
function blank(text: string): { code: string; ends: number[] } {
  const out: string[] = [];
  const ends: number[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === "'" || ch === '"' || ch === '`') {
      // A literal ends at its quote or, unterminated, at the end of its line: an apostrophe
      // in prose ("don't") must not hide the statements on the lines below it.
      let j = i + 1;
      while (j < text.length && text[j] !== ch && text[j] !== '\n') j += text[j] === '\\' && ch === "'" && text[j + 1] !== '\n' ? 2 : 1;
      j = Math.min(text[j] === ch ? j + 1 : j, text.length);
      out.push('_'.repeat(j - i));
      i = j;
    } else if (ch === '-' && text[i + 1] === '-') {
      let j = text.indexOf('\n', i);
      if (j === -1) j = text.length;
      out.push(' '.repeat(j - i));
      i = j;
    } else if (ch === '/' && text[i + 1] === '*') {
      let j = text.indexOf('*/', i + 2);
      j = j === -1 ? text.length : j + 2;
      out.push(' '.repeat(j - i));
      i = j;
    } else {
      if (ch === ';') ends.push(i);
      out.push(ch);
      i++;
    }
  }
  ends.push(text.length);
  return { code: out.join(''), ends };
}

/** `y`-flagged `re` matches `code` at `at`. */
function matchesAt(re: RegExp, code: string, at: number): boolean {
  re.lastIndex = at;
  return re.test(code);
}

/**
 * What destructive SQL `text` holds, in words (`"DROP TABLE"`, `"DELETE without WHERE"`),
 * or `null`.
 */
export function findDestructiveSql(text: string): string | null {
  // Cheap way out for the common case: none of the keywords anywhere.
  if (!/DROP|TRUNCATE|DELETE|UPDATE/i.test(text)) return null;
  const { code, ends } = blank(text);
  const wheres: number[] = [];
  WHERE.lastIndex = 0;
  for (let m = WHERE.exec(code); m; m = WHERE.exec(code)) wheres.push(m.index);

  let start = 0;
  let w = 0;
  for (const end of ends) {
    // The last WHERE of this statement, if any.
    while (w < wheres.length && wheres[w]! < start) w++;
    let lastWhere = -1;
    while (w < wheres.length && wheres[w]! < end) lastWhere = wheres[w++]!;

    // Candidate starts: the statement's start and every line start inside it.
    for (let line = start; line < end; ) {
      let at = line;
      while (at < end && (code[at] === ' ' || code[at] === '\t' || code[at] === '\r')) at++;
      const found = statementAt(code, at, lastWhere);
      if (found) return found;
      const nl = code.indexOf('\n', at);
      if (nl === -1 || nl >= end) break;
      line = nl + 1;
    }
    start = end + 1;
  }
  return null;
}

function statementAt(code: string, at: number, lastWhere: number): string | null {
  const head = code.slice(at, at + 8).toUpperCase();
  if (head.startsWith('DROP') && matchesAt(DROP, code, at)) return `DROP ${/DROP\s+(\w+)/i.exec(code.slice(at, at + 64))?.[1]?.toUpperCase() ?? 'TABLE'}`;
  if (head.startsWith('TRUNCATE') && matchesAt(TRUNCATE, code, at)) return 'TRUNCATE';
  const every = (verb: string) => {
    if (lastWhere < at) return `${verb} without WHERE`;
    return matchesAt(TRIVIAL_WHERE, code, lastWhere + 5) ? `${verb} with a WHERE that every row passes` : null;
  };
  if (head.startsWith('DELETE') && matchesAt(DELETE, code, at)) return every('DELETE');
  if (head.startsWith('UPDATE') && matchesAt(UPDATE, code, at)) return every('UPDATE');
  return null;
}
