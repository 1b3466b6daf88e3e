import type { RefObject } from 'preact';
import { TextAreaField } from '../form-fields.js';
import { changeValueText, type ArgChange, type ArgsCheck } from '../forms/edited-args.js';
import { visibleText } from '../visible-text.js';

/** How many changes are listed; the rest are counted. */
const SHOWN_CHANGES = 20;

/**
 * The JSON editor for an approval's arguments, its live check, and what changed,
 * so the person sees exactly which values the agent's action will run with. The
 * view owns the state; this only shows it. When an alternative is picked the
 * editor is off: edits apply only to the action as proposed.
 */
export function ArgsEditor(props: {
  text: string;
  check: ArgsCheck;
  /** An alternative is picked: the edits will not be sent. */
  inactive: boolean;
  disabled: boolean;
  /** An error from the last Approve, shown when the live check has none. */
  error: string | undefined;
  textareaRef: RefObject<HTMLTextAreaElement | null>;
  onText: (text: string) => void;
  onDiscard: () => void;
}) {
  const { text, check, inactive } = props;
  const liveError = check.ok ? undefined : check.problems.join('\n');
  // Counting lines of a 256 KiB text is linear; the box stops growing at 20 rows.
  const rows = Math.min(20, Math.max(4, countLines(text, 20) + 1));
  return (
    <section class="so-section so-args-editor" aria-label="Edit arguments">
      <TextAreaField
        label="Arguments (JSON)"
        value={text}
        code
        rows={rows}
        textareaRef={props.textareaRef}
        disabled={props.disabled || inactive}
        hint={
          inactive
            ? 'Edits apply only to the action as proposed: approving an alternative does not send them.'
            : 'Change values only: keys stay as the agent sent them, each value keeps its type.'
        }
        error={liveError ?? props.error}
        onValue={props.onText}
      />
      {!inactive && check.ok && check.changeCount > 0 && <ArgChanges changes={check.changes} count={check.changeCount} />}
      {!inactive && check.ok && check.changeCount === 0 && <p class="so-hint">No values changed: Approve runs the action with the agent's arguments.</p>}
      <div class="so-actions">
        <button type="button" class="so-btn so-btn-small" disabled={props.disabled} onClick={props.onDiscard}>
          Discard edits
        </button>
      </div>
    </section>
  );
}

/** The warning and the list of changed values, old → new. */
function ArgChanges({ changes, count }: { changes: readonly ArgChange[]; count: number }) {
  const shown = changes.slice(0, SHOWN_CHANGES);
  return (
    <div class="so-section-warn so-arg-changes" role="status">
      <h3>You are approving EDITED arguments</h3>
      <p class="so-hint">The action will run with your values, not the agent's:</p>
      <ul class="so-lines">
        {shown.map((change) => (
          <li key={change.path}>
            <code>{visibleText(change.path)}</code>
            {': '}
            <ChangeText change={change} />
          </li>
        ))}
      </ul>
      {count > shown.length && <p class="so-hint">{`and ${count - shown.length} more change${count - shown.length === 1 ? '' : 's'}`}</p>}
    </div>
  );
}

function ChangeText({ change }: { change: ArgChange }) {
  if (!('before' in change)) return <span class="so-diff-added">{visibleText(`added ${changeValueText(change.after)}`)}</span>;
  if (!('after' in change)) return <span class="so-diff-removed">{visibleText(`removed ${changeValueText(change.before)}`)}</span>;
  return (
    <>
      <span class="so-diff-removed">{visibleText(changeValueText(change.before))}</span>
      {' → '}
      <span class="so-diff-added">{visibleText(changeValueText(change.after))}</span>
    </>
  );
}

/** Lines in `text`, counting no further than `max`. */
function countLines(text: string, max: number): number {
  let lines = 1;
  for (let at = text.indexOf('\n'); at !== -1 && lines < max; at = text.indexOf('\n', at + 1)) lines++;
  return lines;
}
