import { MAX_JSON_DEPTH } from './json-depth.js';

/**
 * Keys refused anywhere in the JSON a request or an answer carries (context,
 * action and tool arguments, edited arguments, form values, a tool's result, a
 * JSON draft).
 *
 * Why refuse rather than keep: zod builds records into fresh `{}` objects and skips
 * `__proto__` on purpose (assigning it would replace the prototype), so such a key
 * vanished between what the agent sent and what the person saw — while the agent,
 * or Claude Code running the tool, still acted on the original. Keeping it would
 * mean null-prototype objects through zod, SQLite, Socket.IO, IndexedDB and every
 * consumer's spreads and merges; one `Object.assign` or deep merge anywhere
 * downstream and the key silently turns into a prototype change again. A request
 * carrying one is far more likely an attack than data, so the hub refuses it with
 * the path named and the agent can rename the key. `constructor` and `prototype`
 * are refused with it: together they are the other classic pollution route
 * (`{"constructor":{"prototype":…}}`) through code that merges agent data.
 */
export const RESERVED_JSON_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** The refusal's message, after the path (`context.__proto__: keys named …`). */
export const RESERVED_JSON_KEY_MESSAGE = 'keys named __proto__, constructor or prototype are not allowed';

interface Walk {
  value: unknown;
  parent: Walk | null;
  key: string | number | null;
  depth: number;
}

/**
 * The path to the first reserved key in `value` (document order), e.g.
 * `['args', 'list', 0, '__proto__']`, or `null` when there is none. Iterative with
 * parent links, so hostile depth costs neither stack nor quadratic path copies;
 * by default stops below {@link MAX_JSON_DEPTH} + 1 levels (deeper input is refused by
 * the depth rule anyway, and a cyclic object from a careless SDK caller cannot loop);
 * freshly parsed JSON text, which has no cycles, may be walked to any depth.
 */
export function reservedKeyPath(value: unknown, maxDepth = MAX_JSON_DEPTH + 1): (string | number)[] | null {
  const stack: Walk[] = [{ value, parent: null, key: null, depth: 1 }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const current = node.value;
    if (current === null || typeof current !== 'object' || node.depth > maxDepth) continue;
    if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push({ value: current[i], parent: node, key: i, depth: node.depth + 1 });
      continue;
    }
    const keys = Object.keys(current);
    const reserved = keys.find((key) => RESERVED_JSON_KEYS.has(key));
    if (reserved !== undefined) return pathTo({ value: undefined, parent: node, key: reserved, depth: node.depth + 1 });
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!;
      stack.push({ value: (current as Record<string, unknown>)[key], parent: node, key, depth: node.depth + 1 });
    }
  }
  return null;
}

function pathTo(node: Walk): (string | number)[] {
  const path: (string | number)[] = [];
  for (let at: Walk | null = node; at && at.key !== null; at = at.parent) path.push(at.key);
  return path.reverse();
}

/**
 * Names a form field may not have: every member of `Object.prototype`, and
 * `prototype`. A field's name becomes a key of the answer's `values`, and code that
 * reads `values[name]` on a plain object finds `values.constructor` (a function)
 * even when the person left the field empty. A fixed list, not read from the
 * running engine, so the hub and every UI judge alike.
 */
export const OBJECT_INTERNAL_NAMES: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'toLocaleString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
]);

/** `record[key]` only when `record` is an object that owns `key`: no name reaches the prototype. */
export function ownValue(record: unknown, key: string): unknown {
  return record !== null && typeof record === 'object' && Object.hasOwn(record, key) ? (record as Record<string, unknown>)[key] : undefined;
}
