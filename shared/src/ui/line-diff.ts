import { diffArrays } from 'diff';

/**
 * A line diff between the agent's draft and the human's edit, so the reviewer sees
 * exactly what they changed before saving. Myers's algorithm (the `diff` package)
 * over the lines left after trimming the common head and tail: an edit usually
 * touches a few lines in the middle, and Myers's cost grows with the size of the
 * edit, not with the product of the two lengths.
 */

/** One line of a diff. Line numbers are 1-based; `oldLine` for kept/removed, `newLine` for kept/added. */
export type DiffLine =
  | { type: 'same'; text: string; oldLine: number; newLine: number }
  | { type: 'removed'; text: string; oldLine: number }
  | { type: 'added'; text: string; newLine: number };

/**
 * Work budget of one diff: cells of the edit graph Myers's algorithm may visit,
 * (changed old lines + changed new lines) × edit distance. Beyond it the changed
 * middle is shown as "all old lines removed, all new ones added", so a keystroke
 * stays cheap even when someone pastes over a 5,000-line draft.
 * @default 4_000_000
 */
export const MAX_DIFF_CELLS = 4_000_000;

/** Splits text into lines, treating `\r\n` as `\n`. An empty text has no lines. */
export function splitLines(text: string): string[] {
  return text === '' ? [] : text.split(/\r?\n/);
}

/** The line diff turning `before` into `after`; removals come before additions within a change. */
export function diffLines(before: string, after: string, maxCells = MAX_DIFF_CELLS): DiffLine[] {
  const a = splitLines(before);
  const b = splitLines(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;

  const out: DiffLine[] = [];
  for (let k = 0; k < head; k++) out.push({ type: 'same', text: a[k]!, oldLine: k + 1, newLine: k + 1 });
  const oldMiddle = a.slice(head, a.length - tail);
  const newMiddle = b.slice(head, b.length - tail);
  const changed = oldMiddle.length + newMiddle.length;
  const changes = changed === 0 ? [] : diffArrays(oldMiddle, newMiddle, { maxEditLength: Math.floor(maxCells / changed) });
  let oldLine = head + 1;
  let newLine = head + 1;
  if (changes === undefined) {
    // Over budget: the whole middle replaced, still a correct diff.
    for (const text of oldMiddle) out.push({ type: 'removed', text, oldLine: oldLine++ });
    for (const text of newMiddle) out.push({ type: 'added', text, newLine: newLine++ });
  } else {
    for (const change of changes) {
      for (const text of change.value) {
        if (change.removed) out.push({ type: 'removed', text, oldLine: oldLine++ });
        else if (change.added) out.push({ type: 'added', text, newLine: newLine++ });
        else out.push({ type: 'same', text, oldLine: oldLine++, newLine: newLine++ });
      }
    }
  }
  for (let k = tail; k > 0; k--) out.push({ type: 'same', text: a[a.length - k]!, oldLine: a.length - k + 1, newLine: b.length - k + 1 });
  return out;
}

/** How many lines a diff adds and removes, for a one-line summary ("+3 −1"). */
export function diffStats(diff: readonly DiffLine[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const line of diff) {
    if (line.type === 'added') added++;
    else if (line.type === 'removed') removed++;
  }
  return { added, removed };
}

/** A diff for display: long unchanged stretches fold into one `skip` entry. */
export type DiffHunkLine = DiffLine | { type: 'skip'; count: number };

/**
 * Folds runs of unchanged lines longer than `2 × context + 1` into a `skip` entry,
 * keeping `context` lines next to each change, so a one-word edit in a long draft
 * shows as a few lines, not the whole document.
 * @default context 2
 */
export function foldUnchanged(diff: readonly DiffLine[], context = 2): DiffHunkLine[] {
  const out: DiffHunkLine[] = [];
  let k = 0;
  while (k < diff.length) {
    if (diff[k]!.type !== 'same') {
      out.push(diff[k]!);
      k++;
      continue;
    }
    let end = k;
    while (end < diff.length && diff[end]!.type === 'same') end++;
    const keepBefore = k === 0 ? 0 : context; // context after the previous change
    const keepAfter = end === diff.length ? 0 : context; // context before the next change
    const run = end - k;
    if (run <= keepBefore + keepAfter + 1) {
      for (let i = k; i < end; i++) out.push(diff[i]!);
    } else {
      for (let i = k; i < k + keepBefore; i++) out.push(diff[i]!);
      out.push({ type: 'skip', count: run - keepBefore - keepAfter });
      for (let i = end - keepAfter; i < end; i++) out.push(diff[i]!);
    }
    k = end;
  }
  return out;
}
