import type { SignoffRequest } from '../protocol/index.js';
import { prettyJson } from './json-text.js';
import { MarkdownView } from './markdown-view.js';
import { SectionList } from './views/section-list.js';
import { visibleText } from './visible-text.js';

/**
 * The request's own facts, per kind — what will run, with which arguments, whether
 * it can be undone, what it costs, what was tried — as read-only sections. The
 * answer views show them above the agent's description and the controls; a
 * read-only detail (history, notices) shows them the same way. Every agent string
 * goes through {@link visibleText}.
 */

/** An action or tool: its name, then its arguments as JSON text. */
export function ActionFacts({ title, action }: { title: string; action: { name: string; args?: Record<string, unknown> | undefined } | undefined }) {
  if (!action) return null;
  return (
    <section class="so-section">
      <h3>{title}</h3>
      <p>
        <code class="so-action-name">{visibleText(action.name)}</code>
      </p>
      {action.args && (
        <>
          <p class="so-hint">Arguments</p>
          <pre class="so-json">{visibleText(prettyJson(action.args))}</pre>
        </>
      )}
    </section>
  );
}

/** An approval's action, whether it can be undone, and its consequences. */
export function ApprovalFacts({ request }: { request: SignoffRequest<'approval'> }) {
  return (
    <>
      <ActionFacts title="Action" action={request.action} />
      {request.reversible === false && (
        <p class="so-irreversible">
          <strong>Irreversible</strong> — this cannot be undone
        </p>
      )}
      {request.reversible === true && <p class="so-reversible">Reversible — it can be undone</p>}
      <SectionList title="Consequences" items={request.consequences} tone="warn" />
    </>
  );
}

/** An alternative's words: its description, and its trade-offs under it. */
export function AlternativeText({ alternative }: { alternative: NonNullable<SignoffRequest<'approval'>['alternatives']>[number] }) {
  return (
    <>
      {visibleText(alternative.description)}
      {alternative.tradeoffs && <span class="so-hint so-choice-note">{visibleText(alternative.tradeoffs)}</span>}
    </>
  );
}

/** Why an escalation stopped and what it tried. */
export function EscalationFacts({ request }: { request: SignoffRequest<'escalation'> }) {
  return (
    <>
      <section class="so-section so-section-warn">
        <h3>Why it stopped</h3>
        <p class="so-pre-line">{visibleText(request.reason)}</p>
      </section>
      <SectionList title="What it tried" items={request.attempted} />
    </>
  );
}

/** A checkpoint's phase and progress bar, and what is done. */
export function CheckpointFacts({ request }: { request: SignoffRequest<'checkpoint'> }) {
  const percent = Math.round(Math.min(1, Math.max(0, request.progress)) * 100);
  return (
    <>
      <section class="so-section">
        <h3>Phase</h3>
        <p>{visibleText(request.phase)}</p>
        <div class="so-progress-row">
          <div class="so-progress" role="progressbar" aria-label="Progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
            <div class="so-progress-fill" style={{ width: `${percent}%` }} />
          </div>
          <span class="so-progress-text">{percent}%</span>
        </div>
      </section>
      <SectionList title="Completed" items={request.completed} />
    </>
  );
}

const FORMAT_LABELS = { text: 'text', markdown: 'Markdown', json: 'JSON' } as const;

/** The facts of a settled or read-only request of any kind, in the order the answer views use. */
export function ReadOnlyFacts({ request }: { request: SignoffRequest }) {
  switch (request.kind) {
    case 'approval':
      return (
        <>
          <ApprovalFacts request={request} />
          {request.alternatives && request.alternatives.length > 0 && (
            <section class="so-section">
              <h3>Alternatives offered</h3>
              <ul class="so-lines">
                {request.alternatives.map((alternative) => (
                  <li key={alternative.id}>
                    <AlternativeText alternative={alternative} />
                  </li>
                ))}
              </ul>
            </section>
          )}
        </>
      );
    case 'clarification':
      return (
        <>
          <SectionList title="Options offered" items={request.options?.map((o) => o.label)} />
          <SectionList title="Form fields" items={request.fields?.map((f) => f.label)} />
        </>
      );
    case 'edit':
      return (
        <section class="so-section">
          <h3>Draft ({FORMAT_LABELS[request.draft.format]})</h3>
          <pre class="so-json">{visibleText(request.draft.content)}</pre>
        </section>
      );
    case 'escalation':
      return (
        <>
          <EscalationFacts request={request} />
          <SectionList title="What it recommends" items={request.recommendations} />
        </>
      );
    case 'checkpoint':
      return (
        <>
          <CheckpointFacts request={request} />
          <SectionList title="Upcoming" items={request.upcoming} />
          <SectionList title="Issues" items={request.issues} tone="warn" />
        </>
      );
    case 'external':
      return <ActionFacts title="Tool" action={request.tool} />;
    case 'notify':
      return null;
  }
}

/**
 * The agent's free-form markdown, set apart below the request's facts under its own
 * heading and in a bordered box, its headings demoted to bold lines
 * ({@link MarkdownView}), so nothing in it can pass for a section of the request.
 */
export function AgentDescription({ body }: { body: string | undefined }) {
  if (body === undefined || body.trim() === '') return null;
  return (
    <section class="so-section so-agent-description" aria-label="The agent's description">
      <h3>The agent's description</h3>
      <div class="so-agent-box">
        <MarkdownView source={body} />
      </div>
    </section>
  );
}
