import type { TargetedKeyboardEvent } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { TextAreaField, TextField } from '../form-fields.js';
import { buildEditResponse, draftProblem, initialEditForm, restoreEditForm, type EditAction } from '../forms/edit-form.js';
import { errorAt, reasonRequired } from '../forms/form-result.js';
import { diffLines, diffStats, foldUnchanged } from '../line-diff.js';
import { MarkdownView } from '../markdown-view.js';
import { hasHiddenCharacters } from '../../protocol/hidden-characters.js';
import { visibleText } from '../visible-text.js';
import type { KindViewProps } from './kind-view-props.js';
import { useDecision } from './use-decision.js';

const FORMAT_LABELS = { text: 'text', markdown: 'Markdown', json: 'JSON' } as const;

/**
 * Review a draft: edit it in place (saved as a draft on every keystroke), see a live
 * line diff against the agent's version, read the agent's description, then Accept
 * it as written, Save edits, or Reject it with a reason. A text box cannot show
 * markers, so a draft holding hidden characters is also shown as text with them
 * marked: Accept sends exactly that.
 */
export function EditView(view: KindViewProps<'edit'>) {
  const { request } = view;
  const { form, setForm, errors, clearError, disabled, decide } = useDecision({
    view,
    initial: () => initialEditForm(request),
    restore: (draft) => restoreEditForm(request, draft),
    build: (form, action: EditAction) => buildEditResponse(request, form, action),
  });
  const original = request.draft.content;
  const [previewOpen, setPreviewOpen] = useState(false);
  const format = request.draft.format;

  const problem = useMemo(() => draftProblem(format, form.content), [format, form.content]);
  const diff = useMemo(() => diffLines(original, form.content), [original, form.content]);
  const stats = diffStats(diff);
  const changed = stats.added > 0 || stats.removed > 0;
  const hidden = useMemo(() => hasHiddenCharacters(original), [original]);

  return (
    <section class="so-kind" aria-label="Review draft">
      <TextAreaField
        label={`Draft (${FORMAT_LABELS[format]})`}
        value={form.content}
        code
        rows={Math.min(20, Math.max(6, form.content.split('\n').length + 1))}
        disabled={disabled}
        error={problem ?? errorAt(errors, 'content')}
        onValue={(content) => setForm({ ...form, content })}
      />

      {hidden && (
        <section class="so-section so-section-warn">
          <h3>The draft as sent, hidden characters shown</h3>
          <pre class="so-json">{visibleText(original)}</pre>
        </section>
      )}

      <section class="so-section" aria-label="Changes">
        <h3>
          Changes{' '}
          {changed && (
            <span class="so-diff-stats">
              <span class="so-diff-added-count">+{stats.added}</span> <span class="so-diff-removed-count">−{stats.removed}</span>
            </span>
          )}
        </h3>
        {changed ? (
          <pre class="so-diff">
            {foldUnchanged(diff).map((line, i) =>
              line.type === 'skip' ? (
                <span key={i} class="so-diff-line so-diff-skip">
                  {`⋯ ${line.count} unchanged line${line.count === 1 ? '' : 's'}`}
                </span>
              ) : (
                <span key={i} class={`so-diff-line so-diff-${line.type}`}>
                  {`${line.type === 'added' ? '+' : line.type === 'removed' ? '-' : ' '} `}
                  {visibleText(line.text)}
                </span>
              ),
            )}
          </pre>
        ) : (
          <p class="so-hint">No changes yet. Accept sends the draft as the agent wrote it.</p>
        )}
      </section>

      {format === 'markdown' && (
        <details class="so-preview" onToggle={(event) => setPreviewOpen(event.currentTarget.open)}>
          <summary>Preview</summary>
          {/* Rendered only while open: markdown costs real time on a long draft, and the draft changes on every keystroke. */}
          {previewOpen && <MarkdownView source={form.content} />}
        </details>
      )}
      {view.description}

      <TextField
        label="Reason"
        value={form.reason}
        disabled={disabled}
        hint={reasonRequired(request) ? 'Needed to reject' : 'Optional'}
        error={errorAt(errors, 'reason')}
        onValue={(reason) => {
          setForm({ ...form, reason });
          clearError('reason');
        }}
        onKeyDown={(event: TargetedKeyboardEvent<HTMLElement>) => {
          if (event.key === 'Enter' && !event.isComposing) {
            event.preventDefault();
            decide('reject');
          }
        }}
      />

      <div class="so-actions so-decision">
        {changed && <p class="so-hint">Accept sends the agent's draft unchanged; Save edits sends yours.</p>}
        <button type="button" class="so-btn so-btn-primary" disabled={disabled} onClick={() => decide('accept')}>
          Accept
        </button>
        <button type="button" class="so-btn" disabled={disabled || problem !== null} onClick={() => decide('edit')}>
          Save edits
        </button>
        <button type="button" class="so-btn so-btn-danger" disabled={disabled} onClick={() => decide('reject')}>
          Reject
        </button>
      </div>
    </section>
  );
}
