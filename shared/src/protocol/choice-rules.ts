import { asReadByPerson } from './hidden-characters.js';

/**
 * Rules that keep the choices a person is offered honest, applied at create.
 *
 * 1. **Every choice is distinct.** Alternative ids, option ids, form field names,
 *    and the words a person reads (alternative descriptions, option and field
 *    labels) may not repeat within their list. Compared as a person reads them
 *    ({@link asReadByPerson}: case, width forms and hidden characters ignored), so
 *    `archive` and `Archive\u200B` count as the same: two choices that look alike
 *    but answer differently leave the person guessing which one they picked.
 * 2. **An alternative is never the proposal itself.** The approval view always
 *    offers "The action as proposed" first; an alternative dressed as that choice
 *    would approve something else under its name. So an alternative is refused when
 *    - its id, letters and digits only, is one of {@link PROPOSAL_IDS}
 *      (`approve`, `proposed`, `as-proposed`, `original`, `default`, …), or
 *    - its description reads the same as the request's title or the action's name, or
 *    - its description is made only of words that point back at the proposal
 *      ({@link PROPOSAL_WORDS}): "The action as proposed", "Approve as is",
 *      "Proceed with the original plan", "Do it". A description that names any
 *      other thing ("Archive them instead", "Run it on staging") is fine.
 */

/** Alternative ids that name the proposal or approving it (compared lowercased, letters and digits only). */
export const PROPOSAL_IDS: ReadonlySet<string> = new Set([
  'approve',
  'approved',
  'approval',
  'accept',
  'accepted',
  'yes',
  'ok',
  'okay',
  'proceed',
  'proposed',
  'proposal',
  'asproposed',
  'original',
  'originalaction',
  'proposedaction',
  'action',
  'theaction',
  'asis',
  'asrequested',
  'default',
]);

/** Words that only point back at the proposal; a description of nothing else is refused. */
export const PROPOSAL_WORDS: ReadonlySet<string> = new Set([
  'the', 'this', 'that', 'it', 'a', 'an', 'as', 'is', 'with', 'just', 'exactly', 'same', 'unchanged',
  'action', 'request', 'requested', 'asked', 'proposal', 'proposed', 'original', 'originally', 'plan', 'planned', 'written', 'default',
  'approve', 'accept', 'do', 'run', 'go', 'ahead', 'proceed', 'execute', 'continue', 'yes', 'ok', 'okay',
]);

const words = (text: string) => asReadByPerson(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);

/** Whether an alternative's id names the proposal ({@link PROPOSAL_IDS}). */
export function idNamesTheProposal(id: string): boolean {
  return PROPOSAL_IDS.has(words(id).join(''));
}

/** Whether an alternative's description passes for the proposal (rule 2 above). */
export function describesTheProposal(description: string, proposal: { title?: string; actionName?: string | undefined }): boolean {
  const read = asReadByPerson(description);
  if (read === '') return false;
  if (proposal.title !== undefined && read === asReadByPerson(proposal.title)) return true;
  if (proposal.actionName !== undefined && read === asReadByPerson(proposal.actionName)) return true;
  const all = words(description);
  return all.length > 0 && all.every((word) => PROPOSAL_WORDS.has(word));
}

/**
 * For each item whose `key` reads the same as an earlier item's, the index of the
 * earlier one. Used to name both in the refusal (`alternatives.2.id: … same as alternatives.0`).
 */
export function repeats<T>(items: readonly T[], key: (item: T) => string | undefined): { index: number; first: number }[] {
  const seen = new Map<string, number>();
  const found: { index: number; first: number }[] = [];
  items.forEach((item, index) => {
    const value = key(item);
    if (value === undefined) return;
    const read = asReadByPerson(value);
    const first = seen.get(read);
    if (first === undefined) seen.set(read, index);
    else found.push({ index, first });
  });
  return found;
}
