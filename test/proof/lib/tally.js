// @ts-check
/**
 * The four numbers the proof ends with, and the evidence behind each. A suite adds to
 * them through its context; the runner prints `proof: lost=N crashes=N unauthorised=N hangs=N`.
 */

/** @typedef {'lost' | 'crashes' | 'unauthorised' | 'hangs'} Count */
export const COUNTS = /** @type {const} */ (['lost', 'crashes', 'unauthorised', 'hangs']);

export class Tally {
  constructor() {
    /** @type {Record<Count, number>} */
    this.totals = { lost: 0, crashes: 0, unauthorised: 0, hangs: 0 };
    /** @type {{ scenario: string, count: Count, n: number, what: string }[]} */
    this.evidence = [];
  }

  /**
   * @param {string} scenario
   * @param {Count} count
   * @param {number} n
   * @param {string} what
   */
  add(scenario, count, n, what) {
    if (n <= 0) return;
    this.totals[count] += n;
    this.evidence.push({ scenario, count, n, what });
  }

  /** @param {string} scenario */
  of(scenario) {
    /** @type {Record<Count, number>} */
    const counts = { lost: 0, crashes: 0, unauthorised: 0, hangs: 0 };
    for (const e of this.evidence) if (e.scenario === scenario) counts[e.count] += e.n;
    return counts;
  }

  line() {
    return `proof: ${COUNTS.map((c) => `${c}=${this.totals[c]}`).join(' ')}`;
  }
}
