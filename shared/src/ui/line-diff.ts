/**
 * A line diff between the agent's draft and the human's edit, so the reviewer sees
 * exactly what they changed before saving. Longest-common-subsequence based, after
 * trimming the common head and tail (an edit usually touches a few lines in the middle,
 * which keeps the table small while typing).
 */

/** One line of a diff. Line numbers are 1-based; `oldLine` for kept/removed, `newLine` for kept/added. */
export type DiffLine =
  | { type: 'same'; text: string; oldLine: number; newLine: number }
  | { type: 'removed'; text: string; oldLine: number }
  | { type: 'added'; text: string; newLine: number };

/**
 * Largest LCS table (rows × columns of the changed middle) built before falling back
 * to "all old middle lines removed, all new ones added". Keeps a keystroke cheap even
 * when someone pastes over a 5,000-line draft.
 * @default 4_000_000
 */
export const MAX_DIFF_CELLS = 4_000_000;

/** Splits text into lines, treating `\r\n` as `\n`. An empty text has no lines. */
export function splitLines(text: string): string[] {
  return text === '' ? [] : text.split(/\r?\n/);
}

/**
 * The line diff turning `before` into `after`; removals come before additions within
 * a change. Beyond the table budget, lines that occur once on each side anchor the
 * texts (as in patience diff) and the stretches between anchors are diffed alone, so
 * scattered edits in a long draft still come out line by line.
 */
export function diffLines(before: string, after: string, maxCells = MAX_DIFF_CELLS): DiffLine[] {
  const out: DiffLine[] = [];
  diffRange(splitLines(before), splitLines(after), { a0: 0, a1: -1, b0: 0, b1: -1 }, maxCells, 0, out);
  return out;
}

interface Range {
  a0: number;
  /** End (exclusive); -1 for "to the end". */
  a1: number;
  b0: number;
  b1: number;
}

/** How often a too-large stretch is split at unique lines before giving up on it. */
const MAX_ANCHOR_DEPTH = 4;

function diffRange(a: string[], b: string[], range: Range, maxCells: number, depth: number, out: DiffLine[]): void {
  let { a0, b0 } = range;
  let a1 = range.a1 < 0 ? a.length : range.a1;
  let b1 = range.b1 < 0 ? b.length : range.b1;
  const head: DiffLine[] = [];
  while (a0 < a1 && b0 < b1 && a[a0] === b[b0]) {
    head.push({ type: 'same', text: a[a0]!, oldLine: a0 + 1, newLine: b0 + 1 });
    a0++;
    b0++;
  }
  const tail: DiffLine[] = [];
  while (a0 < a1 && b0 < b1 && a[a1 - 1] === b[b1 - 1]) {
    a1--;
    b1--;
    tail.push({ type: 'same', text: a[a1]!, oldLine: a1 + 1, newLine: b1 + 1 });
  }
  out.push(...head);
  if ((a1 - a0 + 1) * (b1 - b0 + 1) <= maxCells) {
    diffByTable(a, b, a0, a1, b0, b1, out);
  } else {
    const anchors = depth < MAX_ANCHOR_DEPTH ? uniqueAnchors(a, b, a0, a1, b0, b1) : [];
    if (anchors.length === 0) {
      for (let i = a0; i < a1; i++) out.push({ type: 'removed', text: a[i]!, oldLine: i + 1 });
      for (let j = b0; j < b1; j++) out.push({ type: 'added', text: b[j]!, newLine: j + 1 });
    } else {
      let i = a0;
      let j = b0;
      for (const [ai, bj] of anchors) {
        diffRange(a, b, { a0: i, a1: ai, b0: j, b1: bj }, maxCells, depth + 1, out);
        out.push({ type: 'same', text: a[ai]!, oldLine: ai + 1, newLine: bj + 1 });
        i = ai + 1;
        j = bj + 1;
      }
      diffRange(a, b, { a0: i, a1, b0: j, b1 }, maxCells, depth + 1, out);
    }
  }
  for (let k = tail.length - 1; k >= 0; k--) out.push(tail[k]!);
}

/** The classic LCS table over `a[a0..a1)` × `b[b0..b1)`, walked forward to emit the diff. */
function diffByTable(a: string[], b: string[], a0: number, a1: number, b0: number, b1: number, out: DiffLine[]): void {
  const n = a1 - a0;
  const m = b1 - b0;
  // lcs[i * width + j] = length of the LCS of a[a0 + i ..] and b[b0 + j ..].
  const width = m + 1;
  const lcs = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * width + j] =
        a[a0 + i] === b[b0 + j] ? lcs[(i + 1) * width + j + 1]! + 1 : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
    }
  }
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[a0 + i] === b[b0 + j]) {
      out.push({ type: 'same', text: a[a0 + i]!, oldLine: a0 + i + 1, newLine: b0 + j + 1 });
      i++;
      j++;
    } else if (lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!) {
      out.push({ type: 'removed', text: a[a0 + i]!, oldLine: a0 + i + 1 });
      i++;
    } else {
      out.push({ type: 'added', text: b[b0 + j]!, newLine: b0 + j + 1 });
      j++;
    }
  }
  for (; i < n; i++) out.push({ type: 'removed', text: a[a0 + i]!, oldLine: a0 + i + 1 });
  for (; j < m; j++) out.push({ type: 'added', text: b[b0 + j]!, newLine: b0 + j + 1 });
}

/**
 * Pairs `[i, j]` of lines that occur exactly once in each stretch, the longest run of
 * them in the same order on both sides (longest increasing subsequence of `j`).
 */
function uniqueAnchors(a: string[], b: string[], a0: number, a1: number, b0: number, b1: number): [number, number][] {
  const counts = new Map<string, { a: number; b: number; ai: number; bj: number }>();
  for (let i = a0; i < a1; i++) {
    const entry = counts.get(a[i]!) ?? { a: 0, b: 0, ai: -1, bj: -1 };
    entry.a++;
    entry.ai = i;
    counts.set(a[i]!, entry);
  }
  for (let j = b0; j < b1; j++) {
    const entry = counts.get(b[j]!);
    if (!entry) continue;
    entry.b++;
    entry.bj = j;
  }
  const pairs: [number, number][] = [];
  for (const entry of counts.values()) if (entry.a === 1 && entry.b === 1) pairs.push([entry.ai, entry.bj]);
  pairs.sort((x, y) => x[0] - y[0]);
  // Patience sorting: tails[k] = index into pairs of the smallest j ending a run of length k + 1.
  const tails: number[] = [];
  const previous = new Int32Array(pairs.length).fill(-1);
  for (let p = 0; p < pairs.length; p++) {
    const j = pairs[p]![1];
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pairs[tails[mid]!]![1] < j) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) previous[p] = tails[lo - 1]!;
    tails[lo] = p;
  }
  const run: [number, number][] = [];
  for (let p = tails.length ? tails[tails.length - 1]! : -1; p >= 0; p = previous[p]!) run.push(pairs[p]!);
  return run.reverse();
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
