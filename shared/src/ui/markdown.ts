import type { Nodes, PhrasingContent, RootContent } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import { safeHref } from './safe-href.js';

/**
 * Markdown for request bodies: GitHub-flavoured markdown read by micromark
 * (`mdast-util-from-markdown` with the GFM extensions), then turned into a small
 * tree the view renders with text children only, so nothing an agent writes is
 * ever parsed as HTML: raw tags stay literal text (the HTML constructs are switched
 * off) and links keep only safe targets ({@link safeHref}). Bounded on hostile
 * input: see {@link MAX_MARKDOWN_NESTING}, {@link MAX_FORMATTED_MARKDOWN} and
 * {@link MAX_INLINE_DELIMITERS}.
 */

/** Inline content of a paragraph, heading or table cell. */
export type MdInline =
  | { type: 'text'; text: string }
  | { type: 'code'; text: string }
  | { type: 'strong'; children: MdInline[] }
  | { type: 'em'; children: MdInline[] }
  /** GFM strikethrough (`~~gone~~`). */
  | { type: 'strike'; children: MdInline[] }
  /** `href` has passed {@link safeHref}; unsafe links become their text instead. */
  | { type: 'link'; href: string; children: MdInline[] }
  | { type: 'break' };

/** Column alignment of a GFM table, from its delimiter row (`:-`, `:-:`, `-:`). */
export type MdAlign = 'left' | 'center' | 'right' | null;

/** A block of a parsed body; leaves are {@link MdInline} text, never HTML. */
export type MdBlock =
  | { type: 'paragraph'; children: MdInline[] }
  | { type: 'heading'; level: 1 | 2 | 3 | 4 | 5 | 6; children: MdInline[] }
  | { type: 'code'; lang: string; text: string }
  /**
   * `tight`: no blank lines between or inside items, so items render without paragraphs.
   * `checked`: present when any item is a GFM task (`- [x]`), one entry per item, `null` for a plain item.
   */
  | { type: 'list'; ordered: boolean; start: number; tight: boolean; items: MdBlock[][]; checked?: (boolean | null)[] }
  | { type: 'blockquote'; children: MdBlock[] }
  | { type: 'rule' }
  /** A GFM table: `rows[0]` is the header; every row has one cell per entry of `align`. */
  | { type: 'table'; align: MdAlign[]; rows: MdInline[][][] };

/**
 * Deepest nesting of quotes and lists, and of emphasis, strikethrough and links;
 * deeper levels are shown as their source text. On a single line, container
 * markers past this depth are escaped before parsing, because the parser's cost
 * grows much faster than the input for `>>>>…` or `- - - …`; nesting built up over
 * indented lines is cut here instead, so rendering never recurses deeper.
 * @default 8
 */
export const MAX_MARKDOWN_NESTING = 8;

/**
 * Longest stretch of a source formatted, in characters; the rest of a longer one
 * (a body can hold 100,000, an edited draft 200,000) follows as written, in a code
 * block. micromark reads markdown at roughly 100–200 KB a second (tables slower),
 * so this bounds the time one render takes.
 * @default 32_768
 */
export const MAX_FORMATTED_MARKDOWN = 32_768;

/**
 * Most `*`, `_`, `~`, `[` and `]` that may close something in one stretch between
 * blank lines before emphasis, strikethrough, links and footnote calls are switched
 * off for the whole body (their characters then show as written). micromark
 * matches each closer by walking back over the paragraph, which its own source
 * calls "a bottleneck for malicious stuff": `*a *a … b* b*` costs quadratic time.
 * @default 1000
 */
export const MAX_INLINE_DELIMITERS = 1000;

/** The constructs {@link MAX_INLINE_DELIMITERS} switches off. */
const DELIMITED_CONSTRUCTS = ['attention', 'strikethrough', 'labelStartLink', 'labelStartImage', 'labelEnd', 'gfmFootnoteCall', 'gfmPotentialFootnoteCall'];

/** Parses markdown `source` into blocks. */
export function parseMarkdown(source: string): MdBlock[] {
  if (source.length <= MAX_FORMATTED_MARKDOWN) return parseBounded(source);
  // Formatted up to the last line end within the limit; everything after it as written.
  let cut = source.lastIndexOf('\n', MAX_FORMATTED_MARKDOWN);
  if (cut <= 0) cut = /[\uD800-\uDBFF]/.test(source[MAX_FORMATTED_MARKDOWN - 1]!) ? MAX_FORMATTED_MARKDOWN - 1 : MAX_FORMATTED_MARKDOWN;
  const rest = source.slice(source[cut] === '\n' ? cut + 1 : cut);
  return [...parseBounded(source.slice(0, cut)), { type: 'code', lang: '', text: rest }];
}

function parseBounded(source: string): MdBlock[] {
  const bounded = escapeDeepContainers(source);
  const disabled = ['htmlFlow', 'htmlText', ...(tooManyDelimiters(bounded) ? DELIMITED_CONSTRUCTS : [])];
  const tree = fromMarkdown(bounded, { extensions: [gfm(), { disable: { null: disabled } }], mdastExtensions: [gfmFromMarkdown()] });
  return new Converter(bounded, tree.children).blocks(tree.children, 0);
}

/**
 * The inline content of `source` read as markdown: the inlines of its paragraphs
 * and headings, one break between blocks (for titles and single-line fields).
 */
export function parseInline(source: string): MdInline[] {
  const out: MdInline[] = [];
  for (const block of parseMarkdown(source)) {
    if (out.length > 0) out.push({ type: 'break' });
    if (block.type === 'paragraph' || block.type === 'heading') out.push(...block.children);
    else out.push({ type: 'text', text: blockText(block) });
  }
  return out;
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

function blockText(block: MdBlock): string {
  switch (block.type) {
    case 'paragraph':
    case 'heading':
      return inlineText(block.children);
    case 'code':
      return block.text;
    case 'list':
      return block.items.map((item) => item.map(blockText).join('\n')).join('\n');
    case 'blockquote':
      return block.children.map(blockText).join('\n');
    case 'rule':
      return '';
    case 'table':
      return block.rows.map((row) => row.map(inlineText).join('\t')).join('\n');
  }
}

// ── bounding the input ──────────────────────────────────────────────────────

const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;

/**
 * Escapes the container marker (`>`, `-`, `*`, `+`, `1.`) that would open the
 * (MAX_MARKDOWN_NESTING + 1)-th container on a line, so it reads as text. Counts
 * generously (anything shaped like a marker), which can only escape earlier. A line
 * of nine or more such markers inside a code block would show the added backslash;
 * no real code looks like that.
 */
function escapeDeepContainers(source: string): string {
  const lines = source.split('\n');
  let changed = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.length < 2 * MAX_MARKDOWN_NESTING || THEMATIC_BREAK.test(line)) continue;
    let k = 0;
    for (let markers = 0; ; markers++) {
      while (line[k] === ' ' || line[k] === '\t') k++;
      const length = markerLength(line, k);
      if (length === 0) break;
      if (markers === MAX_MARKDOWN_NESTING) {
        const at = k + length - 1; // before the `>`, bullet or ordered delimiter
        lines[i] = `${line.slice(0, at)}\\${line.slice(at)}`;
        changed = true;
        break;
      }
      k += length;
    }
  }
  return changed ? lines.join('\n') : source;
}

/** Length of a container marker at `k` (`>`; a bullet or `1.`/`1)` then a space or the end), else 0. */
function markerLength(line: string, k: number): number {
  const c = line[k];
  if (c === '>') return 1;
  const spaced = (end: number) => end >= line.length || line[end] === ' ' || line[end] === '\t';
  if ((c === '-' || c === '*' || c === '+') && spaced(k + 1)) return 1;
  let end = k;
  while (end < line.length && end - k < 9 && line[end]! >= '0' && line[end]! <= '9') end++;
  return end > k && (line[end] === '.' || line[end] === ')') && spaced(end + 1) ? end + 1 - k : 0;
}

/**
 * Whether some stretch between blank lines holds more than {@link MAX_INLINE_DELIMITERS}
 * characters that could close emphasis, strikethrough or a link: `*`, `_` and `~`
 * after a non-space (an `_` inside a word cannot close), and every `[` and `]`.
 * A blank line always ends a paragraph, so no paragraph holds more.
 */
function tooManyDelimiters(source: string): boolean {
  let count = 0;
  let blank = true;
  for (let k = 0; k < source.length; k++) {
    const c = source[k]!;
    if (c === '\n') {
      if (blank) count = 0;
      blank = true;
      continue;
    }
    if (c !== ' ' && c !== '\t' && c !== '\r') blank = false;
    if (c === '[' || c === ']') count++;
    else if (c === '*' || c === '_' || c === '~') {
      const before = source[k - 1];
      if (before === undefined || before === ' ' || before === '\t' || before === '\n') continue;
      if (c === '_' && /[\p{L}\p{N}]/u.test(source[k + 1] ?? '') && /[\p{L}\p{N}]/u.test(before)) continue;
      count++;
    } else continue;
    if (count > MAX_INLINE_DELIMITERS) return true;
  }
  return false;
}

// ── mdast to the view's tree ───────────────────────────────────────────────

/**
 * Turns mdast into {@link MdBlock}s: link targets judged by {@link safeHref}, links
 * by reference resolved, images shown as links (never loaded), footnotes as their
 * marks, raw HTML (should any reach here) as text, depth bounded.
 */
class Converter {
  private readonly definitions = new Map<string, string>();

  constructor(
    private readonly source: string,
    roots: readonly RootContent[],
  ) {
    // Definitions can sit inside quotes and lists; walk with a stack, not recursion.
    const stack: Nodes[] = [...roots];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node.type === 'definition') {
        if (!this.definitions.has(node.identifier)) this.definitions.set(node.identifier, node.url);
      } else if ('children' in node && (node.type === 'blockquote' || node.type === 'list' || node.type === 'listItem' || node.type === 'footnoteDefinition')) {
        stack.push(...node.children);
      }
    }
  }

  blocks(nodes: readonly RootContent[], depth: number): MdBlock[] {
    const out: MdBlock[] = [];
    for (const node of nodes) this.block(node, depth, out);
    return out;
  }

  private block(node: RootContent, depth: number, out: MdBlock[]): void {
    switch (node.type) {
      case 'paragraph':
        out.push({ type: 'paragraph', children: this.inlines(node.children, 0, false) });
        return;
      case 'heading':
        out.push({ type: 'heading', level: node.depth, children: this.inlines(node.children, 0, false) });
        return;
      case 'code':
        out.push({ type: 'code', lang: node.lang ?? '', text: node.value });
        return;
      case 'thematicBreak':
        out.push({ type: 'rule' });
        return;
      case 'blockquote':
        if (depth >= MAX_MARKDOWN_NESTING) out.push(this.asSourceText(node));
        else out.push({ type: 'blockquote', children: this.blocks(node.children, depth + 1) });
        return;
      case 'list': {
        if (depth >= MAX_MARKDOWN_NESTING) {
          out.push(this.asSourceText(node));
          return;
        }
        const list: MdBlock & { type: 'list' } = {
          type: 'list',
          ordered: node.ordered === true,
          start: node.start ?? 1,
          tight: node.spread !== true,
          items: node.children.map((item) => this.blocks(item.children, depth + 1)),
        };
        if (node.children.some((item) => typeof item.checked === 'boolean')) list.checked = node.children.map((item) => item.checked ?? null);
        out.push(list);
        return;
      }
      case 'table': {
        const width = node.children[0]?.children.length ?? 0;
        const rows = node.children.map((row) =>
          Array.from({ length: width }, (_, i) => {
            const cell = row.children[i];
            return cell ? this.inlines(cell.children, 0, false) : [];
          }),
        );
        out.push({ type: 'table', align: Array.from({ length: width }, (_, i) => node.align?.[i] ?? null), rows });
        return;
      }
      case 'footnoteDefinition': {
        // Shown where written, led by its mark: `[^1]: …`.
        const content = depth >= MAX_MARKDOWN_NESTING ? [this.asSourceText(node)] : this.blocks(node.children, depth + 1);
        const mark: MdInline = { type: 'text', text: `[^${node.label ?? node.identifier}]: ` };
        const first = content[0];
        if (first?.type === 'paragraph') first.children = merge([mark, ...first.children]);
        else content.unshift({ type: 'paragraph', children: [mark] });
        out.push(...content);
        return;
      }
      case 'html':
        out.push({ type: 'paragraph', children: [{ type: 'text', text: node.value }] });
        return;
      default:
        // Definitions are used by their references; nothing else block-level is enabled.
        return;
    }
  }

  /** `inLink`: links inside a link's words become their words (links do not nest). */
  private inlines(nodes: readonly PhrasingContent[], depth: number, inLink: boolean): MdInline[] {
    const out: MdInline[] = [];
    for (const node of nodes) this.inline(node, depth, inLink, out);
    return merge(out);
  }

  private inline(node: PhrasingContent, depth: number, inLink: boolean, out: MdInline[]): void {
    if (depth >= MAX_MARKDOWN_NESTING && 'children' in node) {
      out.push(this.sourceText(node));
      return;
    }
    const nested = (children: readonly PhrasingContent[], link = inLink) => this.inlines(children, depth + 1, link);
    switch (node.type) {
      case 'text':
      case 'html':
        out.push({ type: 'text', text: node.value });
        return;
      case 'inlineCode':
        out.push({ type: 'code', text: node.value });
        return;
      case 'break':
        out.push({ type: 'break' });
        return;
      case 'strong': {
        out.push({ type: 'strong', children: nested(node.children) });
        return;
      }
      case 'emphasis': {
        const children = nested(node.children);
        // `***x***` is emphasis around strong in CommonMark; one shape for bold italic.
        const only = children.length === 1 ? children[0] : undefined;
        if (only?.type === 'strong') out.push({ type: 'strong', children: [{ type: 'em', children: only.children }] });
        else out.push({ type: 'em', children });
        return;
      }
      case 'delete':
        out.push({ type: 'strike', children: nested(node.children) });
        return;
      case 'link':
        if (this.isRefusedTarget(node)) out.push(this.sourceText(node));
        else this.link(node.url, nested(node.children, true), inLink, out);
        return;
      case 'linkReference':
        this.link(this.definitions.get(node.identifier) ?? '', nested(node.children, true), inLink, out);
        return;
      case 'image':
      case 'imageReference': {
        // Never loaded: a remote image would tell its server who looked, and when.
        const url = node.type === 'image' ? node.url : (this.definitions.get(node.identifier) ?? '');
        out.push({ type: 'text', text: 'image: ' });
        this.link(url, [{ type: 'text', text: node.alt || url }], inLink, out);
        return;
      }
      case 'footnoteReference':
        out.push({ type: 'text', text: `[^${node.label ?? node.identifier}]` });
        return;
    }
  }

  private link(url: string, children: MdInline[], inLink: boolean, out: MdInline[]): void {
    const href = inLink ? null : safeHref(url);
    if (href) out.push({ type: 'link', href, children });
    else out.push(...children); // an unsafe or relative target: keep only the words
  }

  /**
   * Whether `node` is a bare URL (a GFM literal autolink) right after `](`: the target
   * of a link that did not form because it would have held another link
   * (`[a [b](…) c](https://a.example)`). It stays text, as the rest of that link does.
   */
  private isRefusedTarget(node: Nodes): boolean {
    const start = node.position?.start.offset;
    if (start === undefined || start < 2 || !this.source.startsWith('](', start - 2)) return false;
    const first = this.source[start];
    return first !== '[' && first !== '<'; // a link or autolink of its own, not a bare URL
  }

  /** A node past the nesting limit, as the text it was written as. */
  private asSourceText(node: Nodes): MdBlock {
    return { type: 'paragraph', children: [this.sourceText(node)] };
  }

  private sourceText(node: Nodes): MdInline {
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    return { type: 'text', text: start === undefined || end === undefined ? '' : this.source.slice(start, end) };
  }
}

/** Joins neighbouring text nodes (escapes and literal HTML arrive as separate ones). */
function merge(nodes: MdInline[]): MdInline[] {
  const out: MdInline[] = [];
  for (const node of nodes) {
    const last = out[out.length - 1];
    if (node.type === 'text' && last?.type === 'text') out[out.length - 1] = { type: 'text', text: last.text + node.text };
    else if (node.type !== 'text' || node.text !== '') out.push(node);
  }
  return out;
}
