import type { CheckpointResponse, SignoffRequest } from '../../protocol/index.js';
import { storedForm, stringOr } from './form-draft.js';
import { finishResponse, invalid, optionalText, type BuildResult } from './form-result.js';

/** What the checkpoint view holds: which upcoming steps (by index) to skip, and notes. */
export interface CheckpointForm {
  skip: number[];
  notes: string;
}

/** The buttons of a checkpoint; they map one to one onto the response's `action`. */
export const CheckpointAction = { continue: 'continue', modify: 'modify', abort: 'abort' } as const;
export type CheckpointAction = (typeof CheckpointAction)[keyof typeof CheckpointAction];

type Checkpoint = SignoffRequest<'checkpoint'>;

/** Nothing skipped, no notes. */
export function initialCheckpointForm(): CheckpointForm {
  return { skip: [], notes: '' };
}

/** The saved form, keeping only skip indices that still name an upcoming step. */
export function restoreCheckpointForm(request: Checkpoint, draft: unknown): CheckpointForm {
  const saved = storedForm('checkpoint', draft);
  const steps = request.upcoming?.length ?? 0;
  const skip = Array.isArray(saved?.skip) ? saved.skip.filter((i): i is number => Number.isInteger(i) && i >= 0 && i < steps) : [];
  return { skip: [...new Set(skip)].sort((a, b) => a - b), notes: stringOr(saved?.notes, '') };
}

/** `skip` with step `index` ticked or unticked, kept sorted. */
export function toggleSkip(skip: readonly number[], index: number, skipped: boolean): number[] {
  const rest = skip.filter((i) => i !== index);
  return skipped ? [...rest, index].sort((a, b) => a - b) : rest;
}

/**
 * The answer for Continue, Modify or Abort. Skipping steps is a modification, so
 * Continue with steps ticked is refused rather than silently dropping the ticks;
 * Modify needs something to modify.
 */
export function buildCheckpointResponse(request: Checkpoint, form: CheckpointForm, action: CheckpointAction): BuildResult<CheckpointResponse> {
  const notes = optionalText(form.notes);
  const skipSteps = form.skip.map((i) => request.upcoming?.[i]).filter((step): step is string => step !== undefined);
  const response: CheckpointResponse = { action };
  if (notes !== undefined) response.notes = notes;
  if (action === CheckpointAction.continue && skipSteps.length > 0) {
    return invalid('skipSteps', 'Steps are ticked to skip: press Modify to skip them, or untick them');
  }
  if (action === CheckpointAction.modify) {
    if (skipSteps.length === 0 && notes === undefined) return invalid('skipSteps', 'Tick steps to skip or write notes to modify the run');
    if (skipSteps.length > 0) response.skipSteps = skipSteps;
  }
  return finishResponse(request, response);
}
