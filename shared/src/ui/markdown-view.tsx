import type { ComponentChildren } from 'preact';
import { useMemo } from 'preact/hooks';
import { parseMarkdown, type MdBlock, type MdInline } from './markdown.js';

/**
 * Renders agent-written markdown as elements whose leaves are text nodes, so the
 * input can never become markup: no `dangerouslySetInnerHTML`, links only with
 * targets {@link parseMarkdown} judged safe, opened outside the approver window.
 */
export function MarkdownView({ source, headingOffset = 2 }: MarkdownViewProps) {
  const blocks = useMemo(() => parseMarkdown(source), [source]);
  return <div class="so-md">{renderBlocks(blocks, headingOffset, false)}</div>;
}

/** Props of {@link MarkdownView}. */
export interface MarkdownViewProps {
  source: string;
  /**
   * Added to heading levels so a body's `#` sits below the request's own title.
   * @default 2 (a `#` renders as `<h3>`)
   */
  headingOffset?: number;
}

type HeadingTag = 'h1' | 'h2' | 'h3' | 'h4' | 'h5' | 'h6';

function renderBlocks(blocks: readonly MdBlock[], headingOffset: number, tight: boolean): ComponentChildren {
  return blocks.map((block, key) => renderBlock(block, key, headingOffset, tight));
}

function renderBlock(block: MdBlock, key: number, headingOffset: number, tight: boolean): ComponentChildren {
  switch (block.type) {
    case 'paragraph':
      // Inside a tight list item a paragraph is just its text.
      return tight ? <span key={key}>{renderInlines(block.children)}</span> : <p key={key}>{renderInlines(block.children)}</p>;
    case 'heading': {
      const Tag = `h${Math.min(6, Math.max(1, block.level + headingOffset))}` as HeadingTag;
      return <Tag key={key}>{renderInlines(block.children)}</Tag>;
    }
    case 'code':
      return (
        <pre key={key} class="so-md-code">
          <code class={block.lang ? `language-${block.lang.replace(/[^\w-]/g, '')}` : undefined}>{block.text}</code>
        </pre>
      );
    case 'list': {
      const items = block.items.map((item, i) => <li key={i}>{renderBlocks(item, headingOffset, block.tight)}</li>);
      return block.ordered ? (
        <ol key={key} start={block.start === 1 ? undefined : block.start}>
          {items}
        </ol>
      ) : (
        <ul key={key}>{items}</ul>
      );
    }
    case 'blockquote':
      return <blockquote key={key}>{renderBlocks(block.children, headingOffset, false)}</blockquote>;
    case 'rule':
      return <hr key={key} />;
  }
}

function renderInlines(nodes: readonly MdInline[]): ComponentChildren {
  return nodes.map((node, key) => {
    switch (node.type) {
      case 'text':
        return node.text;
      case 'code':
        return <code key={key}>{node.text}</code>;
      case 'strong':
        return <strong key={key}>{renderInlines(node.children)}</strong>;
      case 'em':
        return <em key={key}>{renderInlines(node.children)}</em>;
      case 'link':
        return (
          <a key={key} href={node.href} target="_blank" rel="noopener noreferrer">
            {renderInlines(node.children)}
          </a>
        );
      case 'break':
        return <br key={key} />;
    }
  });
}
