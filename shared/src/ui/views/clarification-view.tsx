import type { TargetedEvent } from 'preact';
import { useId } from 'preact/hooks';
import type { SignoffRequest } from '../../protocol/index.js';
import { GroupError, TextAreaField, TextField } from '../form-fields.js';
import {
  buildClarificationResponse,
  freeformAllowed,
  initialClarificationForm,
  restoreClarificationForm,
  type ClarificationForm,
} from '../forms/clarification-form.js';
import { errorAt } from '../forms/form-result.js';
import { markHiddenCharacters, visibleText } from '../visible-text.js';
import type { KindViewProps } from './kind-view-props.js';
import { useDecision } from './use-decision.js';

type Field = NonNullable<SignoffRequest<'clarification'>['fields']>[number];

/**
 * Answer a question: the agent's description first (the question is the title; it
 * has no other facts), then pick an option, write an answer, or fill in its form.
 */
export function ClarificationView(view: KindViewProps<'clarification'>) {
  const { request } = view;
  const { form, setForm, errors, clearError, disabled, decide } = useDecision({
    view,
    initial: () => initialClarificationForm(request),
    restore: (draft) => restoreClarificationForm(request, draft),
    build: (form) => buildClarificationResponse(request, form),
  });
  const send = () => decide();
  const groupName = useId();
  const options = request.options ?? [];

  const change = (next: ClarificationForm, path: string) => {
    setForm(next);
    clearError(path);
  };
  const known = new Set(['optionId', 'text', ...(request.fields ?? []).map((f) => `values.${f.name}`)]);

  return (
    <form
      class="so-kind"
      aria-label="Answer"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      {view.description}
      {options.length > 0 && (
        <fieldset class="so-choices">
          <legend>Options</legend>
          {options.map((option) => (
            <label class="so-choice" key={option.id}>
              <input
                type="radio"
                name={groupName}
                value={option.id}
                checked={form.optionId === option.id}
                disabled={disabled}
                onChange={(event: TargetedEvent<HTMLInputElement>) => {
                  if (event.currentTarget.checked) change({ ...form, optionId: option.id }, 'optionId');
                }}
              />
              <span>{visibleText(option.label)}</span>
            </label>
          ))}
          {form.optionId !== null && (
            <button type="button" class="so-btn so-btn-quiet" disabled={disabled} onClick={() => change({ ...form, optionId: null }, 'optionId')}>
              Clear choice
            </button>
          )}
          <GroupError error={errorAt(errors, 'optionId')} />
        </fieldset>
      )}

      {(request.fields ?? []).map((field) => (
        <FormField
          key={field.name}
          field={field}
          value={form.values[field.name]}
          disabled={disabled}
          error={errorAt(errors, `values.${field.name}`)}
          onValue={(value) => change({ ...form, values: { ...form.values, [field.name]: value } }, `values.${field.name}`)}
        />
      ))}

      {freeformAllowed(request) && (
        <TextAreaField
          label="Answer"
          value={form.text}
          rows={3}
          disabled={disabled}
          hint={options.length > 0 || request.fields?.length ? 'Optional' : undefined}
          error={errorAt(errors, 'text')}
          onValue={(text) => change({ ...form, text }, 'text')}
        />
      )}

      <div class="so-actions so-decision">
        <GroupError error={errors.find((e) => !known.has(e.path))?.message} />
        <button type="submit" class="so-btn so-btn-primary" disabled={disabled}>
          Send
        </button>
      </div>
    </form>
  );
}

/** One typed field of the agent's form, with its error beside it. */
function FormField({
  field,
  value,
  disabled,
  error,
  onValue,
}: {
  field: Field;
  value: string | boolean | undefined;
  disabled: boolean;
  error: string | undefined;
  onValue: (value: string | boolean) => void;
}) {
  const id = useId();
  const errorId = `${id}-error`;
  if (field.type === 'checkbox') {
    return (
      <div class="so-field so-field-check">
        <label class="so-choice">
          <input
            type="checkbox"
            checked={value === true}
            disabled={disabled}
            aria-invalid={error !== undefined ? 'true' : undefined}
            aria-describedby={error !== undefined ? errorId : undefined}
            onChange={(event: TargetedEvent<HTMLInputElement>) => onValue(event.currentTarget.checked)}
          />
          <span>{visibleText(field.label)}</span>
        </label>
        {error !== undefined && (
          <p id={errorId} class="so-field-error">
            {error}
          </p>
        )}
      </div>
    );
  }
  if (field.type === 'select') {
    return (
      <div class="so-field">
        <label for={id}>
          {visibleText(field.label)}
          {field.required && (
            <span class="so-required" aria-hidden="true">
              {' '}
              *
            </span>
          )}
        </label>
        <select
          id={id}
          value={typeof value === 'string' ? value : ''}
          required={field.required}
          disabled={disabled}
          aria-invalid={error !== undefined ? 'true' : undefined}
          aria-describedby={error !== undefined ? errorId : undefined}
          onChange={(event: TargetedEvent<HTMLSelectElement>) => onValue(event.currentTarget.value)}
        >
          <option value="">— choose —</option>
          {(field.options ?? []).map((option) => (
            <option key={option.id} value={option.id}>
              {markHiddenCharacters(option.label)}
            </option>
          ))}
        </select>
        {error !== undefined && (
          <p id={errorId} class="so-field-error">
            {error}
          </p>
        )}
      </div>
    );
  }
  return (
    <TextField
      label={field.label}
      value={typeof value === 'string' ? value : ''}
      required={field.required}
      disabled={disabled}
      inputMode={field.type === 'number' ? 'decimal' : 'text'}
      error={error}
      onValue={onValue}
    />
  );
}
