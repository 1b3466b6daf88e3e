import { useId } from 'preact/hooks';
import { GroupError, TextAreaField, TextField } from '../form-fields.js';
import { buildEscalationResponse, initialEscalationForm, restoreEscalationForm, type EscalationAction } from '../forms/escalation-form.js';
import { errorAt } from '../forms/form-result.js';
import { EscalationFacts } from '../request-facts.js';
import { visibleText } from '../visible-text.js';
import type { KindViewProps } from './kind-view-props.js';
import { useDecision } from './use-decision.js';

/**
 * The agent is stuck: why, what it tried, what it suggests. The human takes over,
 * sends it on with guidance, stops it, or hands the work to another agent.
 */
export function EscalationView(view: KindViewProps<'escalation'>) {
  const { request } = view;
  const { form, setForm, errors, clearError, disabled, decide } = useDecision({
    view,
    initial: initialEscalationForm,
    restore: (draft) => restoreEscalationForm(request, draft),
    build: (form, action: EscalationAction) => buildEscalationResponse(request, form, action),
  });
  const idBase = useId();

  return (
    <section class="so-kind" aria-label="Escalation">
      <EscalationFacts request={request} />
      {request.recommendations && request.recommendations.length > 0 && (
        <section class="so-section">
          <h3>What it recommends</h3>
          <ul class="so-lines">
            {request.recommendations.map((recommendation, i) => (
              <li key={i}>
                <span id={`${idBase}-rec-${i}`}>{visibleText(recommendation)}</span>{' '}
                {/* Named "Use", described by the text: agent words in a button's name could
                    collide with the action buttons' names ("Continue"). */}
                <button
                  type="button"
                  class="so-btn so-btn-quiet so-btn-small"
                  disabled={disabled}
                  aria-describedby={`${idBase}-rec-${i}`}
                  onClick={() => {
                    setForm({ ...form, guidance: recommendation });
                    clearError('guidance');
                  }}
                >
                  Use
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {view.description}

      <TextAreaField
        label="Guidance"
        value={form.guidance}
        rows={3}
        disabled={disabled}
        hint="Needed to continue; sent with any action"
        error={errorAt(errors, 'guidance')}
        onValue={(guidance) => {
          setForm({ ...form, guidance });
          clearError('guidance');
        }}
      />
      <TextField
        label="Target agent"
        value={form.targetAgentId}
        disabled={disabled}
        hint="Agent id to delegate to"
        error={errorAt(errors, 'targetAgentId')}
        onValue={(targetAgentId) => {
          setForm({ ...form, targetAgentId });
          clearError('targetAgentId');
        }}
      />
      <div class="so-actions so-decision">
        <GroupError error={errors.find((e) => e.path !== 'guidance' && e.path !== 'targetAgentId')?.message} />
        <button type="button" class="so-btn so-btn-primary" disabled={disabled} onClick={() => decide('takeover')}>
          Take over
        </button>
        <button type="button" class="so-btn" disabled={disabled} onClick={() => decide('continue')}>
          Continue
        </button>
        <button type="button" class="so-btn" disabled={disabled} onClick={() => decide('delegate')}>
          Delegate
        </button>
        <button type="button" class="so-btn so-btn-danger" disabled={disabled} onClick={() => decide('abort')}>
          Abort
        </button>
      </div>
    </section>
  );
}
