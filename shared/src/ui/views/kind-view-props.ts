import type { ComponentChildren } from 'preact';
import type { RequestKind, ResponseOfKind, SignoffRequest } from '../../protocol/index.js';
import type { LoadedDraft } from '../use-form-draft.js';

/** What every kind's answer view gets from the detail around it. */
export interface KindViewProps<K extends RequestKind> {
  request: SignoffRequest<K>;
  /** The saved form, once `loadDraft` answered. */
  loaded: LoadedDraft;
  /** Hands the form's state to the host's `saveDraft`. */
  saveDraft: (draft: unknown) => void;
  /** An answer is on its way: actions wait. */
  busy: boolean;
  /** An answer is already queued for this request (offline): actions are off. */
  locked: boolean;
  /**
   * The agent's context and free-form description. Each view places it after the
   * request's facts and before its controls: facts first, the agent's words second.
   */
  description: ComponentChildren;
  /** Sends a response that has passed the form's checks. */
  submit: (response: ResponseOfKind<K>) => void;
}
