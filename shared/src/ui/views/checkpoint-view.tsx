import type { TargetedEvent } from 'preact';
import { GroupError, TextAreaField } from '../form-fields.js';
import { buildCheckpointResponse, initialCheckpointForm, restoreCheckpointForm, toggleSkip, type CheckpointAction } from '../forms/checkpoint-form.js';
import { errorAt } from '../forms/form-result.js';
import { CheckpointFacts } from '../request-facts.js';
import { visibleText } from '../visible-text.js';
import type { KindViewProps } from './kind-view-props.js';
import { useDecision } from './use-decision.js';
import { SectionList } from './section-list.js';

/**
 * A long run pauses for review: how far it got, what is next, what went wrong.
 * The human lets it continue, modifies it (skip steps, add notes) or stops it.
 */
export function CheckpointView(view: KindViewProps<'checkpoint'>) {
  const { request } = view;
  const { form, setForm, errors, clearError, disabled, decide } = useDecision({
    view,
    initial: initialCheckpointForm,
    restore: (draft) => restoreCheckpointForm(request, draft),
    build: (form, action: CheckpointAction) => buildCheckpointResponse(request, form, action),
  });

  return (
    <section class="so-kind" aria-label="Checkpoint">
      <CheckpointFacts request={request} />
      {request.upcoming && request.upcoming.length > 0 && (
        <fieldset class="so-choices">
          <legend>Upcoming — tick steps to skip</legend>
          {request.upcoming.map((step, i) => (
            <label class="so-choice" key={i}>
              <input
                type="checkbox"
                checked={form.skip.includes(i)}
                disabled={disabled}
                onChange={(event: TargetedEvent<HTMLInputElement>) => {
                  setForm({ ...form, skip: toggleSkip(form.skip, i, event.currentTarget.checked) });
                  clearError();
                }}
              />
              <span>{visibleText(step)}</span>
            </label>
          ))}
          <GroupError error={errorAt(errors, 'skipSteps')} />
        </fieldset>
      )}
      <SectionList title="Issues" items={request.issues} tone="warn" />
      {view.description}
      <TextAreaField
        label="Notes"
        value={form.notes}
        rows={3}
        disabled={disabled}
        hint="Optional; sent with any action"
        error={errorAt(errors, 'notes') ?? (request.upcoming?.length ? undefined : errorAt(errors, 'skipSteps'))}
        onValue={(notes) => {
          setForm({ ...form, notes });
          clearError();
        }}
      />
      <div class="so-actions so-decision">
        <button type="button" class="so-btn so-btn-primary" disabled={disabled} onClick={() => decide('continue')}>
          Continue
        </button>
        <button type="button" class="so-btn" disabled={disabled} onClick={() => decide('modify')}>
          Modify
        </button>
        <button type="button" class="so-btn so-btn-danger" disabled={disabled} onClick={() => decide('abort')}>
          Abort
        </button>
      </div>
    </section>
  );
}
