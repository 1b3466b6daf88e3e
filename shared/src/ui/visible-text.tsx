import type { ComponentChildren } from 'preact';
import { hasHiddenCharacters, hiddenCharacterMarker, splitHiddenCharacters } from '../protocol/hidden-characters.js';
import type { SignoffRequest } from '../protocol/index.js';

/**
 * The one way agent text reaches the screen: every hidden or direction-changing
 * character (see `protocol/hidden-characters.ts`) becomes a visible marker, so
 * `invoice\u202Efdp.exe` reads `invoice⟨U+202E⟩fdp.exe` and not "invoiceexe.pdf".
 * The control itself never reaches the DOM, so it cannot reorder anything around it.
 * Text without such characters comes back unchanged (the same string), so ordinary
 * requests render exactly as before. Every view uses this; places that take only a
 * string (`<option>`, attributes) use {@link markHiddenCharacters}.
 */
export function visibleText(text: string): ComponentChildren {
  const pieces = splitHiddenCharacters(text);
  if (pieces.length <= 1 && typeof pieces[0] !== 'object') return text;
  return pieces.map((piece, i) => (typeof piece === 'string' ? piece : <HiddenMark key={i} codePoint={piece.hidden} />));
}

export { markHiddenCharacters } from '../protocol/hidden-characters.js';

/** Names for the characters people meet in attacks; others are described by their class. */
const NAMES: Record<number, string> = {
  0x00ad: 'soft hyphen',
  0x061c: 'Arabic letter mark',
  0x200b: 'zero-width space',
  0x200c: 'zero-width non-joiner',
  0x200d: 'zero-width joiner',
  0x200e: 'left-to-right mark',
  0x200f: 'right-to-left mark',
  0x202a: 'left-to-right embedding',
  0x202b: 'right-to-left embedding',
  0x202c: 'pop directional formatting',
  0x202d: 'left-to-right override',
  0x202e: 'right-to-left override',
  0x2060: 'word joiner',
  0x2066: 'left-to-right isolate',
  0x2067: 'right-to-left isolate',
  0x2068: 'first strong isolate',
  0x2069: 'pop directional isolate',
  0xfeff: 'zero-width no-break space (BOM)',
};

/** What a hidden character is, for the marker's tooltip. */
export function describeHiddenCharacter(codePoint: number): string {
  const name = NAMES[codePoint];
  if (name) return name;
  if (codePoint >= 0xe0000 && codePoint <= 0xe007f) return 'tag character (can hide text)';
  if ((codePoint >= 0xfe00 && codePoint <= 0xfe0f) || (codePoint >= 0xe0100 && codePoint <= 0xe01ef)) return 'variation selector (can hide text)';
  if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint <= 0x9f)) return 'control character';
  return 'invisible formatting character';
}

function HiddenMark({ codePoint }: { codePoint: number }) {
  return (
    <span class="so-hidden-char" title={`Hidden character: ${describeHiddenCharacter(codePoint)}`}>
      {hiddenCharacterMarker(codePoint)}
    </span>
  );
}

/** What the warning on a request says. */
export const HIDDEN_CHARACTERS_WARNING = 'This request contains hidden or direction-changing characters';

const HUB_FIELDS: ReadonlySet<string> = new Set(['id', 'status', 'decision']);

/**
 * Whether any text the agent sent with `request` — every string and every key, at
 * any depth (title, body, agent and run ids, context, arguments, options, labels,
 * alternatives, drafts…) — holds a character {@link visibleText} would mark.
 * The hub's own fields and the decision are not the agent's words and are skipped.
 */
export function requestHasHiddenCharacters(request: SignoffRequest): boolean {
  const stack: unknown[] = Object.entries(request)
    .filter(([key]) => !HUB_FIELDS.has(key))
    .map(([, value]) => value);
  let steps = 0;
  while (stack.length > 0) {
    // A stored request is bounded by the hub's payload limit; the cap only guards
    // against a host handing in something odd (a cyclic object).
    if (++steps > 1_000_000) return false;
    const value = stack.pop();
    if (typeof value === 'string') {
      if (hasHiddenCharacters(value)) return true;
    } else if (Array.isArray(value)) {
      for (const item of value) stack.push(item);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (hasHiddenCharacters(key)) return true;
        stack.push(child);
      }
    }
  }
  return false;
}
