import { approvedAction, outcomeOf, type Decision } from '../protocol/index.js';
import { actionDigest } from './action-digest.js';

/**
 * What `withApproval` does with each decision. The wrapped tool runs only on a
 * plain approval; everything else ends without running it:
 *
 * | decision                                   | what happens                                              |
 * |--------------------------------------------|-----------------------------------------------------------|
 * | approved                                   | the tool runs with the caller's arguments                 |
 * | approved with `editedArgs`                 | the tool runs with the edited arguments (checked first)   |
 * | approved, receipt for another action       | {@link ApprovedActionMismatchError}; the tool does not run |
 * | edited arguments the tool's schema refuses | {@link InvalidEditedArgsError}; the tool does not run     |
 * | approved with an alternative, handler set  | `onAlternative[id](args, decision)` runs instead          |
 * | approved with an alternative, no handler   | {@link AlternativeChosenError}; the tool does not run     |
 * | rejected, blocked, expired, cancelled      | {@link NotApprovedError}; the tool does not run           |
 */

/**
 * The part of the Standard Schema interface (https://standardschema.dev) used here:
 * zod (3.24+ and 4), valibot and arktype schemas all have it.
 */
export interface StandardSchemaLike<Output> {
  readonly '~standard': {
    validate(value: unknown): StandardResult<Output> | Promise<StandardResult<Output>>;
  };
}
type StandardResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: readonly { readonly message: string; readonly path?: readonly unknown[] }[] };

/** Options of {@link SignoffClient.withApproval}. */
export interface ApprovalGateOptions<Args extends unknown[], R> {
  /**
   * The tool's own schema for its argument object. When the approver edited the
   * arguments, the edited object must pass it (its parsed value is what the tool
   * receives); when it fails, the tool does not run and the call throws
   * {@link InvalidEditedArgsError}.
   */
  schema?: StandardSchemaLike<Args[0]>;
  /**
   * Maps the approver's edited arguments onto the tool's arguments yourself (for a
   * tool that does not take one object argument, or to check them by hand): return
   * the arguments the tool should get, or throw to refuse them. Without it, the
   * edited keys replace those of the tool's one object argument. `schema`, when
   * given too, checks the first of the returned arguments.
   */
  validate?: (edited: Record<string, unknown>, original: Args) => Args | Promise<Args>;
  /**
   * What to do when the approver picked one of the request's alternatives, by
   * alternative id. Its result is what the wrapped function returns. An
   * alternative with no handler throws {@link AlternativeChosenError}.
   */
  onAlternative?: Record<string, (args: Args, decision: Decision<'approval'>) => R | Promise<R>>;
}

/** Thrown by `withApproval` when the human (or a timeout) did not approve. */
export class NotApprovedError extends Error {
  override readonly name = 'NotApprovedError';
  /** The human's reason, or why nobody decided (expired, cancelled, blocked by a guardrail). */
  readonly reason: string | undefined;
  constructor(readonly decision: Decision<'approval'>) {
    const reason = decision.status === 'resolved' ? decision.response?.reason : (decision.reason ?? `request ${decision.status}`);
    super(decision.status === 'resolved' ? `not approved${reason ? `: ${reason}` : ''}` : reason!);
    this.reason = reason;
  }
}

/**
 * Thrown by `withApproval` when the approver approved one of the request's
 * alternatives and no `onAlternative` handler was registered for it. The original
 * tool did not run: do what `alternativeId` names instead.
 */
export class AlternativeChosenError extends Error {
  override readonly name = 'AlternativeChosenError';
  constructor(
    readonly alternativeId: string,
    readonly decision: Decision<'approval'>,
  ) {
    super(
      `the approver chose the alternative "${alternativeId}" instead; the original action did not run` +
        (decision.response?.reason ? ` (${decision.response.reason})` : ''),
    );
  }
}

/**
 * Thrown by `withApproval` when the approver's edited arguments do not fit the
 * tool (its schema or `validate` refused them, or the tool does not take a single
 * object argument they could replace). The tool did not run.
 */
export class InvalidEditedArgsError extends Error {
  override readonly name = 'InvalidEditedArgsError';
  constructor(
    readonly editedArgs: Record<string, unknown>,
    readonly problem: string,
    readonly decision: Decision<'approval'>,
  ) {
    super(`the approver's edited arguments do not fit the tool, so it did not run: ${problem}`);
  }
}

/**
 * Thrown by `withApproval` when the decision's receipt does not cover the action it is
 * about to run: the digest of the action it asked about (with the approver's edited
 * arguments, if any) is not the `actionDigest` the hub recorded in its audit log. The
 * decision was altered on its way, or belongs to another action. The tool did not run.
 */
export class ApprovedActionMismatchError extends Error {
  override readonly name = 'ApprovedActionMismatchError';
  constructor(
    /** The receipt's `actionDigest`. */
    readonly approved: string,
    /** The digest of the action `withApproval` would have run. */
    readonly actual: string,
    readonly decision: Decision<'approval'>,
  ) {
    super(`the action about to run is not the one approved (its digest ${actual} is not the receipt's ${approved}), so it did not run`);
  }
}

export type GateStep<Args extends unknown[], R> =
  | { run: 'tool'; args: Args }
  | { run: 'alternative'; handler: (args: Args, decision: Decision<'approval'>) => R | Promise<R> };

/**
 * Decides what a decision allows; throws for everything that must not run the
 * tool. Pure apart from the caller's schema and validate function.
 */
export async function gateStep<Args extends unknown[], R>(
  decision: Decision<'approval'>,
  args: Args,
  options: ApprovalGateOptions<Args, R>,
  /**
   * The action the request asked about. With it, a decision that carries a receipt must
   * cover this action (with its edited arguments) before the tool runs; hubs before
   * receipts send none, and then nothing is checked.
   */
  requested?: { action?: { name: string; args?: Record<string, unknown> } | undefined },
): Promise<GateStep<Args, R>> {
  if (outcomeOf(decision) !== 'approved') throw new NotApprovedError(decision);
  const response = decision.response;
  const alternativeId = response?.alternativeId;
  if (alternativeId !== undefined) {
    const handler = options.onAlternative && Object.hasOwn(options.onAlternative, alternativeId) ? options.onAlternative[alternativeId] : undefined;
    if (!handler) throw new AlternativeChosenError(alternativeId, decision);
    return { run: 'alternative', handler };
  }
  if (requested && decision.receipt) {
    const actual = await actionDigest(approvedAction({ kind: 'approval', ...(requested.action ? { action: requested.action } : {}) }, response));
    if (actual !== decision.receipt.actionDigest) throw new ApprovedActionMismatchError(decision.receipt.actionDigest, actual, decision);
  }
  const edited = response?.editedArgs;
  if (!edited) return { run: 'tool', args };
  return { run: 'tool', args: await editedArguments(edited, args, decision, options) };
}

async function editedArguments<Args extends unknown[], R>(
  edited: Record<string, unknown>,
  args: Args,
  decision: Decision<'approval'>,
  options: ApprovalGateOptions<Args, R>,
): Promise<Args> {
  const refuse = (problem: string) => new InvalidEditedArgsError(edited, problem, decision);
  let next: Args;
  if (options.validate) {
    try {
      next = await options.validate(edited, args);
    } catch (error) {
      throw refuse(error instanceof Error ? error.message : String(error));
    }
  } else {
    const first = args[0];
    if (args.length !== 1 || !first || typeof first !== 'object' || Array.isArray(first)) {
      throw refuse('the tool does not take one object argument; pass `validate` to map edited arguments onto its arguments');
    }
    // The approver's version of the argument object: the keys it sent replace the caller's.
    next = [{ ...first, ...edited }] as unknown as Args;
  }
  if (options.schema) {
    const result = await options.schema['~standard'].validate(next[0]);
    if (result.issues) {
      throw refuse(result.issues.map((i) => (i.path?.length ? `${i.path.map(pathKey).join('.')}: ${i.message}` : i.message)).join('; '));
    }
    next = [result.value, ...next.slice(1)] as Args;
  }
  return next;
}

/** Standard Schema paths hold keys or `{ key }` segments. */
const pathKey = (segment: unknown): string =>
  segment && typeof segment === 'object' && 'key' in segment ? String((segment as { key: unknown }).key) : String(segment);
