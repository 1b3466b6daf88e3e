import type { TargetedEvent, TargetedKeyboardEvent } from 'preact';
import { useEffect, useId, useMemo, useRef } from 'preact/hooks';
import { GroupError, TextField } from '../form-fields.js';
import {
  buildApprovalResponse,
  initialApprovalFormFor,
  NOTE_PATH,
  REMEMBER_PATH,
  REMEMBER_PATTERN_PATH,
  rememberBlocked,
  rememberUnavailable,
  restoreApprovalForm,
  type ApprovalAction,
} from '../forms/approval-form.js';
import { argsToText, checkEditedArgs, EDITED_ARGS_PATH } from '../forms/edited-args.js';
import { errorAt, reasonRequired } from '../forms/form-result.js';
import { shortcutFor } from '../keyboard.js';
import { AlternativeText, ApprovalFacts } from '../request-facts.js';
import { useDocumentKeydown } from '../use-document-keydown.js';
import { ArgsEditor } from './args-editor.js';
import type { KindViewProps } from './kind-view-props.js';
import { RememberControls } from './remember-controls.js';
import { useDecision } from './use-decision.js';
import { visibleText } from '../visible-text.js';

/** Errors shown beside their own controls, not in the line above the buttons. */
const FIELD_PATHS = new Set(['reason', 'alternativeId', NOTE_PATH, EDITED_ARGS_PATH, REMEMBER_PATH, REMEMBER_PATTERN_PATH]);

/**
 * Authorise an action: what will run with which arguments, what it costs, whether
 * it can be undone, and alternatives to approve instead — then the agent's
 * description, then the controls: the arguments to edit (when the action has
 * some), a note for Approve, "Always allow this" (only where the contract allows
 * remembering: never for critical or irreversible requests), the reason for
 * Reject, and the buttons. Keys: `a`
 * approves, `r` jumps to the reason, Enter there rejects; `a` and `r` typed in a
 * box (the note, the arguments) stay text.
 */
export function ApprovalView(view: KindViewProps<'approval'>) {
  const { request } = view;
  const reasonRef = useRef<HTMLInputElement>(null);
  const noteRef = useRef<HTMLInputElement>(null);
  const argsRef = useRef<HTMLTextAreaElement>(null);
  const { form, setForm, errors, clearError, disabled, decide } = useDecision({
    view,
    initial: () => initialApprovalFormFor(request),
    restore: (draft) => restoreApprovalForm(request, draft),
    build: (form, action: ApprovalAction) => buildApprovalResponse(request, form, action),
    onInvalid: (errors) => {
      if (errors.some((e) => e.path === 'reason')) reasonRef.current?.focus();
      else if (errors.some((e) => e.path === EDITED_ARGS_PATH)) argsRef.current?.focus();
      else if (errors.some((e) => e.path === NOTE_PATH)) noteRef.current?.focus();
    },
  });
  const args = request.action?.args;
  const argsCheck = useMemo(() => (args && form.argsText !== null ? checkEditedArgs(args, form.argsText) : null), [args, form.argsText]);
  const approvingEdits = form.alternativeId === null && argsCheck?.ok === true && argsCheck.changeCount > 0;
  const rememberOffered = useMemo(() => rememberUnavailable(request) === null, [request]);
  const blockedRemember = rememberOffered ? rememberBlocked(request, form) : null;
  // Opening the editor moves focus into it once it is drawn.
  const focusEditor = useRef(false);
  useEffect(() => {
    if (focusEditor.current && argsRef.current) {
      focusEditor.current = false;
      argsRef.current.focus();
    }
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

      {args && form.argsText === null && (
        <div class="so-actions">
          <button
            type="button"
            class="so-btn so-btn-small"
            disabled={disabled || form.alternativeId !== null}
            onClick={() => {
              focusEditor.current = true;
              setForm({ ...form, argsText: argsToText(args) });
            }}
          >
            Edit arguments
          </button>
          {form.alternativeId !== null && <span class="so-hint">Only the action as proposed can run with edited arguments.</span>}
        </div>
      )}
      {form.argsText !== null && argsCheck && (
        <ArgsEditor
          text={form.argsText}
          check={argsCheck}
          inactive={form.alternativeId !== null}
          disabled={disabled}
          error={errorAt(errors, EDITED_ARGS_PATH)}
          textareaRef={argsRef}
          onText={(argsText) => {
            setForm({ ...form, argsText });
            clearError(EDITED_ARGS_PATH);
          }}
          onDiscard={() => {
            setForm({ ...form, argsText: null });
            clearError(EDITED_ARGS_PATH);
          }}
        />
      )}

      <TextField
        label="Note"
        value={form.note}
        inputRef={noteRef}
        disabled={disabled}
        onValue={(note) => {
          setForm({ ...form, note });
          clearError(NOTE_PATH);
        }}
        hint="Optional · sent to the agent with Approve"
        error={errorAt(errors, NOTE_PATH)}
      />

      {rememberOffered && (
        <RememberControls
          request={request}
          value={form.remember}
          blocked={blockedRemember}
          disabled={disabled}
          error={errorAt(errors, REMEMBER_PATH)}
          patternError={errorAt(errors, REMEMBER_PATTERN_PATH)}
          onChange={(remember) => {
            setForm({ ...form, remember });
            clearError(remember.pattern === form.remember.pattern ? REMEMBER_PATH : REMEMBER_PATTERN_PATH);
          }}
        />
      )}

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

      {/* What Approve will do and why it did not, inside the decision bar: on a phone the bar is fixed at the bottom of the screen. */}
      <div class="so-actions so-decision">
        {picked && <p class="so-hint">Approve will approve instead: {visibleText(picked.description)}</p>}
        <GroupError
          error={
            errors.some((e) => e.path === EDITED_ARGS_PATH)
              ? 'Not approved: fix the edited arguments above, or discard the edits.'
              : errors.find((e) => !FIELD_PATHS.has(e.path))?.message
          }
        />
        <button type="button" class="so-btn so-btn-primary" disabled={disabled} onClick={() => decide('approve')}>
          {approvingEdits ? 'Approve with edits' : 'Approve'}
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
