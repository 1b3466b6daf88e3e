import type { ComponentChildren, RefObject } from 'preact';
import type { TargetedEvent, TargetedKeyboardEvent } from 'preact';
import { useId } from 'preact/hooks';
import { visibleText } from './visible-text.js';

/**
 * Labelled form controls: every control gets a visible label tied by id (its
 * accessible name), a hint and an error announced through `aria-describedby`, and
 * `aria-invalid` when the error shows.
 */

interface FieldBase {
  label: string;
  value: string;
  onValue: (value: string) => void;
  hint?: ComponentChildren;
  error?: string;
  required?: boolean;
  disabled?: boolean;
  onKeyDown?: (event: TargetedKeyboardEvent<HTMLElement>) => void;
}

/** The id, label, and ARIA wiring every text control shares. */
function useField(props: FieldBase) {
  const id = useId();
  const ids = [props.hint !== undefined && `${id}-hint`, props.error !== undefined && `${id}-error`].filter(Boolean).join(' ');
  const label = (
    <label for={id}>
      {visibleText(props.label)}
      {props.required && (
        <span class="so-required" aria-hidden="true">
          {' '}
          *
        </span>
      )}
    </label>
  );
  const aria = { 'aria-invalid': props.error !== undefined ? ('true' as const) : undefined, 'aria-describedby': ids === '' ? undefined : ids };
  return { id, label, aria };
}

/** The hint and error lines under a control. */
function FieldNotes({ id, hint, error }: { id: string; hint?: ComponentChildren; error?: string }) {
  return (
    <>
      {hint !== undefined && (
        <p id={`${id}-hint`} class="so-hint">
          {hint}
        </p>
      )}
      {error !== undefined && (
        <p id={`${id}-error`} class="so-field-error">
          {error}
        </p>
      )}
    </>
  );
}

/** A one-line text input. `inputMode` only changes the on-screen keyboard; validation stays ours. */
export function TextField(props: FieldBase & { inputRef?: RefObject<HTMLInputElement | null>; inputMode?: 'text' | 'decimal'; autoComplete?: string }) {
  const { id, label, aria } = useField(props);
  return (
    <div class="so-field">
      {label}
      <input
        id={id}
        ref={props.inputRef}
        type="text"
        inputMode={props.inputMode}
        autoComplete={props.autoComplete ?? 'off'}
        value={props.value}
        required={props.required}
        disabled={props.disabled}
        {...aria}
        onInput={(event: TargetedEvent<HTMLInputElement>) => props.onValue(event.currentTarget.value)}
        onKeyDown={props.onKeyDown}
      />
      <FieldNotes id={id} hint={props.hint} error={props.error} />
    </div>
  );
}

/** A multi-line text box; `code` gives it a monospace font for drafts and JSON. */
export function TextAreaField(props: FieldBase & { rows?: number; code?: boolean; textareaRef?: RefObject<HTMLTextAreaElement | null> }) {
  const { id, label, aria } = useField(props);
  return (
    <div class="so-field">
      {label}
      <textarea
        id={id}
        ref={props.textareaRef}
        class={props.code ? 'so-code-input' : undefined}
        rows={props.rows ?? 3}
        spellcheck={props.code ? false : undefined}
        value={props.value}
        required={props.required}
        disabled={props.disabled}
        {...aria}
        onInput={(event: TargetedEvent<HTMLTextAreaElement>) => props.onValue(event.currentTarget.value)}
        onKeyDown={props.onKeyDown}
      />
      <FieldNotes id={id} hint={props.hint} error={props.error} />
    </div>
  );
}

/** An error that belongs to a group of controls (a radio group, the whole form). */
export function GroupError({ error }: { error: string | undefined }) {
  if (error === undefined) return null;
  return (
    <p class="so-field-error" role="alert">
      {error}
    </p>
  );
}
