/**
 * Characters a person cannot see but a program reads: bidi controls that reorder
 * what is shown (`invoice\u202Efdp.exe` renders as "invoiceexe.pdf"), zero-width
 * characters, tag characters and runs of variation selectors that smuggle text
 * past a reader, control characters. The approver UI shows each as a visible
 * marker (`⟨U+202E⟩`); the request rules compare ids and labels with them removed.
 *
 * The set: Unicode format characters (Cf), controls (Cc) other than tab, line feed
 * and carriage return, every Default_Ignorable_Code_Point (variation selectors,
 * Hangul fillers, tag characters…), and the line/paragraph separators. A few uses
 * that real text needs are left alone, judged by their neighbours: a zero-width
 * joiner inside an emoji sequence (👩‍💻), one emoji variation selector after an
 * emoji (❤️), one ideographic variation selector after a CJK ideograph, and
 * ZWNJ/ZWJ between letters of the scripts whose spelling uses them (Persian
 * "می‌خواهم", Hindi, …). Tag characters are always shown, flag sequences included:
 * they are the classic way to hide instructions in text.
 */

const HIDDEN = /[\p{Cf}\p{Cc}\p{Default_Ignorable_Code_Point}\u2028\u2029]/u;
const HIDDEN_GLOBAL = /[\p{Cf}\p{Cc}\p{Default_Ignorable_Code_Point}\u2028\u2029]/gu;
const PICTOGRAPH = /\p{Extended_Pictographic}/u;
const EMOJI = /\p{Emoji}/u;
const EMOJI_MODIFIER = /\p{Emoji_Modifier}/u;
const IDEOGRAPH = /\p{Ideographic}/u;
/** Scripts whose orthography uses ZWNJ/ZWJ between letters. */
const JOINING_SCRIPT_LETTER =
  /[\p{scx=Arabic}\p{scx=Syriac}\p{scx=Nko}\p{scx=Devanagari}\p{scx=Bengali}\p{scx=Gurmukhi}\p{scx=Gujarati}\p{scx=Oriya}\p{scx=Tamil}\p{scx=Telugu}\p{scx=Kannada}\p{scx=Malayalam}\p{scx=Sinhala}\p{scx=Mongolian}]/u;
const LETTER_OR_MARK = /[\p{L}\p{M}]/u;

const ZWNJ = 0x200c;
const ZWJ = 0x200d;
const isEmojiVariation = (cp: number) => cp === 0xfe0e || cp === 0xfe0f;
const isIdeographicVariation = (cp: number) => cp >= 0xe0100 && cp <= 0xe01ef;
const isVariationSelector = (cp: number) => (cp >= 0xfe00 && cp <= 0xfe0f) || isIdeographicVariation(cp);

/** Whether one character (a code point) is in the hidden set, before context is considered. */
export function isHiddenCharacter(char: string): boolean {
  return char !== '\t' && char !== '\n' && char !== '\r' && HIDDEN.test(char);
}

/** `⟨U+202E⟩`: how the approver UI shows a hidden character. */
export function hiddenCharacterMarker(codePoint: number): string {
  return `⟨U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}⟩`;
}

/** A piece of text as {@link splitHiddenCharacters} cuts it: shown text, or one hidden character. */
export type TextPiece = string | { hidden: number };

/**
 * Cuts `text` into runs of ordinary text and the hidden characters between them
 * (each `{ hidden: codePoint }`), so a view can render every hidden one as a marker.
 * Text without any comes back as `[text]` (or `[]` when empty).
 */
export function splitHiddenCharacters(text: string): TextPiece[] {
  HIDDEN_GLOBAL.lastIndex = 0;
  if (!HIDDEN_GLOBAL.test(text)) return text === '' ? [] : [text];
  const chars = Array.from(text);
  const pieces: TextPiece[] = [];
  let run = '';
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i]!;
    if (isHiddenCharacter(char) && !neededHere(chars, i)) {
      if (run !== '') pieces.push(run);
      run = '';
      pieces.push({ hidden: char.codePointAt(0)! });
    } else run += char;
  }
  if (run !== '') pieces.push(run);
  return pieces;
}

/** Whether `text` holds a hidden character that the UI would show as a marker. */
export function hasHiddenCharacters(text: string): boolean {
  HIDDEN_GLOBAL.lastIndex = 0;
  if (!HIDDEN_GLOBAL.test(text)) return false;
  return splitHiddenCharacters(text).some((piece) => typeof piece !== 'string');
}

/** `text` with every hidden character written as its marker: for places that take only a string (`<option>`, `title`). */
export function markHiddenCharacters(text: string): string {
  return splitHiddenCharacters(text)
    .map((piece) => (typeof piece === 'string' ? piece : hiddenCharacterMarker(piece.hidden)))
    .join('');
}

/**
 * `text` as a person reads it, for telling two ids or labels apart: compatibility
 * forms folded (NFKC: `ｆｕｌｌ` = `full`), hidden characters removed, case and runs
 * of white space ignored.
 */
export function asReadByPerson(text: string): string {
  return text.normalize('NFKC').replace(HIDDEN_GLOBAL, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** The emoji, CJK and joining-script uses described in the module comment. */
function neededHere(chars: readonly string[], i: number): boolean {
  const cp = chars[i]!.codePointAt(0)!;
  const before = chars[i - 1];
  const after = chars[i + 1];
  const beforeCp = before?.codePointAt(0);
  if (isEmojiVariation(cp)) {
    return before !== undefined && !isVariationSelector(beforeCp!) && EMOJI.test(before) && !(after !== undefined && isVariationSelector(after.codePointAt(0)!));
  }
  if (isIdeographicVariation(cp)) {
    return before !== undefined && IDEOGRAPH.test(before) && !(after !== undefined && isVariationSelector(after.codePointAt(0)!));
  }
  if (cp === ZWJ && after !== undefined && PICTOGRAPH.test(after)) {
    // Look back past one emoji variation selector and one skin-tone modifier (🏳️‍🌈, 🧑🏽‍💻).
    let k = i - 1;
    if (k >= 0 && isEmojiVariation(chars[k]!.codePointAt(0)!)) k--;
    if (k >= 0 && EMOJI_MODIFIER.test(chars[k]!)) k--;
    if (k >= 0 && PICTOGRAPH.test(chars[k]!)) return true;
  }
  if (cp === ZWNJ || cp === ZWJ) {
    return (
      before !== undefined &&
      after !== undefined &&
      LETTER_OR_MARK.test(before) &&
      LETTER_OR_MARK.test(after) &&
      JOINING_SCRIPT_LETTER.test(before) &&
      JOINING_SCRIPT_LETTER.test(after)
    );
  }
  return false;
}
