/** Deepest nesting of objects/arrays accepted anywhere in a payload. */
export const MAX_JSON_DEPTH = 32;

/**
 * Whether `value` nests objects or arrays deeper than `max` levels. Walks with an
 * explicit stack, so hostile input (thousands of levels in a few KB) cannot overflow
 * the call stack here, and is refused before anything recursive (JSON.stringify,
 * SQLite's JSON functions) sees it.
 */
export function nestedDeeperThan(value: unknown, max = MAX_JSON_DEPTH): boolean {
  const stack: { node: unknown; depth: number }[] = [{ node: value, depth: 1 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(node)) stack.push({ node: child, depth: depth + 1 });
  }
  return false;
}
