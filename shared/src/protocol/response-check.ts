import { ownValue } from './json-keys.js';
import type { SignoffRequest } from './request.js';
import { grantPatternProblem } from './policy.js';
import { jsonTextProblem } from './request-schemas.js';

/**
 * Checks an answer against the request it answers, beyond its schema: a picked
 * alternative or option must be one offered, required form fields filled, numbers
 * numeric. Shared by the hub (authoritative) and the approver UIs (early feedback).
 * Returns `null` when fine, else the offending field and what is wrong.
 *
 * Every read of the answer is an own-property read ({@link ownValue}): a field named
 * `constructor` or `toString` (refused at create, but stored requests predate that
 * rule) must read as "not answered", never as `Object.prototype`'s function.
 */
export function checkResponseFits(request: SignoffRequest, response: unknown): { path: string; message: string } | null {
  switch (request.kind) {
    case 'approval': {
      const id = ownValue(response, 'alternativeId');
      if (id !== undefined && !request.alternatives?.some((a) => a.id === id)) {
        return { path: 'alternativeId', message: `"${String(id)}" is not one of the offered alternatives` };
      }
      const remember = ownValue(response, 'remember');
      if (remember !== undefined) return rememberProblem(request, response, remember);
      return null;
    }
    case 'clarification': {
      const id = ownValue(response, 'optionId');
      if (id !== undefined && !request.options?.some((o) => o.id === id)) {
        return { path: 'optionId', message: `"${String(id)}" is not one of the offered options` };
      }
      if (ownValue(response, 'text') !== undefined && request.allowFreeform === false) {
        return { path: 'text', message: 'this question does not accept a free-form answer' };
      }
      const values = ownValue(response, 'values');
      for (const field of request.fields ?? []) {
        const value = ownValue(values, field.name);
        const empty = value === undefined || value === null || value === '';
        if (empty) {
          if (field.required) return { path: `values.${field.name}`, message: `${field.label} is required` };
          continue;
        }
        if (field.type === 'number' && (typeof value !== 'number' || !Number.isFinite(value))) {
          return { path: `values.${field.name}`, message: `${field.label} must be a number` };
        }
        if (field.type === 'checkbox' && typeof value !== 'boolean') {
          return { path: `values.${field.name}`, message: `${field.label} must be true or false` };
        }
        if (field.type === 'select' && !field.options?.some((o) => o.id === value)) {
          return { path: `values.${field.name}`, message: `${field.label}: "${String(value)}" is not an offered option` };
        }
      }
      return null;
    }
    case 'edit': {
      if (ownValue(response, 'action') === 'edit' && request.draft.format === 'json') {
        const content = String(ownValue(response, 'content'));
        try {
          JSON.parse(content);
        } catch {
          return { path: 'content', message: 'the edited draft is not valid JSON' };
        }
        const problem = jsonTextProblem(content);
        if (problem) return { path: 'content', message: `the edited draft: ${problem}` };
      }
      return null;
    }
    default:
      return null;
  }
}

/**
 * "Always allow this" only for a plain approval of a request that may be repeated
 * without a person: never critical or irreversible ones, never with an alternative
 * or edited arguments (the grant would allow something nobody proposed).
 */
function rememberProblem(request: Extract<SignoffRequest, { kind: 'approval' }>, response: unknown, remember: unknown): { path: string; message: string } | null {
  const refuse = (message: string) => ({ path: 'remember', message });
  if (ownValue(response, 'approved') !== true) return refuse('only an approval can be remembered');
  if (ownValue(response, 'alternativeId') !== undefined) return refuse('an approved alternative cannot be remembered: allow the alternative itself when the agent asks for it');
  if (ownValue(response, 'editedArgs') !== undefined) return refuse('an approval with edited arguments cannot be remembered');
  if (request.severity === 'critical') return refuse('critical requests are always asked');
  if (request.reversible === false) return refuse('irreversible requests are always asked');
  const pattern = ownValue(remember, 'pattern');
  if (pattern === undefined) return null;
  const command = ownValue(request.action?.args, 'command');
  if (typeof command !== 'string') return { path: 'remember.pattern', message: 'a pattern widens a shell command, and this action has no command' };
  const problem = grantPatternProblem(command, String(pattern));
  return problem ? { path: 'remember.pattern', message: problem } : null;
}
