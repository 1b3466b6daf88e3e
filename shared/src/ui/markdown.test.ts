import { describe, expect, it } from 'vitest';
import { inlineText, MAX_FORMATTED_MARKDOWN, MAX_MARKDOWN_NESTING, parseInline, parseMarkdown, type MdBlock, type MdInline } from './markdown.js';

const text = (t: string): MdInline => ({ type: 'text', text: t });
const para = (...children: MdInline[]): MdBlock => ({ type: 'paragraph', children });

/** Every link in a tree, depth first. */
function links(blocks: readonly MdBlock[]): string[] {
  const found: string[] = [];
  const inl = (nodes: readonly MdInline[]) => {
    for (const n of nodes) {
      if (n.type === 'link') found.push(n.href);
      if ('children' in n) inl(n.children);
    }
  };
  const blk = (list: readonly MdBlock[]) => {
    for (const b of list) {
      if (b.type === 'paragraph' || b.type === 'heading') inl(b.children);
      if (b.type === 'blockquote') blk(b.children);
      if (b.type === 'list') b.items.forEach(blk);
      if (b.type === 'table') b.rows.forEach((row) => row.forEach(inl));
    }
  };
  blk(blocks);
  return found;
}

describe('parseMarkdown: blocks', () => {
  it('splits paragraphs on blank lines and keeps soft breaks', () => {
    expect(parseMarkdown('one\ntwo\n\nthree')).toEqual([para(text('one\ntwo')), para(text('three'))]);
  });

  it('reads ATX headings, with or without closing hashes', () => {
    expect(parseMarkdown('# Title\n### Sub ###\n#hashtag')).toEqual([
      { type: 'heading', level: 1, children: [text('Title')] },
      { type: 'heading', level: 3, children: [text('Sub')] },
      para(text('#hashtag')),
    ]);
  });

  it('keeps fenced code verbatim, with its language', () => {
    expect(parseMarkdown('```sh\nrm -rf **/tmp\n<b>x</b>\n```\nafter')).toEqual([
      { type: 'code', lang: 'sh', text: 'rm -rf **/tmp\n<b>x</b>' },
      para(text('after')),
    ]);
  });

  it('runs an unclosed fence to the end', () => {
    expect(parseMarkdown('~~~\ncode')).toEqual([{ type: 'code', lang: '', text: 'code' }]);
  });

  it('reads bullet and ordered lists, tight and loose', () => {
    expect(parseMarkdown('- a\n- b')).toEqual([{ type: 'list', ordered: false, start: 1, tight: true, items: [[para(text('a'))], [para(text('b'))]] }]);
    expect(parseMarkdown('3. x\n\n4. y')).toEqual([{ type: 'list', ordered: true, start: 3, tight: false, items: [[para(text('x'))], [para(text('y'))]] }]);
  });

  it('nests lists by indentation', () => {
    const [list] = parseMarkdown('- a\n  - b\n  - c\n- d');
    expect(list).toMatchObject({
      type: 'list',
      items: [[para(text('a')), { type: 'list', items: [[para(text('b'))], [para(text('c'))]] }], [para(text('d'))]],
    });
  });

  it('starts a new list when the marker changes', () => {
    expect(parseMarkdown('- a\n+ b').map((b) => b.type)).toEqual(['list', 'list']);
  });

  it('reads block quotes, nested and lazy', () => {
    expect(parseMarkdown('> quoted\nlazy\n> > deeper')).toEqual([
      { type: 'blockquote', children: [para(text('quoted\nlazy')), { type: 'blockquote', children: [para(text('deeper'))] }] },
    ]);
  });

  it('reads rules, and tells them from list items', () => {
    expect(parseMarkdown('a\n\n---\n\n* * *\n- item').map((b) => b.type)).toEqual(['paragraph', 'rule', 'rule', 'list']);
  });

  it('stops nesting at the limit and survives absurd depth', () => {
    const deep = parseMarkdown('>'.repeat(100_000) + ' x');
    let depth = 0;
    let node: MdBlock | undefined = deep[0];
    while (node?.type === 'blockquote') {
      depth++;
      node = node.children[0];
    }
    expect(depth).toBe(MAX_MARKDOWN_NESTING);
    expect(node?.type).toBe('paragraph');
  });
});

describe('parseInline', () => {
  it('reads strong, emphasis and code', () => {
    expect(parseInline('a **b** _c_ *d* `e*f*`')).toEqual([
      text('a '),
      { type: 'strong', children: [text('b')] },
      text(' '),
      { type: 'em', children: [text('c')] },
      text(' '),
      { type: 'em', children: [text('d')] },
      text(' '),
      { type: 'code', text: 'e*f*' },
    ]);
  });

  it('nests emphasis inside strong', () => {
    expect(parseInline('**a *b* c**')).toEqual([{ type: 'strong', children: [text('a '), { type: 'em', children: [text('b')] }, text(' c')] }]);
    expect(parseInline('***x***')).toEqual([{ type: 'strong', children: [{ type: 'em', children: [text('x')] }] }]);
  });

  it('leaves unmatched or intraword delimiters alone', () => {
    expect(parseInline('snake_case_name and 2 * 3 * 4')).toEqual([text('snake_case_name and 2 * 3 * 4')]);
    expect(parseInline('**open')).toEqual([text('**open')]);
    expect(parseInline('`open')).toEqual([text('`open')]);
  });

  it('honours backslash escapes and hard breaks', () => {
    expect(parseInline('\\*not em\\*')).toEqual([text('*not em*')]);
    expect(parseInline('a  \nb\\\nc')).toEqual([text('a'), { type: 'break' }, text('b'), { type: 'break' }, text('c')]);
  });

  it('keeps safe links and autolinks', () => {
    expect(parseInline('[docs](https://example.com/x "Title") <https://a.example>')).toEqual([
      { type: 'link', href: 'https://example.com/x', children: [text('docs')] },
      text(' '),
      { type: 'link', href: 'https://a.example/', children: [text('https://a.example')] },
    ]);
    expect(parseInline('[mail](<mailto:ada@example.com>)')).toEqual([{ type: 'link', href: 'mailto:ada@example.com', children: [text('mail')] }]);
  });

  it('turns a javascript: link into its words, with no link', () => {
    const nodes = parseInline('[x](javascript:alert(1))');
    expect(nodes.some((n) => n.type === 'link')).toBe(false);
    expect(inlineText(nodes)).toBe('x');
  });

  it.each(['[x](javascript:alert(1))', '[x](JAVASCRIPT:alert(1))', '[x](data:text/html;base64,PHNjcmlwdD4=)', '[x](vbscript:x)', '<javascript:alert(1)>', '[x](/relative)'])(
    'yields no link for %j',
    (source) => {
      expect(links(parseMarkdown(source))).toEqual([]);
    },
  );

  it('keeps raw HTML as literal text', () => {
    const source = '<img src=x onerror=alert(1)> and <script>alert(1)</script>';
    expect(parseMarkdown(source)).toEqual([para(text(source))]);
  });

  it('does not nest links', () => {
    expect(links(parseMarkdown('[a [b](https://b.example) c](https://a.example)'))).toEqual(['https://b.example/']);
  });
});

describe('hostile input', () => {
  it.each([
    ['unmatched stars', '*a '.repeat(40_000)],
    ['unmatched brackets', '['.repeat(100_000)],
    ['unmatched backticks', '` '.repeat(50_000)],
    ['underscores', '_x'.repeat(50_000)],
    ['brackets then one far close', '[a'.repeat(50_000) + ']'],
    ['angle brackets', '<a'.repeat(50_000)],
    ['hash line', '# ' + ' #'.repeat(50_000)],
    ['open link targets', '[a]((' .repeat(25_000) + ')'],
  ])('parses %s without backtracking blow-up (the test timeout is the guard)', (_name, source) => {
    const blocks = parseMarkdown(source);
    expect(blocks.length).toBeGreaterThan(0);
  });
});

describe('parseMarkdown: GitHub-flavoured markdown', () => {
  it('reads a table with its column alignment, padding short rows', () => {
    expect(parseMarkdown('| Name | Count | Note |\n|:-----|------:|:-:|\n| a | **1** |\n| b | 2 | ok |')).toEqual([
      {
        type: 'table',
        align: ['left', 'right', 'center'],
        rows: [
          [[text('Name')], [text('Count')], [text('Note')]],
          [[text('a')], [{ type: 'strong', children: [text('1')] }], []],
          [[text('b')], [text('2')], [text('ok')]],
        ],
      },
    ]);
  });

  it('reads task lists, keeping plain items apart', () => {
    expect(parseMarkdown('- [x] done\n- [ ] to do\n- plain')).toEqual([
      { type: 'list', ordered: false, start: 1, tight: true, checked: [true, false, null], items: [[para(text('done'))], [para(text('to do'))], [para(text('plain'))]] },
    ]);
  });

  it('reads strikethrough', () => {
    expect(parseInline('keep ~~drop~~')).toEqual([text('keep '), { type: 'strike', children: [text('drop')] }]);
  });

  it('links bare URLs, www. and e-mail addresses', () => {
    expect(links(parseMarkdown('see https://example.com/a, www.example.org and ada@example.com'))).toEqual([
      'https://example.com/a',
      'http://www.example.org/',
      'mailto:ada@example.com',
    ]);
  });

  it('resolves links by reference and drops the definitions', () => {
    expect(parseMarkdown('See [the docs][d] and [d].\n\n[d]: https://example.com/docs "Docs"')).toEqual([
      para(text('See '), { type: 'link', href: 'https://example.com/docs', children: [text('the docs')] }, text(' and '), {
        type: 'link',
        href: 'https://example.com/docs',
        children: [text('d')],
      }, text('.')),
    ]);
    expect(links(parseMarkdown('[x][bad]\n\n[bad]: javascript:alert(1)'))).toEqual([]);
  });

  it('shows an image as a link to it, never as an image', () => {
    expect(parseInline('![chart](https://example.com/c.png)')).toEqual([text('image: '), { type: 'link', href: 'https://example.com/c.png', children: [text('chart')] }]);
    expect(parseInline('![x](javascript:alert(1))')).toEqual([text('image: x')]);
  });

  it('keeps an HTML block as literal text', () => {
    expect(parseMarkdown('<div onclick="x()">\n<script>alert(1)</script>\n</div>')).toEqual([para(text('<div onclick="x()">\n<script>alert(1)</script>\n</div>'))]);
  });

  it('decodes character references to text, never to markup', () => {
    expect(parseMarkdown('&lt;b&gt; &amp; &#x202E;')).toEqual([para(text('<b> & \u202E'))]);
  });

  it('shows footnotes as their marks', () => {
    expect(parseMarkdown('Claim[^1].\n\n[^1]: Source.')).toEqual([para(text('Claim[^1].')), para(text('[^1]: Source.'))]);
  });

  it('cuts lists nested by indentation at the limit, keeping the rest as text', () => {
    const source = Array.from({ length: 20 }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n');
    let depth = 0;
    let blocks = parseMarkdown(source);
    while (blocks[0]?.type === 'list') {
      depth++;
      blocks = blocks[0].items[0]!.slice(1);
    }
    expect(depth).toBe(MAX_MARKDOWN_NESTING);
    expect(blocks[0]).toMatchObject({ type: 'paragraph', children: [{ type: 'text', text: expect.stringContaining('- level 19') }] });
  });

  it('cuts nested emphasis at the limit', () => {
    const [block] = parseMarkdown('**a _b **c _d **e _f **g _h **i _j**_**_**_**_**_');
    let depth = 0;
    let nodes: readonly MdInline[] = block?.type === 'paragraph' ? block.children : [];
    for (;;) {
      const inner = nodes.find((n) => n.type === 'strong' || n.type === 'em');
      if (!inner || !('children' in inner)) break;
      depth++;
      nodes = inner.children;
    }
    expect(depth).toBe(MAX_MARKDOWN_NESTING);
    expect(inlineText(nodes)).toContain('**i _j**');
  });
});

/** A 256 KiB body: beyond what is formatted, so it must come back as written. */
const KIB_256 = 256 * 1024;
/** Just under the formatting limit: micromark reads it all, under the nesting and delimiter bounds. */
const NEAR_LIMIT = MAX_FORMATTED_MARKDOWN - 16;
const fill = (unit: string, length: number) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

describe('hostile input within the formatting limit', () => {
  it.each([
    ['10,000 quote markers on a line', '>'.repeat(10_000) + ' x'],
    ['10,000 nested bullets on a line', '- '.repeat(10_000) + 'x'],
    ['10,000 ordered markers on a line', '1. '.repeat(10_000) + 'x'],
    ['a run of 10,000 stars each side', '*'.repeat(10_000) + 'x' + '*'.repeat(10_000)],
    ['nested emphasis openers and closers', fill('*a ', NEAR_LIMIT / 2) + fill(' b*', NEAR_LIMIT / 2)],
    ['closers without openers', fill('a* ', NEAR_LIMIT)],
    ['strikethrough closers', fill('a~~ ', NEAR_LIMIT)],
    ['label ends without starts', fill('](x) ', NEAR_LIMIT)],
    ['footnote calls', fill('[^a]', NEAR_LIMIT)],
    ['a wide table', `|${fill('a|', 10_000)}\n|${fill('-|', 10_000)}\n|${fill('b|', 10_000)}`],
    ['a long table', '|a|b|\n|-|-|\n' + fill('|x|y|\n', NEAR_LIMIT - 12)],
  ])('parses %s to a bounded tree', (_name, source) => {
    expect(source.length).toBeLessThanOrEqual(MAX_FORMATTED_MARKDOWN);
    const blocks = parseMarkdown(source);
    expect(blocks.length).toBeGreaterThan(0);
    expect(maxDepth(blocks)).toBeLessThanOrEqual(2 * MAX_MARKDOWN_NESTING + 2);
  });

  it('shows the markers past the limit as text', () => {
    const [list] = parseMarkdown('- '.repeat(10_000) + 'x');
    let node: MdBlock | undefined = list;
    let depth = 0;
    while (node?.type === 'list') {
      depth++;
      node = node.items[0]?.[0];
    }
    expect(depth).toBe(MAX_MARKDOWN_NESTING);
    expect(node).toMatchObject({ type: 'paragraph', children: [{ type: 'text', text: expect.stringMatching(/^- - - .* x$/) }] });
  });

  it('leaves emphasis as written when a paragraph holds too many delimiters', () => {
    const source = fill('*a ', 6000) + fill(' b*', 6000);
    expect(parseMarkdown(source)).toEqual([para(text(source.trim()))]);
  });
});

describe('hostile input beyond the formatting limit', () => {
  it.each([
    ['quote markers', '>'.repeat(KIB_256)],
    ['nested bullets', fill('- ', KIB_256)],
    ['stars', fill('*', KIB_256 / 2) + 'x' + fill('*', KIB_256 / 2)],
    ['nested emphasis', fill('*a ', KIB_256 / 2) + fill(' b*', KIB_256 / 2)],
    ['table rows', '|a|b|\n|-|-|\n' + fill('|x|y|\n', KIB_256)],
    ['one-column table rows', '|a|\n|-|\n' + fill('x\n', KIB_256)],
  ])('formats the start of 256 KiB of %s and shows the rest as written', (_name, source) => {
    const blocks = parseMarkdown(source);
    const rest = blocks[blocks.length - 1];
    expect(rest?.type).toBe('code');
    const restText = rest?.type === 'code' ? rest.text : '';
    expect(source.length - restText.length).toBeLessThanOrEqual(MAX_FORMATTED_MARKDOWN + 1);
    expect(source.endsWith(restText)).toBe(true);
    expect(maxDepth(blocks)).toBeLessThanOrEqual(2 * MAX_MARKDOWN_NESTING + 2);
  });

  it('cuts a long body at a line end', () => {
    const source = fill('a line of text\n', 2 * MAX_FORMATTED_MARKDOWN);
    const blocks = parseMarkdown(source);
    const rest = blocks[blocks.length - 1];
    expect(rest?.type === 'code' && rest.text.startsWith('a line of text\n')).toBe(true);
  });
});

/** Deepest nesting of blocks and inlines in a tree, counted with a stack. */
function maxDepth(blocks: readonly MdBlock[]): number {
  let deepest = 0;
  const stack: { node: MdBlock | MdInline; depth: number }[] = blocks.map((node) => ({ node, depth: 1 }));
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    deepest = Math.max(deepest, depth);
    const children: (MdBlock | MdInline)[] =
      node.type === 'list' ? node.items.flat() : node.type === 'table' ? node.rows.flat(2) : 'children' in node ? node.children : [];
    for (const child of children) stack.push({ node: child, depth: depth + 1 });
  }
  return deepest;
}
