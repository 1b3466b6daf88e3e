import { TextAreaField } from '../form-fields.js';
import { buildExternalResponse, initialExternalForm, restoreExternalForm } from '../forms/external-form.js';
import { errorAt } from '../forms/form-result.js';
import { ActionFacts } from '../request-facts.js';
import type { KindViewProps } from './kind-view-props.js';
import { useDecision } from './use-decision.js';

/** The agent needs a tool it cannot run: the human runs it and pastes the result. */
export function ExternalView(view: KindViewProps<'external'>) {
  const { request } = view;
  const { form, setForm, errors, clearError, disabled, decide } = useDecision({
    view,
    initial: initialExternalForm,
    restore: (draft) => restoreExternalForm(request, draft),
    build: (form) => buildExternalResponse(request, form),
  });
  const send = () => decide();

  return (
    <section class="so-kind" aria-label="Run a tool">
      <ActionFacts title="Tool" action={request.tool} />
      {view.description}
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
          clearError();
        }}
      />
      <div class="so-actions so-decision">
        <button type="button" class="so-btn so-btn-primary" disabled={disabled} onClick={send}>
          Send
        </button>
      </div>
    </section>
  );
}
