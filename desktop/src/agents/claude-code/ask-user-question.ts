import { z } from 'zod';
import type { ClarificationResponse, InputOfKind } from '@signoff/shared';
import { ASK_USER_QUESTION_TOOL } from './hook-event.js';
import type { HookPayload } from './hook-payload.js';

/**
 * Claude Code's `AskUserQuestion` tool, asked in Signoff as a clarification, and the
 * person's answer handed back as the tool's input. The tool input is
 * `{ questions: [{ question, header, options: [{ label, description }], multiSelect }] }`;
 * a hook answers for the person by allowing the call with
 * `updatedInput: { questions, answers }`, where `answers` maps each question's text to
 * the chosen option's label (several labels joined with ", " for a multi-select
 * question) or to the person's own words. See the hooks reference,
 * https://code.claude.com/docs/en/hooks (PreToolUse `updatedInput`), and "Handle
 * clarifying questions" in https://code.claude.com/docs/en/agent-sdk/user-input.
 */

const QuestionSchema = z.looseObject({
  question: z.string().min(1).max(2000),
  header: z.string().max(200).optional(),
  options: z
    .array(z.looseObject({ label: z.string().min(1).max(500), description: z.string().max(2000).optional() }))
    .max(20)
    .default([]),
  multiSelect: z.boolean().optional(),
});
const AskUserQuestionInputSchema = z.looseObject({ questions: z.array(QuestionSchema).min(1).max(10) });
export type AskedQuestion = z.output<typeof QuestionSchema>;

/** The questions of an `AskUserQuestion` call, or `undefined` when its input is not that shape. */
export function askedQuestions(payload: HookPayload): AskedQuestion[] | undefined {
  if (payload.tool_name !== ASK_USER_QUESTION_TOOL) return undefined;
  const parsed = AskUserQuestionInputSchema.safeParse(payload.tool_input);
  if (!parsed.success) return undefined;
  // Labels must differ for the person to tell them apart (and for the answer to name one).
  const distinct = parsed.data.questions.every((q) => new Set(q.options.map((o) => o.label.trim().toLowerCase())).size === q.options.length);
  const questionsDiffer = new Set(parsed.data.questions.map((q) => q.question)).size === parsed.data.questions.length;
  return distinct && questionsDiffer ? parsed.data.questions : undefined;
}

/** Field and option names: `q1`, `q1o2`, `q1other` (1-based, as people count). */
const qName = (q: number) => `q${q + 1}`;
const optionId = (q: number, o: number) => `${qName(q)}o${o + 1}`;
const otherName = (q: number) => `${qName(q)}other`;

/** The options and their descriptions, as markdown lines. */
function describeOptions(question: AskedQuestion): string {
  return question.options.map((o) => `- **${o.label}**${o.description ? ` — ${o.description}` : ''}`).join('\n');
}

/**
 * The clarification for the questions. One single-choice question becomes options
 * plus free text (Claude Code's own dialog offers "Other" too); several questions, or a
 * multi-select one, become a form: a select per single-choice question, a checkbox per
 * option of a multi-select question, and a text field for an answer in the person's words.
 */
export function questionRequest(
  payload: HookPayload,
  questions: AskedQuestion[],
  options: { agentId?: string; timeoutMs?: number } = {},
): InputOfKind<'clarification'> & { kind: 'clarification' } {
  const first = questions[0]!;
  const title = questions.length === 1 ? `Claude asks: ${first.question}` : `Claude asks ${questions.length} questions: ${first.header ?? first.question}…`;
  const body = questions
    .map((q, i) => `${questions.length > 1 ? `**${i + 1}. ${q.question}**` : `**${q.question}**`}${q.multiSelect ? ' (pick any)' : ''}\n\n${describeOptions(q)}`)
    .join('\n\n');
  const context: Record<string, string> = { hookEvent: payload.hook_event_name };
  if (payload.cwd) context.cwd = payload.cwd;
  if (payload.session_id) context.session = payload.session_id;
  if (payload.permission_mode) context.permissionMode = payload.permission_mode;
  const common = {
    kind: 'clarification' as const,
    title: title.length > 500 ? `${title.slice(0, 499)}…` : title,
    body,
    severity: 'low' as const,
    agentId: options.agentId ?? 'claude-code',
    ...(payload.session_id ? { runId: payload.session_id } : {}),
    ...(payload.tool_use_id ? { idempotencyKey: payload.tool_use_id } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    context,
  };
  if (questions.length === 1 && !first.multiSelect && first.options.length > 0) {
    return { ...common, options: first.options.map((o, i) => ({ id: optionId(0, i), label: o.label })), allowFreeform: true };
  }
  const fields = questions.flatMap((q, qi) => {
    const prefix = questions.length > 1 ? `${qi + 1}. ` : '';
    const choices = q.multiSelect
      ? q.options.map((o, oi) => ({ name: optionId(qi, oi), label: `${prefix}${q.question} — ${o.label}`, type: 'checkbox' as const }))
      : q.options.length > 0
        ? [{ name: qName(qi), label: `${prefix}${q.question}`, type: 'select' as const, options: q.options.map((o, oi) => ({ id: optionId(qi, oi), label: o.label })) }]
        : [];
    const other = { name: otherName(qi), label: `${prefix}${q.question} — ${choices.length ? 'or in your own words' : 'your answer'}`, type: 'text' as const };
    return [...choices, other];
  });
  return { ...common, fields };
}

/**
 * The `answers` for the tool from the person's response: question text → the chosen
 * label(s) joined with ", ", or their own words. A question left unanswered is left out.
 */
export function answersFrom(questions: AskedQuestion[], response: ClarificationResponse): Record<string, string> {
  const answers: Record<string, string> = {};
  const values = response.values ?? {};
  questions.forEach((q, qi) => {
    const own = values[otherName(qi)];
    const picked: string[] = [];
    if (questions.length === 1 && response.optionId !== undefined) {
      const index = q.options.findIndex((_, oi) => optionId(0, oi) === response.optionId);
      if (index !== -1) picked.push(q.options[index]!.label);
    }
    if (q.multiSelect) q.options.forEach((o, oi) => values[optionId(qi, oi)] === true && picked.push(o.label));
    else {
      const selected = values[qName(qi)];
      const index = q.options.findIndex((_, oi) => optionId(qi, oi) === selected);
      if (index !== -1) picked.push(q.options[index]!.label);
    }
    const words = [typeof own === 'string' ? own.trim() : '', questions.length === 1 ? (response.text?.trim() ?? '') : ''].filter(Boolean);
    // Own words replace a single choice (as "Other" does in Claude Code) and join a multi-select.
    const parts = q.multiSelect ? [...picked, ...words] : words.length ? words : picked;
    if (parts.length) answers[q.question] = parts.join(', ');
  });
  return answers;
}
