import { describe, expect, it } from 'vitest';
import { argsToText, changeValueText, checkEditedArgs, MAX_CHANGES, MAX_PROBLEMS } from './edited-args.js';

const original = { table: 'users', limit: 100, dryRun: true, tags: ['old', 'inactive'], where: { days: 730, plan: null }, owner: null };
const edit = (changes: Record<string, unknown>) => JSON.stringify({ ...original, ...changes });
const problems = (text: string, args: Record<string, unknown> = original) => {
  const check = checkEditedArgs(args, text);
  return check.ok ? [] : check.problems;
};

describe('checkEditedArgs', () => {
  it('accepts the original text and finds no change, whatever the spacing or key order', () => {
    expect(checkEditedArgs(original, argsToText(original))).toEqual({ ok: true, value: original, changes: [], changeCount: 0 });
    const reordered = JSON.stringify({ owner: null, where: { plan: null, days: 730 }, tags: ['old', 'inactive'], dryRun: true, limit: 100, table: 'users' });
    expect(checkEditedArgs(original, reordered)).toMatchObject({ ok: true, changeCount: 0 });
  });

  it('lists each changed value by its path, old and new', () => {
    const check = checkEditedArgs(original, edit({ limit: 10, where: { days: 365, plan: null } }));
    expect(check).toEqual({
      ok: true,
      value: { ...original, limit: 10, where: { days: 365, plan: null } },
      changes: [
        { path: 'editedArgs.limit', before: 100, after: 10 },
        { path: 'editedArgs.where.days', before: 730, after: 365 },
      ],
      changeCount: 2,
    });
  });

  it('says when the text is not JSON or not an object', () => {
    expect(problems('{"limit": ')[0]).toMatch(/^Not valid JSON: /);
    expect(problems('[1, 2]')).toEqual(['editedArgs: expected an object, not an array']);
    expect(problems('"users"')).toEqual(['editedArgs: expected an object, not a string']);
  });

  it('refuses a value of another type, naming the path and both types', () => {
    expect(problems(edit({ limit: '10' }))).toEqual(['editedArgs.limit: expected a number, not a string']);
    expect(problems(edit({ dryRun: 'no' }))).toEqual(['editedArgs.dryRun: expected true or false, not a string']);
    expect(problems(edit({ where: { days: null, plan: null } }))).toEqual(['editedArgs.where.days: expected a number, not null']);
    expect(problems(edit({ tags: 'old' }))).toEqual(['editedArgs.tags: expected an array, not a string']);
  });

  it('refuses added, renamed and removed keys at any depth', () => {
    const { limit: _dropped, ...withoutLimit } = original;
    expect(problems(JSON.stringify({ ...withoutLimit, limt: 10 }))).toEqual([
      'editedArgs.limit: missing; keys may not be removed',
      "editedArgs.limt: not in the agent's arguments; keys may not be added or renamed",
    ]);
    expect(problems(edit({ where: { days: 730, plan: null, region: 'eu' } }))).toEqual([
      "editedArgs.where.region: not in the agent's arguments; keys may not be added or renamed",
    ]);
  });

  it('refuses a __proto__ key the agent never sent', () => {
    expect(problems(`{${edit({}).slice(1, -1)}, "__proto__": {"admin": true}}`)).toEqual([
      "editedArgs.__proto__: not in the agent's arguments; keys may not be added or renamed",
    ]);
  });

  it('lets any value replace a null the agent sent, and keeps null allowed there', () => {
    expect(checkEditedArgs(original, edit({ owner: 'ada', where: { days: 730, plan: { tier: 'pro' } } }))).toMatchObject({
      ok: true,
      changes: [
        { path: 'editedArgs.where.plan', before: null, after: { tier: 'pro' } },
        { path: 'editedArgs.owner', before: null, after: 'ada' },
      ],
    });
  });

  it('lets arrays grow and shrink, checking items against the original items', () => {
    expect(checkEditedArgs(original, edit({ tags: ['old', 'stale', 'unpaid'] }))).toMatchObject({
      ok: true,
      changes: [
        { path: 'editedArgs.tags[1]', before: 'inactive', after: 'stale' },
        { path: 'editedArgs.tags[2]', after: 'unpaid' },
      ],
      changeCount: 2,
    });
    expect(checkEditedArgs(original, edit({ tags: [] }))).toMatchObject({
      ok: true,
      changes: [
        { path: 'editedArgs.tags[0]', before: 'old' },
        { path: 'editedArgs.tags[1]', before: 'inactive' },
      ],
    });
    expect(problems(edit({ tags: ['old', 7] }))).toEqual(['editedArgs.tags[1]: expected a string, not a number']);
    expect(problems(edit({ tags: ['old', 'inactive', false] }))).toEqual(['editedArgs.tags[2]: expected a string, not true or false']);
  });

  it('checks an added object item against the first item, and takes anything into an array sent empty', () => {
    const people = { to: [{ name: 'Ada', cc: false }], extra: [] };
    expect(problems(JSON.stringify({ to: [{ name: 'Ada', cc: false }, { name: 'Bo' }], extra: [] }), people)).toEqual([
      'editedArgs.to[1].cc: missing; keys may not be removed',
    ]);
    expect(checkEditedArgs(people, JSON.stringify({ to: [{ name: 'Ada', cc: false }], extra: [1, 'two'] }))).toMatchObject({ ok: true, changeCount: 2 });
  });

  it('quotes odd keys, showing hidden characters as markers', () => {
    const odd = { 'dry run': true, 'a\u202Eb': 1 };
    expect(problems(JSON.stringify({ 'dry run': 'yes', 'a\u202Eb': 1 }), odd)).toEqual(['editedArgs["dry run"]: expected true or false, not a string']);
    expect(problems(JSON.stringify({ 'dry run': true, 'a\u202Eb': '1' }), odd)).toEqual(['editedArgs["a⟨U+202E⟩b"]: expected a number, not a string']);
  });

  it('refuses a number too large for JSON', () => {
    expect(problems(edit({}).replace('"limit":100', '"limit":1e999'))).toEqual(['editedArgs.limit: the number is too large']);
  });

  it(`stops at ${MAX_PROBLEMS} problems and keeps ${MAX_CHANGES} changes while counting them all`, () => {
    const wide = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, i]));
    const allStrings = JSON.stringify(Object.fromEntries(Object.keys(wide).map((k) => [k, 'x'])));
    expect(problems(allStrings, wide)).toHaveLength(MAX_PROBLEMS);
    const allChanged = JSON.stringify(Object.fromEntries(Object.keys(wide).map((k) => [k, -1])));
    const check = checkEditedArgs(wide, allChanged);
    expect(check).toMatchObject({ ok: true, changeCount: 500 });
    expect(check.ok && check.changes).toHaveLength(MAX_CHANGES);
  });

  it('checks a 250 KB argument object with a linear walk', () => {
    const rows = Array.from({ length: 2500 }, (_, i) => ({ id: i, email: `user${i}@example.com`, note: 'n'.repeat(40), active: i % 2 === 0 }));
    const big = { rows };
    const text = argsToText(big);
    expect(text.length).toBeGreaterThan(250_000);
    const edited = text.replace('"user2499@example.com"', '"someone@example.com"');
    const started = performance.now();
    const check = checkEditedArgs(big, edited);
    // Generous bound: a quadratic walk over 2,500 rows would take far longer.
    expect(performance.now() - started).toBeLessThan(500);
    expect(check).toMatchObject({ ok: true, changeCount: 1, changes: [{ path: 'editedArgs.rows[2499].email', after: 'someone@example.com' }] });
  });
});

describe('argsToText', () => {
  it('indents the JSON and writes hidden characters as escapes that parse back to the same value', () => {
    const args = { file: 'invoice\u202Efdp.exe', tag: '\u{E0041}' };
    const text = argsToText(args);
    expect(text).toBe('{\n  "file": "invoice\\u202Efdp.exe",\n  "tag": "\\uDB40\\uDC41"\n}');
    expect(JSON.parse(text)).toEqual(args);
    expect(checkEditedArgs(args, text)).toMatchObject({ ok: true, changeCount: 0 });
  });
});

describe('changeValueText', () => {
  it('writes a value as one line of JSON, clipped', () => {
    expect(changeValueText({ a: [1, 'b'] })).toBe('{"a":[1,"b"]}');
    expect(changeValueText('x'.repeat(200), 10)).toBe(`"xxxxxxxxx… (192 more characters)`);
  });
});
