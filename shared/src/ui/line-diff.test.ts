import { describe, expect, it } from 'vitest';
import { diffLines, diffStats, foldUnchanged, splitLines, type DiffLine } from './line-diff.js';

/** A diff as `+x`, `-x`, ` x` lines: easy to read in a failing test. */
const show = (diff: readonly DiffLine[]) => diff.map((l) => (l.type === 'added' ? '+' : l.type === 'removed' ? '-' : ' ') + l.text);

describe('splitLines', () => {
  it('treats CRLF as LF and an empty text as no lines', () => {
    expect(splitLines('a\r\nb\nc')).toEqual(['a', 'b', 'c']);
    expect(splitLines('')).toEqual([]);
    expect(splitLines('a\n')).toEqual(['a', '']);
  });
});

describe('diffLines', () => {
  it('finds nothing between equal texts', () => {
    expect(show(diffLines('a\nb', 'a\nb'))).toEqual([' a', ' b']);
  });

  it('shows a changed line as a removal then an addition', () => {
    expect(show(diffLines('a\nb\nc', 'a\nB\nc'))).toEqual([' a', '-b', '+B', ' c']);
  });

  it('keeps the longest common subsequence in the middle', () => {
    // head and tail differ, so the LCS table does the work: a c e survive.
    expect(show(diffLines('x\na\nb\nc\nd\ne\ny', 'X\na\nc\ne\nf\nY'))).toEqual(['-x', '+X', ' a', '-b', ' c', '-d', ' e', '-y', '+f', '+Y']);
  });

  it('handles insertions and deletions at either end', () => {
    expect(show(diffLines('b\nc', 'a\nb\nc\nd'))).toEqual(['+a', ' b', ' c', '+d']);
    expect(show(diffLines('a\nb\nc', 'b'))).toEqual(['-a', ' b', '-c']);
    expect(show(diffLines('', 'new'))).toEqual(['+new']);
    expect(show(diffLines('old', ''))).toEqual(['-old']);
  });

  it('numbers lines on both sides', () => {
    expect(diffLines('a\nb\nc', 'a\nx\nb\nc')).toEqual([
      { type: 'same', text: 'a', oldLine: 1, newLine: 1 },
      { type: 'added', text: 'x', newLine: 2 },
      { type: 'same', text: 'b', oldLine: 2, newLine: 3 },
      { type: 'same', text: 'c', oldLine: 3, newLine: 4 },
    ]);
  });

  it('falls back to replace-all beyond the table budget, still correct', () => {
    // No line is unique to anchor on, so the middle is replaced wholesale.
    expect(show(diffLines('a\n1\n2\n1\nz', 'a\n2\n1\n2\nz', 4))).toEqual([' a', '-1', '-2', '-1', '+2', '+1', '+2', ' z']);
  });

  // A quadratic table would need 9 million cells here; Myers's cost follows the two edits.
  it('diffs a long draft with a scattered edit exactly', () => {
    const before = Array.from({ length: 3000 }, (_, i) => `line ${i}`);
    const after = [...before];
    after[10] = 'changed 10';
    after[2900] = 'changed 2900';
    const diff = diffLines(before.join('\n'), after.join('\n'));
    expect(diffStats(diff)).toEqual({ added: 2, removed: 2 });
  });
});

describe('foldUnchanged', () => {
  it('keeps context around changes and folds the rest', () => {
    const before = Array.from({ length: 20 }, (_, i) => `l${i}`).join('\n');
    const after = before.replace('l10', 'L10');
    const folded = foldUnchanged(diffLines(before, after), 2);
    expect(folded.map((l) => (l.type === 'skip' ? `…${l.count}` : l.text))).toEqual(['…8', 'l8', 'l9', 'l10', 'L10', 'l11', 'l12', '…7']);
  });

  it('does not fold a short run between changes', () => {
    const folded = foldUnchanged(diffLines('a\nb\nc\nd\ne', 'A\nb\nc\nd\nE'), 1);
    expect(folded.some((l) => l.type === 'skip')).toBe(false);
  });
});

describe('diffLines on long drafts', () => {
  it('stays exact on a budget just big enough for the edits', () => {
    // 10 changed lines × 4 edits = 40 cells: the smallest budget that still finds the minimal diff.
    const before = 'a\nb\nc\nd\ne\nf\ng';
    const after = 'a\nB\nc\nd\ne\nF\ng';
    expect(show(diffLines(before, after, 40))).toEqual([' a', '-b', '+B', ' c', ' d', ' e', '-f', '+F', ' g']);
  });

  it('keeps repeated lines in order on a tight budget', () => {
    const before = 'x\n}\n}\ny\n}\nz';
    const after = 'X\n}\n}\ny\n}\nZ';
    // 12 changed lines × 4 edits.
    const diff = diffLines(before, after, 48);
    expect(diff.filter((l) => l.type === 'same').map((l) => l.text)).toContain('y');
    // Applying the diff gives back the new text.
    expect(diff.filter((l) => l.type !== 'removed').map((l) => l.text).join('\n')).toBe(after);
    expect(diff.filter((l) => l.type !== 'added').map((l) => l.text).join('\n')).toBe(before);
  });

  it('replaces a pasted-over long draft wholesale, with every line accounted for', () => {
    const before = Array.from({ length: 20_000 }, (_, i) => `old ${i}`).join('\n');
    const after = Array.from({ length: 20_000 }, (_, i) => `new ${i % 7}`).join('\n');
    const diff = diffLines(before, after);
    expect(diffStats(diff)).toEqual({ added: 20_000, removed: 20_000 });
    expect(diff.filter((l) => l.type !== 'removed').map((l) => l.text).join('\n')).toBe(after);
  });

  it('gives up at a budget one cell short of the edits', () => {
    expect(show(diffLines('a\nb\nc\nd\ne\nf\ng', 'a\nB\nc\nd\ne\nF\ng', 39))).toEqual([' a', '-b', '-c', '-d', '-e', '-f', '+B', '+c', '+d', '+e', '+F', ' g']);
  });
});
