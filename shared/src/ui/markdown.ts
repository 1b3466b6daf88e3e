import { safeHref } from './safe-href.js';

/**
 * A small markdown parser for request bodies. It produces a tree that the view turns
 * into elements with text children, so nothing an agent writes is ever parsed as
 * HTML: raw tags stay literal text and links keep only safe targets ({@link safeHref}).
 * Covers what agents write in practice (paragraphs, headings, emphasis, code, lists,
 * links, quotes, rules), not the whole of CommonMark. Runs in linear time on hostile
 * input: no backtracking regular expressions, bounded nesting.
 */

/** Inline content of a paragraph or heading. */
export type MdInline =
  | { type: 'text'; text: string }
  | { type: 'code'; text: string }
  | { type: 'strong'; children: MdInline[] }
  | { type: 'em'; children: MdInline[] }
  /** `href` has passed {@link safeHref}; unsafe links become their text instead. */
  | { type: 'link'; href: string; children: MdInline[] }
  | { type: 'break' };

/** A block of a parsed body; leaves are {@link MdInline} text, never HTML. */
export type MdBlock =
  | { type: 'paragraph'; children: MdInline[] }
  | { type: 'heading'; level: 1 | 2 | 3 | 4 | 5 | 6; children: MdInline[] }
  | { type: 'code'; lang: string; text: string }
  /** `tight`: no blank lines between or inside items, so items render without paragraphs. */
  | { type: 'list'; ordered: boolean; start: number; tight: boolean; items: MdBlock[][] }
  | { type: 'blockquote'; children: MdBlock[] }
  | { type: 'rule' };

/**
 * Deepest nesting of quotes and lists; deeper markers are shown as text. Bounds
 * recursion so `>>>>…` a hundred thousand times cannot overflow the stack.
 * @default 8
 */
export const MAX_MARKDOWN_NESTING = 8;

/** Parses markdown `source` into blocks. */
export function parseMarkdown(source: string): MdBlock[] {
  return parseBlocks(source.split(/\r\n?|\n/).map(expandLeadingTabs), 0);
}

// ── blocks ────────────────────────────────────────────────────────────────

function expandLeadingTabs(line: string): string {
  if (!line.startsWith('\t') && !line.startsWith(' \t') && !line.startsWith('  \t') && !line.startsWith('   \t')) return line;
  let column = 0;
  let k = 0;
  for (; k < line.length && (line[k] === ' ' || line[k] === '\t'); k++) column = line[k] === '\t' ? column + 4 - (column % 4) : column + 1;
  return ' '.repeat(column) + line.slice(k);
}

const isBlank = (line: string) => line.trim() === '';

function indentOf(line: string): number {
  let k = 0;
  while (k < line.length && line[k] === ' ') k++;
  return k;
}

interface Fence {
  char: '`' | '~';
  length: number;
  indent: number;
  info: string;
}

function matchFence(line: string): Fence | null {
  const indent = indentOf(line);
  if (indent > 3) return null;
  const char = line[indent];
  if (char !== '`' && char !== '~') return null;
  let k = indent;
  while (line[k] === char) k++;
  const length = k - indent;
  if (length < 3) return null;
  const info = line.slice(k).trim();
  if (char === '`' && info.includes('`')) return null;
  return { char, length, indent, info };
}

function closesFence(line: string, fence: Fence): boolean {
  const indent = indentOf(line);
  if (indent > 3) return false;
  let k = indent;
  while (line[k] === fence.char) k++;
  return k - indent >= fence.length && line.slice(k).trim() === '';
}

type HeadingLevel = 1 | 2 | 3 | 4 | 5 | 6;

function matchHeading(line: string): { level: HeadingLevel; text: string } | null {
  const indent = indentOf(line);
  if (indent > 3) return null;
  let k = indent;
  while (line[k] === '#') k++;
  const level = k - indent;
  if (level < 1 || level > 6) return null;
  if (k < line.length && line[k] !== ' ') return null;
  let text = line.slice(k).trim();
  // An optional closing run of `#`, if separated by a space (`## Title ##`).
  let end = text.length;
  while (end > 0 && text[end - 1] === '#') end--;
  if (end === 0) text = '';
  else if (end < text.length && text[end - 1] === ' ') text = text.slice(0, end).trimEnd();
  return { level: level as HeadingLevel, text };
}

function isRule(line: string): boolean {
  if (indentOf(line) > 3) return false;
  let char = '';
  let count = 0;
  for (const c of line) {
    if (c === ' ' || c === '\t') continue;
    if (c !== '-' && c !== '*' && c !== '_') return false;
    if (char === '') char = c;
    else if (c !== char) return false;
    count++;
  }
  return count >= 3;
}

function quoteContent(line: string): string | null {
  const indent = indentOf(line);
  if (indent > 3 || line[indent] !== '>') return null;
  return line.slice(line[indent + 1] === ' ' ? indent + 2 : indent + 1);
}

interface ListMarker {
  ordered: boolean;
  /** `-`, `*`, `+`, or the ordered delimiter `.` / `)`: a different one starts a new list. */
  marker: string;
  start: number;
  /** Column where the item's content starts; continuation lines indent at least this far. */
  contentIndent: number;
  first: string;
}

function matchListItem(line: string): ListMarker | null {
  const indent = indentOf(line);
  if (indent > 3) return null;
  let k = indent;
  let ordered = false;
  let marker: string;
  let start = 1;
  const c = line[k];
  if (c === '-' || c === '*' || c === '+') {
    marker = c;
    k++;
  } else {
    while (k < line.length && k - indent < 9 && line[k]! >= '0' && line[k]! <= '9') k++;
    if (k === indent || (line[k] !== '.' && line[k] !== ')')) return null;
    ordered = true;
    start = Number(line.slice(indent, k));
    marker = line[k]!;
    k++;
  }
  if (k < line.length && line[k] !== ' ') return null;
  const rest = line.slice(k);
  const spaces = indentOf(rest);
  if (rest.trim() === '') return { ordered, marker, start, contentIndent: k + 1, first: '' };
  // Five or more spaces mean the content is indented code in CommonMark; take one.
  const gap = spaces > 4 ? 1 : spaces;
  return { ordered, marker, start, contentIndent: k + gap, first: rest.slice(gap) };
}

function startsBlock(line: string, depth: number): boolean {
  return (
    matchFence(line) !== null ||
    matchHeading(line) !== null ||
    isRule(line) ||
    (depth < MAX_MARKDOWN_NESTING && (quoteContent(line) !== null || matchListItem(line) !== null))
  );
}

function parseBlocks(lines: readonly string[], depth: number): MdBlock[] {
  const blocks: MdBlock[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (isBlank(line)) {
      i++;
      continue;
    }

    const fence = matchFence(line);
    if (fence) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !closesFence(lines[i]!, fence)) {
        const l = lines[i]!;
        body.push(l.slice(Math.min(fence.indent, indentOf(l))));
        i++;
      }
      i++; // the closing fence, or past the end
      blocks.push({ type: 'code', lang: fence.info.split(' ')[0] ?? '', text: body.join('\n') });
      continue;
    }

    const heading = matchHeading(line);
    if (heading) {
      blocks.push({ type: 'heading', level: heading.level, children: parseInline(heading.text) });
      i++;
      continue;
    }

    if (isRule(line)) {
      blocks.push({ type: 'rule' });
      i++;
      continue;
    }

    if (depth < MAX_MARKDOWN_NESTING && quoteContent(line) !== null) {
      const inner: string[] = [];
      while (i < lines.length) {
        const content = quoteContent(lines[i]!);
        if (content !== null) inner.push(content);
        else if (!isBlank(lines[i]!) && inner.length > 0 && !isBlank(inner[inner.length - 1]!) && !startsBlock(lines[i]!, depth)) {
          inner.push(lines[i]!); // a lazy continuation of the quoted paragraph
        } else break;
        i++;
      }
      blocks.push({ type: 'blockquote', children: parseBlocks(inner, depth + 1) });
      continue;
    }

    const item = depth < MAX_MARKDOWN_NESTING ? matchListItem(line) : null;
    if (item) {
      i = parseList(lines, i, item, depth, blocks);
      continue;
    }

    const paragraph: string[] = [line.trim()];
    i++;
    while (i < lines.length && !isBlank(lines[i]!) && !startsBlock(lines[i]!, depth)) {
      paragraph.push(lines[i]!.trimStart());
      i++;
    }
    blocks.push({ type: 'paragraph', children: parseInline(paragraph.join('\n').trimEnd()) });
  }
  return blocks;
}

/** Parses the list starting at `lines[start]`; returns the index after it. */
function parseList(lines: readonly string[], start: number, first: ListMarker, depth: number, out: MdBlock[]): number {
  const items: MdBlock[][] = [];
  let tight = true;
  let i = start;
  let item: ListMarker | null = first;
  while (item) {
    const body: string[] = [item.first];
    i++;
    while (i < lines.length) {
      const l = lines[i]!;
      if (isBlank(l)) {
        let next = i + 1;
        while (next < lines.length && isBlank(lines[next]!)) next++;
        if (next < lines.length && indentOf(lines[next]!) >= item.contentIndent) {
          for (; i < next; i++) body.push('');
          tight = false;
          continue;
        }
        break;
      }
      if (indentOf(l) >= item.contentIndent) body.push(l.slice(item.contentIndent));
      else if (matchListItem(l) || startsBlock(l, depth) || isBlank(body[body.length - 1]!)) break;
      else body.push(l.trimStart()); // a lazy continuation of the item's paragraph
      i++;
    }
    items.push(parseBlocks(body, depth + 1));

    // The next item continues this list only if it has the same kind of marker.
    let next = i;
    while (next < lines.length && isBlank(lines[next]!)) next++;
    const following = next < lines.length ? matchListItem(lines[next]!) : null;
    if (!following || following.ordered !== first.ordered || following.marker !== first.marker || isRule(lines[next]!)) break;
    if (next > i) tight = false;
    i = next;
    item = following;
  }
  out.push({ type: 'list', ordered: first.ordered, start: first.start, tight, items });
  return i;
}

// ── inlines ───────────────────────────────────────────────────────────────

const ASCII_PUNCTUATION = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');
const SPECIAL = /[\\`*_[<\n]/g;
const isSpace = (c: string | undefined) => c === undefined || c === ' ' || c === '\t' || c === '\n';
const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);
const SCHEME = /^[a-z][a-z0-9+.-]{1,31}:/i;
/** Longest link destination (with its title) looked for; longer ones stay text. */
const MAX_DESTINATION = 1024;

/** Parses inline markdown (emphasis, code, links, breaks) of one paragraph or heading. */
export function parseInline(source: string): MdInline[] {
  const out: MdInline[] = [];
  new InlineParser(source).parse(0, source.length, true, out);
  return out;
}

/**
 * Closers are found by forward search; the last answer per closer kind is kept, so
 * a thousand unmatched `*` cost one scan, not a thousand (quadratic time otherwise).
 * Valid because a closer's validity depends only on where it is, and openers are
 * met left to right within one range.
 */
class InlineParser {
  constructor(private readonly s: string) {}

  parse(start: number, end: number, allowLinks: boolean, out: MdInline[]): void {
    const s = this.s;
    const memo = new Map<string, { from: number; at: number }>();
    const find = (key: string, from: number, search: (from: number) => number): number => {
      const known = memo.get(key);
      if (known && from >= known.from && (known.at === -1 || from <= known.at)) return known.at;
      const at = search(from);
      memo.set(key, { from, at });
      return at;
    };
    let text = '';
    const flush = () => {
      if (text !== '') out.push({ type: 'text', text });
      text = '';
    };

    let i = start;
    while (i < end) {
      SPECIAL.lastIndex = i;
      const hit = SPECIAL.exec(s);
      const at = hit && hit.index < end ? hit.index : end;
      text += s.slice(i, at);
      i = at;
      if (i >= end) break;
      const c = s[i]!;

      if (c === '\\') {
        const next = s[i + 1];
        if (i + 1 < end && next === '\n') {
          flush();
          out.push({ type: 'break' });
          i += 2;
        } else if (i + 1 < end && next !== undefined && ASCII_PUNCTUATION.has(next)) {
          text += next;
          i += 2;
        } else {
          text += c;
          i++;
        }
        continue;
      }

      if (c === '\n') {
        // Two trailing spaces make a hard break; otherwise a soft one (a space when shown).
        const hard = text.endsWith('  ');
        text = text.trimEnd();
        if (hard) {
          flush();
          out.push({ type: 'break' });
        } else text += '\n';
        i++;
        continue;
      }

      if (c === '`') {
        let run = i;
        while (run < end && s[run] === '`') run++;
        const n = run - i;
        const close = find(`code${n}`, run, (from) => this.findBacktickRun(from, end, n));
        if (close === -1) {
          text += s.slice(i, run);
          i = run;
          continue;
        }
        let code = s.slice(run, close).replace(/\n/g, ' ');
        if (code.length > 1 && code.startsWith(' ') && code.endsWith(' ') && code.trim() !== '') code = code.slice(1, -1);
        flush();
        out.push({ type: 'code', text: code });
        i = close + n;
        continue;
      }

      if (c === '*' || c === '_') {
        let run = i;
        while (run < end && s[run] === c) run++;
        const canOpen = !isSpace(s[run]) && run < end && !(c === '_' && isWordChar(s[i - 1]));
        const width = run - i >= 2 ? 2 : 1;
        const contentStart = i + width;
        const close = canOpen ? find(`${c}${width}`, contentStart + 1, (from) => this.findEmphasisCloser(from, end, c, width)) : -1;
        if (close === -1) {
          text += s.slice(i, run);
          i = run;
          continue;
        }
        flush();
        const children: MdInline[] = [];
        this.parse(contentStart, close, allowLinks, children);
        out.push({ type: width === 2 ? 'strong' : 'em', children });
        i = close + width;
        continue;
      }

      if (c === '[' && allowLinks) {
        const closeBracket = find(']', i + 1, (from) => indexWithin(s, ']', from, end));
        const openParen = closeBracket + 1;
        if (closeBracket !== -1 && s[openParen] === '(' && openParen < end) {
          const anyClose = find(')', openParen + 1, (from) => indexWithin(s, ')', from, end));
          const closeParen = anyClose === -1 ? -1 : this.findDestinationEnd(openParen + 1, end);
          if (closeParen !== -1) {
            let target = s.slice(openParen + 1, closeParen).trim();
            if (target.startsWith('<') && target.includes('>')) target = target.slice(1, target.indexOf('>'));
            else target = target.split(/\s/, 1)[0] ?? ''; // drop an optional "title"
            const children: MdInline[] = [];
            this.parse(i + 1, closeBracket, false, children);
            const href = safeHref(target);
            flush();
            if (href) out.push({ type: 'link', href, children });
            else out.push(...children); // an unsafe or relative target: keep only the words
            i = closeParen + 1;
            continue;
          }
        }
        text += c;
        i++;
        continue;
      }

      if (c === '<' && allowLinks) {
        // An autolink `<https://…>`: scan to the first space, `<` or `>` (each `<` scans
        // a disjoint stretch, so this stays linear).
        let k = i + 1;
        while (k < end && s[k] !== '>' && s[k] !== '<' && !isSpace(s[k])) k++;
        if (k < end && s[k] === '>' && SCHEME.test(s.slice(i + 1, k))) {
          const target = s.slice(i + 1, k);
          const href = safeHref(target);
          flush();
          if (href) out.push({ type: 'link', href, children: [{ type: 'text', text: target }] });
          else out.push({ type: 'text', text: `<${target}>` });
          i = k + 1;
          continue;
        }
      }

      text += c;
      i++;
    }
    flush();
  }

  /**
   * The `)` ending a link destination that starts at `from`: parentheses inside may
   * nest (`https://en.wikipedia.org/wiki/Foo_(bar)`). Gives up after
   * {@link MAX_DESTINATION} characters, which keeps hostile input linear.
   */
  private findDestinationEnd(from: number, end: number): number {
    const s = this.s;
    const stop = Math.min(end, from + MAX_DESTINATION);
    let depth = 0;
    for (let k = from; k < stop; k++) {
      const c = s[k];
      if (c === '\\') k++;
      else if (c === '(') depth++;
      else if (c === ')') {
        if (depth === 0) return k;
        depth--;
      }
    }
    return -1;
  }

  /** Start of the next run of exactly `n` backticks in `[from, end)`, or -1. */
  private findBacktickRun(from: number, end: number, n: number): number {
    const s = this.s;
    let k = indexWithin(s, '`', from, end);
    while (k !== -1) {
      let run = k;
      while (run < end && s[run] === '`') run++;
      if (run - k === n) return k;
      k = indexWithin(s, '`', run, end);
    }
    return -1;
  }

  /**
   * The next position in `[from, end)` where `width` × `c` can close emphasis: after a
   * non-space, and for `_` not inside a word. A single delimiter must stand alone
   * (not part of `**`); a double one closes at the end of a longer run (`***`).
   */
  private findEmphasisCloser(from: number, end: number, c: string, width: number): number {
    const s = this.s;
    let k = indexWithin(s, c, from, end);
    while (k !== -1) {
      let run = k;
      while (run < end && s[run] === c) run++;
      const length = run - k;
      const closer = width === 2 ? run - 2 : k;
      const fits = width === 2 ? length >= 2 : length === 1;
      if (fits && closer >= from && !isSpace(s[closer - 1]) && !(c === '_' && isWordChar(s[closer + width]))) return closer;
      k = indexWithin(s, c, run, end);
    }
    return -1;
  }
}

function indexWithin(s: string, needle: string, from: number, end: number): number {
  const k = s.indexOf(needle, from);
  return k === -1 || k >= end ? -1 : k;
}

/** The plain text of inline nodes (for titles, tooltips and tests). */
export function inlineText(nodes: readonly MdInline[]): string {
  return nodes
    .map((node) => {
      switch (node.type) {
        case 'text':
        case 'code':
          return node.text;
        case 'break':
          return '\n';
        default:
          return inlineText(node.children);
      }
    })
    .join('');
}
