import { clippedArgs } from './shown-input.js';

/**
 * The tool input to run after the person edited the arguments they were shown.
 *
 * The person sees the input with long strings cut (`clippedArgs`, so the request
 * fits the hub's size limit), and the approval view sends back the whole edited
 * object. Merged as-is, a small edit elsewhere would run a `Write` with the cut
 * content. So every value the person left as shown keeps the original, uncut; a
 * value they changed is used as they wrote it, unless what they changed was cut
 * for display: then nobody saw what they would replace, and the edit cannot be
 * applied (`{ ok: false, path }`; the hook then asks in Claude Code instead).
 */
export function applyEditedInput(
  original: Record<string, unknown>,
  edited: Record<string, unknown>,
): { ok: true; input: Record<string, unknown> } | { ok: false; path: string } {
  try {
    const input = { ...original, ...(restore(edited, clippedArgs(original), original, 'tool_input') as Record<string, unknown>) };
    return { ok: true, input };
  } catch (error) {
    if (error instanceof CutValueEdited) return { ok: false, path: error.path };
    throw error;
  }
}

class CutValueEdited extends Error {
  constructor(readonly path: string) {
    super(`${path} was cut for display and then edited`);
  }
}

function restore(edited: unknown, shown: unknown, original: unknown, path: string): unknown {
  if (sameJson(edited, shown)) return original;
  if (isRecord(edited) && isRecord(shown) && isRecord(original)) {
    return Object.fromEntries(Object.entries(edited).map(([key, value]) => [key, restore(value, shown[key], original[key], `${path}.${key}`)]));
  }
  if (Array.isArray(edited) && Array.isArray(shown) && Array.isArray(original) && edited.length === shown.length) {
    return edited.map((value, i) => restore(value, shown[i], original[i], `${path}[${i}]`));
  }
  // A changed value: fine unless part of what it replaces was never shown.
  if (!sameJson(shown, original)) throw new CutValueEdited(path);
  return edited;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Equal as JSON values (key order aside). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => sameJson(v, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && sameJson(a[k], b[k]));
  }
  return false;
}
