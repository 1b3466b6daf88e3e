import type { ReviewerStats } from '@signoff/shared';
import { formatPercent } from '../charts/chart-geometry.js';

/** `Judge` for the LLM judge; a reviewer command by its name from `policy.yaml`. */
const reviewerLabel = (name: string) => (name === 'judge' ? 'Judge' : name);

/**
 * The agreement column: how often the person, deciding what a reviewer left to them,
 * went the way the reviewer leaned (`–` when it never leaned on anything the person decided).
 */
export function agreementText({ agreed, leaned }: Pick<ReviewerStats, 'agreed' | 'leaned'>): string {
  return leaned === 0 ? '–' : `${formatPercent(agreed / leaned)} (${agreed} of ${leaned})`;
}

/**
 * Per reviewer (`then: review` in `policy.yaml`): what it approved and denied itself, what
 * it left to the person (unsure, or failed), what the person then decided, and how often
 * the person agreed with the way it leaned. Nothing shows without reviewers.
 */
export function ReviewerTable({ reviewers }: { reviewers: readonly ReviewerStats[] }) {
  if (reviewers.length === 0) return null;
  return (
    <figure class="sw-chart sw-reviewers">
      <figcaption class="sw-chart-title">Reviewers</figcaption>
      <table>
        <thead>
          <tr>
            <th scope="col">Reviewer</th>
            <th scope="col">Approved</th>
            <th scope="col">Denied</th>
            <th scope="col">Left to you: unsure</th>
            <th scope="col">Left to you: failed</th>
            <th scope="col">You approved</th>
            <th scope="col">You rejected</th>
            <th scope="col">You agreed</th>
          </tr>
        </thead>
        <tbody>
          {reviewers.map((r) => (
            <tr key={r.reviewer}>
              <th scope="row">{reviewerLabel(r.reviewer)}</th>
              <td>{r.approved}</td>
              <td>{r.denied}</td>
              <td>{r.unsure}</td>
              <td>{r.failed}</td>
              <td>{r.personApproved}</td>
              <td>{r.personRejected}</td>
              <td>{agreementText(r)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
