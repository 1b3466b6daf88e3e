import type { ComponentChildren } from 'preact';
import { useMemo } from 'preact/hooks';
import { discloseLink } from './link-target.js';
import { inlineText, parseMarkdown, type MdAlign, type MdBlock, type MdInline } from './markdown.js';
import { visibleText } from './visible-text.js';

/**
 * Renders agent-written markdown as elements whose leaves are text nodes, so the
 * input can never become markup: no `dangerouslySetInnerHTML`, links only with
 * targets {@link parseMarkdown} judged safe, opened outside the approver window.
 * What a person reads is what is there: hidden characters show as markers
 * ({@link visibleText}), every link shows its real host or, when its words name
 * another place, its real target ({@link discloseLink}), and headings are bold
 * lines, never headings: an agent's `## Action` or `# Reversible: yes` must not
 * pass for the request's own sections. Task boxes are shown, never ticked here.
 */
export function MarkdownView({ source }: MarkdownViewProps) {
  const blocks = useMemo(() => parseMarkdown(source), [source]);
  return <div class="so-md">{renderBlocks(blocks, false)}</div>;
}

/** Props of {@link MarkdownView}. */
export interface MarkdownViewProps {
  source: string;
}

function renderBlocks(blocks: readonly MdBlock[], tight: boolean): ComponentChildren {
  return blocks.map((block, key) => renderBlock(block, key, tight));
}

function renderBlock(block: MdBlock, key: number, tight: boolean): ComponentChildren {
  switch (block.type) {
    case 'paragraph':
      // Inside a tight list item a paragraph is just its text.
      return tight ? <span key={key}>{renderInlines(block.children)}</span> : <p key={key}>{renderInlines(block.children)}</p>;
    case 'heading':
      // Demoted on purpose (see the component's comment); the level only sets the class.
      return (
        <p key={key} class={`so-md-heading so-md-heading-${block.level}`}>
          <strong>{renderInlines(block.children)}</strong>
        </p>
      );
    case 'code':
      return (
        <pre key={key} class="so-md-code">
          <code class={block.lang ? `language-${block.lang.replace(/[^\w-]/g, '')}` : undefined}>{visibleText(block.text)}</code>
        </pre>
      );
    case 'list': {
      const items = block.items.map((item, i) => {
        const checked = block.checked?.[i];
        if (checked === undefined || checked === null) return <li key={i}>{renderBlocks(item, block.tight)}</li>;
        return (
          <li key={i} class="so-md-task">
            <input type="checkbox" checked={checked} disabled aria-label={checked ? 'done' : 'not done'} /> {renderBlocks(item, block.tight)}
          </li>
        );
      });
      return block.ordered ? (
        <ol key={key} start={block.start === 1 ? undefined : block.start}>
          {items}
        </ol>
      ) : (
        <ul key={key}>{items}</ul>
      );
    }
    case 'blockquote':
      return <blockquote key={key}>{renderBlocks(block.children, false)}</blockquote>;
    case 'rule':
      return <hr key={key} />;
    case 'table': {
      const [head = [], ...body] = block.rows;
      const cells = (row: readonly MdInline[][], Cell: 'th' | 'td') =>
        row.map((cell, i) => (
          <Cell key={i} class={alignClass(block.align[i] ?? null)}>
            {renderInlines(cell)}
          </Cell>
        ));
      // Wrapped so a wide table scrolls inside the popup instead of widening it.
      return (
        <div key={key} class="so-md-table">
          <table>
            <thead>
              <tr>{cells(head, 'th')}</tr>
            </thead>
            {body.length > 0 && (
              <tbody>
                {body.map((row, i) => (
                  <tr key={i}>{cells(row, 'td')}</tr>
                ))}
              </tbody>
            )}
          </table>
        </div>
      );
    }
  }
}

/** A class, not a `style` attribute: the window's Content-Security-Policy allows no inline styles. */
function alignClass(align: MdAlign): string | undefined {
  return align ? `so-md-align-${align}` : undefined;
}

function renderInlines(nodes: readonly MdInline[]): ComponentChildren {
  return nodes.map((node, key) => {
    switch (node.type) {
      case 'text':
        return visibleText(node.text);
      case 'code':
        return <code key={key}>{visibleText(node.text)}</code>;
      case 'strong':
        return <strong key={key}>{renderInlines(node.children)}</strong>;
      case 'em':
        return <em key={key}>{renderInlines(node.children)}</em>;
      case 'strike':
        return <del key={key}>{renderInlines(node.children)}</del>;
      case 'link':
        return <DisclosedLink key={key} href={node.href} nodes={node.children} />;
      case 'break':
        return <br key={key} />;
    }
  });
}

/** A link followed by where it really goes: `(host)`, or `⟶ target` when its words claim another place. */
function DisclosedLink({ href, nodes }: { href: string; nodes: readonly MdInline[] }) {
  const disclosure = discloseLink(href, inlineText(nodes));
  return (
    <>
      <a href={href} target="_blank" rel="noopener noreferrer">
        {renderInlines(nodes)}
      </a>{' '}
      {disclosure.kind === 'host' ? (
        <span class="so-link-host">({visibleText(disclosure.host)})</span>
      ) : (
        <span class="so-link-target" title="The link's words name another place than where it goes">
          ⟶ {visibleText(disclosure.target)}
        </span>
      )}
    </>
  );
}
