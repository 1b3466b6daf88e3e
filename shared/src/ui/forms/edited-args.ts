import { hasHiddenCharacters, markHiddenCharacters, splitHiddenCharacters } from '../../protocol/hidden-characters.js';

/**
 * The person's edit of an approval's action arguments, checked against what the
 * agent sent. The edit is JSON text; it may change values but not the shape the
 * agent's tool expects:
 *
 * - it must parse, and be an object like the original;
 * - an object keeps exactly its keys: none added (a typo would be a new key the
 *   tool ignores), none removed;
 * - every value keeps its JSON type (string, number, true/false, array, object,
 *   null): `"limit": "10"` where the agent sent `10` is refused;
 * - where the agent sent `null`, any value may go (null says nothing about a type);
 * - an array may grow or shrink; each item is checked against the original item
 *   at the same place, an added one against the original's first item, and an
 *   array the agent sent empty takes any items.
 *
 * The walk only goes as deep as the original (bounded by the request schema's
 * depth limit), and is linear in the size of the text, so a 256 KiB argument
 * object is checked on every keystroke without stalling the popup.
 */

/** One changed value: `before` absent for an added array item, `after` absent for a removed one. */
export interface ArgChange {
  /** Where, as `editedArgs.limit` or `editedArgs.to[2]`. */
  path: string;
  before?: unknown;
  after?: unknown;
}

/** What checking the edit text gives: the arguments to send and what changed, or what is wrong. */
export type ArgsCheck =
  | { ok: true; value: Record<string, unknown>; changes: ArgChange[]; changeCount: number }
  | { ok: false; problems: string[] };

/** The root of every path in a message: the response field the arguments go in. */
export const EDITED_ARGS_PATH = 'editedArgs';
/** At most this many problems are reported: the first few are enough to fix. */
export const MAX_PROBLEMS = 10;
/** At most this many changes are kept for showing; {@link ArgsCheck} `changeCount` has them all. */
export const MAX_CHANGES = 50;

type JsonType = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object';

const TYPE_NAMES: Record<JsonType, string> = {
  null: 'null',
  boolean: 'true or false',
  number: 'a number',
  string: 'a string',
  array: 'an array',
  object: 'an object',
};

function jsonType(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const type = typeof value;
  return type === 'boolean' || type === 'number' || type === 'string' ? type : 'object';
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `path.key`, or `path["odd key"]` with any hidden character shown as its marker. */
function keyPath(path: string, key: string): string {
  return IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${markHiddenCharacters(JSON.stringify(key))}]`;
}

/**
 * The original arguments as the text the editor starts with: indented JSON, and a
 * hidden or direction-changing character written as its `\uXXXX` escape, because a
 * text box cannot show markers and the escape parses back to the same value.
 */
export function argsToText(args: Record<string, unknown>): string {
  const text = JSON.stringify(args, null, 2);
  if (!hasHiddenCharacters(text)) return text;
  return splitHiddenCharacters(text)
    .map((piece) => (typeof piece === 'string' ? piece : escapeCodePoint(piece.hidden)))
    .join('');
}

/** `\u202E`; a code point above U+FFFF as its two UTF-16 escapes, as JSON writes them. */
function escapeCodePoint(codePoint: number): string {
  const char = String.fromCodePoint(codePoint);
  let escaped = '';
  for (let i = 0; i < char.length; i++) escaped += `\\u${char.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0')}`;
  return escaped;
}

/** Checks the edit `text` against the agent's `original` arguments (rules in the module comment). */
export function checkEditedArgs(original: Record<string, unknown>, text: string): ArgsCheck {
  let edited: unknown;
  try {
    edited = JSON.parse(text);
  } catch (error) {
    // The engine's message may quote the text; a hidden character in it shows as its marker.
    return { ok: false, problems: [markHiddenCharacters(`Not valid JSON: ${error instanceof Error ? error.message : String(error)}`)] };
  }
  if (jsonType(edited) !== 'object') {
    return { ok: false, problems: [`${EDITED_ARGS_PATH}: expected an object, not ${TYPE_NAMES[jsonType(edited)]}`] };
  }
  const walk = new ShapeWalk();
  walk.compare(original, edited, EDITED_ARGS_PATH);
  if (walk.problems.length > 0) return { ok: false, problems: walk.problems };
  return { ok: true, value: edited as Record<string, unknown>, changes: walk.changes, changeCount: walk.changeCount };
}

class ShapeWalk {
  readonly problems: string[] = [];
  readonly changes: ArgChange[] = [];
  changeCount = 0;

  private get full(): boolean {
    return this.problems.length >= MAX_PROBLEMS;
  }

  private problem(message: string): void {
    if (!this.full) this.problems.push(message);
  }

  private change(change: ArgChange): void {
    this.changeCount++;
    if (this.changes.length < MAX_CHANGES) this.changes.push(change);
  }

  /** Compares one value with the original's at `path`; `record` says whether changes count (not for a shape template). */
  compare(original: unknown, edited: unknown, path: string, record = true): void {
    if (this.full) return;
    const want = jsonType(original);
    const got = jsonType(edited);
    if (got === 'number' && !Number.isFinite(edited)) {
      // JSON.parse reads 1e999 as Infinity, which would travel as null.
      this.problem(`${path}: the number is too large`);
      return;
    }
    if (want === 'null') {
      if (record && got !== 'null') this.change({ path, before: null, after: edited });
      return;
    }
    if (want !== got) {
      this.problem(`${path}: expected ${TYPE_NAMES[want]}, not ${TYPE_NAMES[got]}`);
      return;
    }
    if (want === 'object') this.compareObjects(original as Record<string, unknown>, edited as Record<string, unknown>, path, record);
    else if (want === 'array') this.compareArrays(original as unknown[], edited as unknown[], path, record);
    else if (record && original !== edited) this.change({ path, before: original, after: edited });
  }

  private compareObjects(original: Record<string, unknown>, edited: Record<string, unknown>, path: string, record: boolean): void {
    for (const key of Object.keys(original)) {
      if (!Object.hasOwn(edited, key)) this.problem(`${keyPath(path, key)}: missing; keys may not be removed`);
      else this.compare(original[key], edited[key], keyPath(path, key), record);
      if (this.full) return;
    }
    for (const key of Object.keys(edited)) {
      if (!Object.hasOwn(original, key)) this.problem(`${keyPath(path, key)}: not in the agent's arguments; keys may not be added or renamed`);
      if (this.full) return;
    }
  }

  private compareArrays(original: unknown[], edited: unknown[], path: string, record: boolean): void {
    for (let i = 0; i < edited.length && !this.full; i++) {
      const itemPath = `${path}[${i}]`;
      if (i < original.length) {
        this.compare(original[i], edited[i], itemPath, record);
      } else {
        // An added item: its shape is checked against the first, and it counts as one change.
        if (original.length > 0) this.compare(original[0], edited[i], itemPath, false);
        if (record) this.change({ path: itemPath, after: edited[i] });
      }
    }
    if (record) for (let i = edited.length; i < original.length; i++) this.change({ path: `${path}[${i}]`, before: original[i] });
  }
}

/** A value of a change as one short line of JSON, clipped at `max` characters. */
export function changeValueText(value: unknown, max = 120): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}
