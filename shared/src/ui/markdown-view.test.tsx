import { render } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { MarkdownView } from './markdown-view.js';

const html = (source: string) => render(<MarkdownView source={source} />);

describe('MarkdownView', () => {
  it('renders the supported blocks and inlines', () => {
    expect(html('# Title\n\nSome **bold**, *em* and `code`.\n\n- one\n- two\n\n> quote\n\n```\nx < y\n```')).toBe(
      '<div class="so-md"><h3>Title</h3><p>Some <strong>bold</strong>, <em>em</em> and <code>code</code>.</p>' +
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
