import type { TargetedEvent, TargetedKeyboardEvent } from 'preact';
import { useId, useRef } from 'preact/hooks';
import { GroupError, TextField } from '../form-fields.js';
import { buildApprovalResponse, initialApprovalForm, restoreApprovalForm, type ApprovalAction } from '../forms/approval-form.js';
import { errorAt, reasonRequired } from '../forms/form-result.js';
import { shortcutFor } from '../keyboard.js';
import { AlternativeText, ApprovalFacts } from '../request-facts.js';
import { useDocumentKeydown } from '../use-document-keydown.js';
import type { KindViewProps } from './kind-view-props.js';
import { useDecision } from './use-decision.js';
import { visibleText } from '../visible-text.js';

/**
 * Authorise an action: what will run with which arguments, what it costs, whether
 * it can be undone, and alternatives to approve instead — then the agent's
 * description, then the reason and the buttons. Keys: `a` approves, `r` jumps to
 * the reason, Enter there rejects.
 */
export function ApprovalView(view: KindViewProps<'approval'>) {
  const { request } = view;
  const reasonRef = useRef<HTMLInputElement>(null);
  const { form, setForm, errors, clearError, disabled, decide } = useDecision({
    view,
    initial: initialApprovalForm,
    restore: (draft) => restoreApprovalForm(request, draft),
    build: (form, action: ApprovalAction) => buildApprovalResponse(request, form, action),
    onInvalid: (errors) => {
      if (errors.some((e) => e.path === 'reason')) reasonRef.current?.focus();
    },
  });
  const rootRef = useRef<HTMLElement>(null);
  const groupName = useId();

  useDocumentKeydown(rootRef, (event) => {
    if (event.defaultPrevented) return;
    const shortcut = shortcutFor(event, 'approval');
    if (shortcut === 'approve') {
      event.preventDefault();
      decide('approve');
    } else if (shortcut === 'focusReason') {
      event.preventDefault(); // or the `r` would be typed into the box
      reasonRef.current?.focus();
    }
  });

  const alternatives = request.alternatives ?? [];
  const picked = alternatives.find((a) => a.id === form.alternativeId);
  const required = reasonRequired(request);

  return (
    <section class="so-kind" ref={rootRef} aria-label="Approval">
      <ApprovalFacts request={request} />

      {alternatives.length > 0 && (
        <fieldset class="so-choices">
          <legend>What to approve</legend>
          <label class="so-choice">
            <input
              type="radio"
              name={groupName}
              checked={form.alternativeId === null}
              disabled={disabled}
              onChange={() => setForm({ ...form, alternativeId: null })}
            />
            <span>The action as proposed</span>
          </label>
          {alternatives.map((alternative) => (
            <label class="so-choice" key={alternative.id}>
              <input
                type="radio"
                name={groupName}
                value={alternative.id}
                checked={form.alternativeId === alternative.id}
                disabled={disabled}
                onChange={(event: TargetedEvent<HTMLInputElement>) => {
                  if (event.currentTarget.checked) setForm({ ...form, alternativeId: alternative.id });
                }}
              />
              <span>
                <AlternativeText alternative={alternative} />
              </span>
            </label>
          ))}
          <GroupError error={errorAt(errors, 'alternativeId')} />
        </fieldset>
      )}
      {view.description}

      <TextField
        label="Reason"
        value={form.reason}
        inputRef={reasonRef}
        disabled={disabled}
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
        hint={required ? 'Needed to reject · Enter rejects' : 'Optional · Enter rejects'}
        error={errorAt(errors, 'reason')}
      />

      {picked && <p class="so-hint">Approve will approve instead: {visibleText(picked.description)}</p>}
      <GroupError error={errors.find((e) => e.path !== 'reason' && e.path !== 'alternativeId')?.message} />
      <div class="so-actions">
        <button type="button" class="so-btn so-btn-primary" disabled={disabled} onClick={() => decide('approve')}>
          Approve
        </button>
        <button type="button" class="so-btn so-btn-danger" disabled={disabled} onClick={() => decide('reject')}>
          Reject
        </button>
      </div>
      <p class="so-keys">
        <kbd>a</kbd> approve · <kbd>r</kbd> reason · <kbd>Esc</kbd> back
      </p>
    </section>
  );
}
