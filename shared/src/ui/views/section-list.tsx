import { visibleText } from '../visible-text.js';

/** A titled bullet list of agent-written lines (consequences, attempts, issues), each as text. */
export function SectionList({ title, items, tone }: { title: string; items: readonly string[] | undefined; tone?: 'warn' }) {
  if (!items || items.length === 0) return null;
  return (
    <section class={tone === 'warn' ? 'so-section so-section-warn' : 'so-section'}>
      <h3>{title}</h3>
      <ul class="so-lines">
        {items.map((item, i) => (
          <li key={i}>{visibleText(item)}</li>
        ))}
      </ul>
    </section>
  );
}
