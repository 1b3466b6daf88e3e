import { ClarificationRequestSchema } from '@signoff/shared';
import { describe, expect, it } from 'vitest';
import { answersFrom, askedQuestions, questionRequest } from './ask-user-question.js';
import { HookPayloadSchema } from './hook-payload.js';

const ask = (questions: unknown) => HookPayloadSchema.parse({ hook_event_name: 'PreToolUse', tool_name: 'AskUserQuestion', tool_input: { questions }, cwd: '/home/ada/shop' });
const db = { question: 'Which database?', header: 'DB', multiSelect: false, options: [{ label: 'Postgres' }, { label: 'SQLite', description: 'one file' }] };
const checks = { question: 'Which checks?', header: 'Checks', multiSelect: true, options: [{ label: 'Lint' }, { label: 'Tests' }] };

describe('AskUserQuestion', () => {
  it('reads only well-formed questions whose options can be told apart', () => {
    expect(askedQuestions(ask([db]))).toHaveLength(1);
    expect(askedQuestions(ask([]))).toBeUndefined();
    expect(askedQuestions(ask([{ ...db, options: [{ label: 'A' }, { label: 'a' }] }]))).toBeUndefined();
    expect(askedQuestions(ask([db, db]))).toBeUndefined();
  });

  it('asks one single-choice question with options and free text, several as a valid form', () => {
    const one = questionRequest(ask([db]), [db]);
    expect(ClarificationRequestSchema.safeParse(one).success).toBe(true);
    expect(one).toMatchObject({ title: 'Claude asks: Which database?', options: [{ id: 'q1o1', label: 'Postgres' }, { id: 'q1o2', label: 'SQLite' }], allowFreeform: true });
    const form = questionRequest(ask([db, checks]), [db, checks]);
    expect(ClarificationRequestSchema.safeParse(form).success).toBe(true);
    expect(form.fields?.map((f) => [f.name, f.type])).toEqual([
      ['q1', 'select'],
      ['q1other', 'text'],
      ['q2o1', 'checkbox'],
      ['q2o2', 'checkbox'],
      ['q2other', 'text'],
    ]);
    // A lone multi-select question is a form too (checkboxes).
    expect(questionRequest(ask([checks]), [checks]).fields?.map((f) => f.type)).toEqual(['checkbox', 'checkbox', 'text']);
  });

  it('maps the answer back to question text → label(s), own words replacing a single choice', () => {
    expect(answersFrom([db], { optionId: 'q1o2' })).toEqual({ 'Which database?': 'SQLite' });
    expect(answersFrom([db], { text: 'MySQL' })).toEqual({ 'Which database?': 'MySQL' });
    expect(answersFrom([db, checks], { values: { q1: 'q1o1', q2o1: true, q2o2: true } })).toEqual({ 'Which database?': 'Postgres', 'Which checks?': 'Lint, Tests' });
    expect(answersFrom([db, checks], { values: { q1: 'q1o1', q1other: 'DuckDB', q2o2: false } })).toEqual({ 'Which database?': 'DuckDB' });
  });
});
