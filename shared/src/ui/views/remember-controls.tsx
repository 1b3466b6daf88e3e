import type { TargetedEvent } from 'preact';
import { useId } from 'preact/hooks';
import { GrantDuration, GrantScope, type SignoffRequest } from '../../protocol/index.js';
import { GroupError, TextField } from '../form-fields.js';
import { commandOf, rememberPatternProblem, rememberScopes, type RememberForm } from '../forms/approval-form.js';
import { visibleText } from '../visible-text.js';

/** How long a grant lasts, in the words the control shows. */
export const DURATION_LABELS: Record<GrantDuration, string> = {
  [GrantDuration.hour]: '1 hour',
  [GrantDuration.today]: 'Until the end of the day',
  [GrantDuration.always]: 'Until revoked',
};

/** Whom a grant covers, in the words the control shows. */
export const SCOPE_LABELS: Record<GrantScope, string> = {
  [GrantScope.run]: 'This run',
  [GrantScope.agent]: 'This agent (every run)',
};

/** Props of {@link RememberControls}. */
export interface RememberControlsProps {
  request: SignoffRequest<'approval'>;
  value: RememberForm;
  onChange: (value: RememberForm) => void;
  /** Why it cannot go with the approval as it stands (an alternative, edits); the checkbox is off and says so. */
  blocked: string | null;
  disabled: boolean;
  /** The last attempt's error for the control, and for the pattern. */
  error: string | undefined;
  patternError: string | undefined;
}

/**
 * "Always allow this": off by default; once on, how long (an hour, the day, until
 * revoked), whom it covers (this run, when the request has one; this agent) and, for
 * a shell command, the pattern: the exact command, which the person may widen to a
 * prefix ending in `*`, checked as they type with the contract's own rule.
 */
export function RememberControls({ request, value, onChange, blocked, disabled, error, patternError }: RememberControlsProps) {
  const id = useId();
  const command = commandOf(request);
  const scopes = rememberScopes(request);
  const active = value.on && blocked === null;
  const pattern = value.pattern ?? command ?? '';
  const livePatternProblem = active && value.pattern !== null ? rememberPatternProblem(request, value.pattern) : null;
  const agent = request.agentId ? `“${request.agentId}”` : 'this agent';

  return (
    <div class="so-remember" role="group" aria-label="Always allow this" aria-describedby={`${id}-hint`}>
      <label class="so-choice">
        <input
          type="checkbox"
          checked={active}
          disabled={disabled || blocked !== null}
          onChange={(event: TargetedEvent<HTMLInputElement>) => onChange({ ...value, on: event.currentTarget.checked })}
        />
        <span>Always allow this</span>
      </label>
      <p id={`${id}-hint`} class="so-hint">
        {blocked !== null
          ? `Not available: ${blocked}.`
          : active
            ? command !== null
              ? `Later requests from ${agent} to run a matching command are approved without asking you.`
              : `Later requests from ${agent} for this action with exactly these arguments are approved without asking you.`
            : 'With Approve: approve the same request again without asking, for a while.'}
      </p>
      {active && (
        <>
          <div class="so-remember-options">
            <RadioGroup
              legend="For"
              name={`${id}-for`}
              options={Object.values(GrantDuration).map((d) => ({ value: d, label: DURATION_LABELS[d] }))}
              selected={value.for}
              disabled={disabled}
              onSelect={(d) => onChange({ ...value, for: d })}
            />
            <RadioGroup
              legend="Covers"
              name={`${id}-scope`}
              options={scopes.map((s) => ({ value: s, label: s === GrantScope.run && request.runId ? `${SCOPE_LABELS.run} (${request.runId})` : SCOPE_LABELS[s] }))}
              selected={value.scope}
              disabled={disabled}
              onSelect={(s) => onChange({ ...value, scope: s })}
            />
          </div>
          {command !== null && (
            <TextField
              label="Commands to allow"
              value={pattern}
              disabled={disabled}
              onValue={(next) => onChange({ ...value, pattern: next })}
              hint={
                <>
                  The exact command. To allow more, shorten it to a prefix ending in <code>*</code> (like <code>npm run test:*</code>).
                </>
              }
              error={livePatternProblem ?? patternError}
            />
          )}
        </>
      )}
      <GroupError error={error} />
    </div>
  );
}

function RadioGroup<V extends string>(props: {
  legend: string;
  name: string;
  options: { value: V; label: string }[];
  selected: V;
  disabled: boolean;
  onSelect: (value: V) => void;
}) {
  return (
    <fieldset class="so-choices">
      <legend>{props.legend}</legend>
      {props.options.map((option) => (
        <label class="so-choice" key={option.value}>
          <input
            type="radio"
            name={props.name}
            value={option.value}
            checked={props.selected === option.value}
            disabled={props.disabled}
            onChange={(event: TargetedEvent<HTMLInputElement>) => {
              if (event.currentTarget.checked) props.onSelect(option.value);
            }}
          />
          <span>{visibleText(option.label)}</span>
        </label>
      ))}
    </fieldset>
  );
}
