import { useState } from 'preact/hooks';
import type { RequestKind, ResponseOfKind } from '../../protocol/index.js';
import type { BuildResult, FieldError } from '../forms/form-result.js';
import { useFormDraft } from '../use-form-draft.js';
import type { KindViewProps } from './kind-view-props.js';

/**
 * What every kind's view shares: its form kept as a draft, the field errors of the
 * last attempt, and `decide(action)`, which builds the kind's response from the form
 * and submits it, or shows why it cannot.
 */
export function useDecision<K extends RequestKind, F, A = void>(options: {
  view: KindViewProps<K>;
  initial: () => F;
  restore: (draft: unknown) => F;
  build: (form: F, action: A) => BuildResult<ResponseOfKind<K>>;
  /** Called with the errors when the form does not build (to move focus, say). */
  onInvalid?: (errors: FieldError[]) => void;
}) {
  const { view, initial, restore, build, onInvalid } = options;
  const [form, setForm] = useFormDraft({ kind: view.request.kind, initial, restore, loaded: view.loaded, save: view.saveDraft });
  const [errors, setErrors] = useState<FieldError[]>([]);
  const disabled = view.busy || view.locked;

  const decide = (action: A) => {
    if (disabled) return;
    const result = build(form, action);
    if (result.ok) {
      setErrors([]);
      view.submit(result.response);
    } else {
      setErrors(result.errors);
      onInvalid?.(result.errors);
    }
  };

  /** Forgets the error at `path` (or all of them) once the person edits that field. */
  const clearError = (path?: string) => {
    if (errors.length) setErrors(path === undefined ? [] : errors.filter((e) => e.path !== path));
  };

  return { form, setForm, errors, clearError, disabled, decide };
}
