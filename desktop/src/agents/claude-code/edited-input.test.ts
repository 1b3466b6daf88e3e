import { describe, expect, it } from 'vitest';
import { applyEditedInput } from './edited-input.js';
import { clippedArgs, MAX_SHOWN_CHARS } from './shown-input.js';

const long = 'x'.repeat(MAX_SHOWN_CHARS + 500);
const write = { file_path: '/p/a.txt', content: long, mode: { append: false, tags: ['a', long] } };
/** What the approval view sends back: the whole shown object with some values changed. */
const editOfShown = (change: (shown: typeof write) => void) => {
  const shown = structuredClone(clippedArgs(write)) as typeof write;
  change(shown);
  return shown as unknown as Record<string, unknown>;
};

describe('applyEditedInput', () => {
  it('keeps every value left as shown in its original, uncut form and uses the values the person changed', () => {
    const result = applyEditedInput(write, editOfShown((s) => (s.file_path = '/p/b.txt')));
    expect(result).toEqual({ ok: true, input: { ...write, file_path: '/p/b.txt' } });
    if (result.ok) expect((result.input.content as string).length).toBe(long.length);
  });

  it('applies edits nested in objects and arrays without touching cut siblings', () => {
    const result = applyEditedInput(write, editOfShown((s) => {
      s.mode.append = true;
      s.mode.tags[0] = 'b';
    }));
    expect(result).toEqual({ ok: true, input: { ...write, mode: { append: true, tags: ['b', long] } } });
  });

  it('refuses an edit to a value that was cut for display, naming where', () => {
    expect(applyEditedInput(write, editOfShown((s) => (s.content = `${s.content} and more`)))).toEqual({ ok: false, path: 'tool_input.content' });
    expect(applyEditedInput(write, editOfShown((s) => (s.mode.tags[1] = 'short')))).toEqual({ ok: false, path: 'tool_input.mode.tags[1]' });
    // Replacing an array that holds a cut string replaces something nobody saw whole.
    expect(applyEditedInput(write, editOfShown((s) => (s.mode.tags = ['only'])))).toEqual({ ok: false, path: 'tool_input.mode.tags' });
  });

  it('takes partial edits (only the changed keys, as REST clients send) as before', () => {
    expect(applyEditedInput({ command: 'ls', description: 'list' }, { command: 'ls -a' })).toEqual({ ok: true, input: { command: 'ls -a', description: 'list' } });
  });
});
