/**
 * How much of a tool input the person is shown: long strings are cut so a request
 * stays within the hub's size limit. `edited-input.ts` relies on the same cut to
 * tell which values the person saw whole.
 */

/** Longest stretch of one string shown in the body or kept in the action's arguments. */
export const MAX_SHOWN_CHARS = 20_000;

/** Cuts `text` to `max` characters, saying how much was left out. */
export function clip(text: string, max = MAX_SHOWN_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/** The tool input with every long string clipped, so the request stays within the hub's size limit. */
export function clippedArgs(value: unknown): unknown {
  if (typeof value === 'string') return clip(value);
  if (Array.isArray(value)) return value.map(clippedArgs);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clippedArgs(v)]));
  return value;
}
