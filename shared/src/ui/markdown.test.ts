import { describe, expect, it } from 'vitest';
import { inlineText, MAX_MARKDOWN_NESTING, parseInline, parseMarkdown, type MdBlock, type MdInline } from './markdown.js';

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
