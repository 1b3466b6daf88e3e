/**
 * Agent-supplied JSON (action arguments, context values, tool args) shown as
 * indented text: read as data, never as markup.
 */
export function prettyJson(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}
