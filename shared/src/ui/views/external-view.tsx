import { useState } from 'preact/hooks';
import { TextAreaField } from '../form-fields.js';
import { buildExternalResponse, initialExternalForm, restoreExternalForm } from '../forms/external-form.js';
import { errorAt, type FieldError } from '../forms/form-result.js';
import { prettyJson } from '../json-text.js';
import { useFormDraft } from '../use-form-draft.js';
import type { KindViewProps } from './kind-view-props.js';

/** The agent needs a tool it cannot run: the human runs it and pastes the result. */
export function ExternalView({ request, loaded, saveDraft, busy, locked, submit }: KindViewProps<'external'>) {
  const [form, setForm] = useFormDraft({
    kind: 'external',
    initial: initialExternalForm,
    restore: (draft) => restoreExternalForm(request, draft),
    loaded,
    save: saveDraft,
  });
  const [errors, setErrors] = useState<FieldError[]>([]);
  const disabled = busy || locked;

  const send = () => {
    if (disabled) return;
    const result = buildExternalResponse(request, form);
    if (result.ok) {
      setErrors([]);
      submit(result.response);
    } else setErrors(result.errors);
  };

  return (
    <section class="so-kind" aria-label="Run a tool">
      <section class="so-section">
        <h3>Tool</h3>
        <p>
          <code class="so-action-name">{request.tool.name}</code>
        </p>
        {request.tool.args && (
          <>
            <p class="so-hint">Arguments</p>
            <pre class="so-json">{prettyJson(request.tool.args)}</pre>
          </>
        )}
      </section>
      <TextAreaField
        label="Result"
        value={form.result}
        code
        rows={6}
        disabled={disabled}
        hint="JSON is sent as data; anything else as text"
        error={errorAt(errors, 'result')}
        onValue={(result) => {
          setForm({ result });
          if (errors.length) setErrors([]);
        }}
      />
      <div class="so-actions">
        <button type="button" class="so-btn so-btn-primary" disabled={disabled} onClick={send}>
          Send
        </button>
      </div>
    </section>
  );
}
