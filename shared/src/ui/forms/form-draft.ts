import type { RequestKind } from '../../protocol/index.js';

/**
 * Half-filled forms are saved through the host (`saveDraft`) so a popup that closes
 * mid-sentence loses nothing. What comes back from storage is untrusted and may be
 * from an older version, so it is read field by field, never cast.
 */

/** The shape written with `saveDraft`: tagged, so a draft of one kind never fills another's form. */
export interface StoredDraft<F> {
  v: 1;
  kind: RequestKind;
  form: F;
}

/** Wraps a form's state for `saveDraft`. */
export function toStoredDraft<F>(kind: RequestKind, form: F): StoredDraft<F> {
  return { v: 1, kind, form };
}

/** The saved form of `kind` as a plain record, or `undefined` if `draft` is not one. */
export function storedForm(kind: RequestKind, draft: unknown): Record<string, unknown> | undefined {
  if (!isRecord(draft) || draft.v !== 1 || draft.kind !== kind || !isRecord(draft.form)) return undefined;
  return draft.form;
}

/** A plain object (not null, not an array): what a stored form must be. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` if it is a string, else `fallback`. */
export function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}
