import { describe, expect, it } from 'vitest';
import { asReadByPerson, hasHiddenCharacters, hiddenCharacterMarker, markHiddenCharacters, splitHiddenCharacters } from './hidden-characters.js';

describe('hidden characters', () => {
  it('marks a right-to-left override where it sits', () => {
    expect(markHiddenCharacters('invoice\u202Efdp.exe')).toBe('invoice⟨U+202E⟩fdp.exe');
    expect(splitHiddenCharacters('invoice\u202Efdp.exe')).toEqual(['invoice', { hidden: 0x202e }, 'fdp.exe']);
  });

  it.each([
    ['bidi embeddings, overrides and isolates', '\u202A\u202B\u202C\u202D\u2066\u2067\u2068\u2069'],
    ['zero-width and direction marks', '\u200B\u200C\u200D\u200E\u200F'],
    ['word joiner and invisible operators', '\u2060\u2061\u2062\u2063\u2064'],
    ['BOM, Arabic letter mark, soft hyphen', '\uFEFF\u061C\u00AD'],
    ['tag characters (ASCII smuggling)', '\u{E0001}\u{E0041}\u{E007F}'],
    ['controls other than tab and newlines', '\u0000\u0007\u001B\u007F\u0085'],
    ['line and paragraph separators', '\u2028\u2029'],
    ['Hangul fillers', '\u3164\uFFA0'],
  ])('marks %s', (_name, chars) => {
    const pieces = splitHiddenCharacters(`a${chars}b`);
    expect(pieces.filter((p) => typeof p !== 'string')).toHaveLength(Array.from(chars).length);
    expect(hasHiddenCharacters(`a${chars}b`)).toBe(true);
  });

  it('marks variation selectors used to smuggle bytes, and a selector after a plain letter', () => {
    expect(markHiddenCharacters('hi\uFE0F')).toBe('hi⟨U+FE0F⟩');
    expect(markHiddenCharacters('x\u{E0100}\u{E0101}')).toBe('x⟨U+E0100⟩⟨U+E0101⟩');
    expect(markHiddenCharacters('😀\uFE0F\uFE0F')).toBe('😀⟨U+FE0F⟩⟨U+FE0F⟩');
  });

  it('leaves tab, newlines and ordinary text alone', () => {
    expect(splitHiddenCharacters('a\tb\nc\r\nd é 中文 עברית')).toEqual(['a\tb\nc\r\nd é 中文 עברית']);
    expect(splitHiddenCharacters('')).toEqual([]);
    expect(hasHiddenCharacters('plain')).toBe(false);
  });

  it('leaves emoji sequences, CJK variants and Persian/Indic joiners alone', () => {
    for (const text of ['❤️', '👩‍💻', '🏳️‍🌈', '🧑🏽‍💻', '#️⃣', '葛\u{E0100}', 'می\u200Cخواهم', 'क्\u200Dष']) {
      expect(hasHiddenCharacters(text), JSON.stringify(text)).toBe(false);
    }
    expect(markHiddenCharacters('pay\u200Cpal')).toBe('pay⟨U+200C⟩pal');
    expect(markHiddenCharacters('a\u200D😀')).toBe('a⟨U+200D⟩😀');
  });

  it('writes markers with at least four hex digits', () => {
    expect(hiddenCharacterMarker(0xad)).toBe('⟨U+00AD⟩');
    expect(hiddenCharacterMarker(0xe0041)).toBe('⟨U+E0041⟩');
  });

  it('reads text as a person does for comparisons', () => {
    expect(asReadByPerson('  Archive\u200B  Them ')).toBe('archive them');
    expect(asReadByPerson('ＡＲＣＨＩＶＥ')).toBe('archive');
    expect(asReadByPerson('a\u202Eb')).toBe('ab');
  });
});
