import { useEffect, useRef, useState } from 'preact/hooks';
import type { RequestKind } from '../protocol/index.js';
import { toStoredDraft } from './forms/form-draft.js';

/** A saved draft as fetched for an open request: still on its way, or arrived (maybe empty). */
export type LoadedDraft = { status: 'loading' } | { status: 'loaded'; draft: unknown };

/**
 * Form state that survives the popup closing. The form shows at once with its
 * initial state (a slow or hung `loadDraft` must not block a decision); the saved
 * draft replaces it when it arrives, unless the human already started typing.
 * Every change is handed to `save`, wrapped with its kind.
 */
export function useFormDraft<F>(options: {
  kind: RequestKind;
  initial: () => F;
  restore: (draft: unknown) => F;
  loaded: LoadedDraft;
  save: (draft: unknown) => void;
}): [F, (next: F) => void] {
  const { kind, initial, restore, loaded, save } = options;
  const [form, setForm] = useState(initial);
  const touched = useRef(false);
  const restoreRef = useRef(restore);
  restoreRef.current = restore;

  useEffect(() => {
    if (loaded.status !== 'loaded' || touched.current || loaded.draft === undefined || loaded.draft === null) return;
    setForm(restoreRef.current(loaded.draft));
  }, [loaded]);

  const update = (next: F) => {
    touched.current = true;
    setForm(next);
    save(toStoredDraft(kind, next));
  };
  return [form, update];
}
