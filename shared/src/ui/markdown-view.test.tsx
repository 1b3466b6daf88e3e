import { render } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { MarkdownView } from './markdown-view.js';

const html = (source: string) => render(<MarkdownView source={source} />);

describe('MarkdownView', () => {
  // Changed on purpose (issue 8): an agent's heading is a bold line, never a heading element.
  it('renders the supported blocks and inlines', () => {
    expect(html('# Title\n\nSome **bold**, *em* and `code`.\n\n- one\n- two\n\n> quote\n\n```\nx < y\n```')).toBe(
      '<div class="so-md"><p class="so-md-heading so-md-heading-1"><strong>Title</strong></p><p>Some <strong>bold</strong>, <em>em</em> and <code>code</code>.</p>' +
        '<ul><li><span>one</span></li><li><span>two</span></li></ul><blockquote><p>quote</p></blockquote>' +
        '<pre class="so-md-code"><code>x &lt; y</code></pre></div>',
    );
  });

  it('shows raw HTML as text', () => {
    const out = html('<img src=x onerror=alert(1)> <script>alert(1)</script>');
    expect(out).toContain('&lt;img src=x onerror=alert(1)>');
    expect(out).toContain('&lt;script>alert(1)&lt;/script>');
    expect(out).not.toContain('<img');
    expect(out).not.toContain('<script');
  });

  it('renders no <a> for a javascript: link, only its words', () => {
    const out = html('[x](javascript:alert(1)) and [y](data:text/html,hi)');
    expect(out).not.toMatch(/<a[\s>]/);
    expect(out).not.toContain('javascript:');
    expect(out).toBe('<div class="so-md"><p>x and y</p></div>');
  });

  it('opens safe links outside the approver, without an opener', () => {
    expect(html('[docs](https://example.com/x)')).toContain('<a href="https://example.com/x" target="_blank" rel="noopener noreferrer">docs</a>');
  });

  it('escapes attribute-breaking characters in an allowed link', () => {
    const out = html('[x](https://example.com/"onmouseover="alert(1))');
    expect(out).toMatch(/<a [^>]*href="https:\/\/example.com\/%22onmouseover=%22alert\(1\)"/);
    expect(out).not.toMatch(/\sonmouseover=/);
  });

  it('keeps balanced parentheses inside a link target', () => {
    expect(html('[Foo](https://en.wikipedia.org/wiki/Foo_(bar))')).toContain('href="https://en.wikipedia.org/wiki/Foo_(bar)"');
  });

  it('starts an ordered list where the source does', () => {
    expect(html('3. three\n4. four')).toContain('<ol start="3">');
  });
});

describe('MarkdownView: what the person sees is what is there', () => {
  it('renders no heading element at any level, so "## Action" cannot pass for a section', () => {
    const out = html('# Action\n## Reversible: yes\n###### Consequences: none');
    expect(out).not.toMatch(/<h[1-6][\s>]/);
    expect(out).toContain('<p class="so-md-heading so-md-heading-2"><strong>Reversible: yes</strong></p>');
  });

  it('shows bidi controls and other hidden characters as markers in text, code and code blocks', () => {
    const out = html('Open invoice\u202Efdp.exe or `a\u200Bb`\n\n```\nrm -rf /\u2066 #\u2069\n```');
    expect(out).toContain('invoice<span class="so-hidden-char" title="Hidden character: right-to-left override">⟨U+202E⟩</span>fdp.exe');
    expect(out).toContain('<code>a<span class="so-hidden-char"');
    expect(out).toContain('⟨U+2066⟩');
    expect(out).toContain('⟨U+2069⟩');
    expect(out).not.toMatch(/[\u202E\u200B\u2066\u2069]/);
  });

  it('shows every link\'s real host beside it', () => {
    expect(html('[docs](https://example.com/x)')).toContain('</a> <span class="so-link-host">(example.com)</span>');
    expect(html('<https://example.com/a>')).toContain('<span class="so-link-host">(example.com)</span>');
    expect(html('[mail us](mailto:help@example.com)')).toContain('<span class="so-link-host">(help@example.com)</span>');
  });

  it('shows the real target of a link whose words name another place', () => {
    const out = html('Log in at [paypal.com](https://evil.example/login?next=1)');
    expect(out).toContain('>paypal.com</a> <span class="so-link-target"');
    expect(out).toContain('⟶ https://evil.example/login?next=1</span>');
    expect(html('[https://paypal.com/login](https://paypal.com@evil.example/login)')).toContain('⟶ https://evil.example/login');
  });

  it('shows a look-alike domain in punycode', () => {
    expect(html('[shop](https://pаypal.com/)')).toContain('(xn--pypal-4ve.com)');
  });
});

describe('MarkdownView: GitHub-flavoured markdown', () => {
  it('renders a table with alignment classes, no inline styles', () => {
    expect(html('| a | b |\n|:-|-:|\n| 1 | **2** |')).toBe(
      '<div class="so-md"><div class="so-md-table"><table><thead><tr><th class="so-md-align-left">a</th><th class="so-md-align-right">b</th></tr></thead>' +
        '<tbody><tr><td class="so-md-align-left">1</td><td class="so-md-align-right"><strong>2</strong></td></tr></tbody></table></div></div>',
    );
  });

  it('renders task items with disabled boxes and strikethrough as <del>', () => {
    expect(html('- [x] ~~old~~ done\n- [ ] next')).toBe(
      '<div class="so-md"><ul><li class="so-md-task"><input type="checkbox" checked disabled aria-label="done"/> <span><del>old</del> done</span></li>' +
        '<li class="so-md-task"><input type="checkbox" disabled aria-label="not done"/> <span>next</span></li></ul></div>',
    );
  });

  it('shows an image as a disclosed link, never loading it', () => {
    const out = html('![build chart](https://evil.example/track.png)');
    expect(out).not.toContain('<img');
    expect(out).toContain('image: <a href="https://evil.example/track.png" target="_blank" rel="noopener noreferrer">build chart</a> <span class="so-link-host">(evil.example)</span>');
  });

  it('discloses bare URLs and links by reference like any link', () => {
    expect(html('see https://example.com/a')).toContain('<a href="https://example.com/a" target="_blank" rel="noopener noreferrer">https://example.com/a</a> <span class="so-link-host">(example.com)</span>');
    expect(html('[paypal.com][p]\n\n[p]: https://evil.example/login')).toContain('⟶ https://evil.example/login');
  });

  it('marks hidden characters in table cells', () => {
    const out = html('| file |\n|---|\n| invoice\u202Efdp.exe |');
    expect(out).toContain('<td>invoice<span class="so-hidden-char"');
    expect(out).not.toContain('\u202E');
  });

  it('renders a hostile body without running away', () => {
    const out = html('>'.repeat(100_000) + ' x\n' + '- '.repeat(10_000) + 'y');
    expect(out.match(/<blockquote>/g)).toHaveLength(8);
    expect(out).not.toMatch(/<script|<img/);
  });
});

