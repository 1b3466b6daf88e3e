import { describe, expect, it } from 'vitest';
import { lexCommand, UnsafeReason, type ShellPart } from './shell-lexer.js';

const words = (part: ShellPart) => part.tokens.map((t) => ('word' in t ? t.word.text : `${t.redirect.fd ?? ''}${t.redirect.op}${t.redirect.target.text}`));
const parts = (command: string) => lexCommand(command).parts.map(words);

describe('shell lexer', () => {
  it('splits at every control operator and newline', () => {
    expect(parts('a && b || c; d | e |& f & g\nh')).toEqual([['a'], ['b'], ['c'], ['d'], ['e'], ['f'], ['g'], ['h']]);
  });

  it('removes quotes and escapes, keeping operators inside quotes', () => {
    expect(parts(`echo "a && b" 'c; d' e\\;f "x\\"y" 'it'"'"'s'`)).toEqual([['echo', 'a && b', 'c; d', 'e;f', 'x"y', "it's"]]);
  });

  it('joins continued lines and drops comments', () => {
    expect(parts('git diff \\\n --stat # && rm -rf ~\nls')).toEqual([['git', 'diff', '--stat'], ['ls']]);
    expect(parts('echo a#b')).toEqual([['echo', 'a#b']]);
  });

  it('reads redirections with their descriptors and targets', () => {
    const [part] = lexCommand('cmd 2>&1 >> out.log <in &>all 3<>rw').parts;
    expect(part!.tokens.slice(1)).toMatchObject([
      { redirect: { op: '>&', fd: '2', target: { text: '1' } } },
      { redirect: { op: '>>', target: { text: 'out.log' } } },
      { redirect: { op: '<', target: { text: 'in' } } },
      { redirect: { op: '&>', target: { text: 'all' } } },
      { redirect: { op: '<>', fd: '3', target: { text: 'rw' } } },
    ]);
  });

  it('keeps here-document bodies out of the commands', () => {
    expect(parts("cat <<'EOF' | wc -l\nrm -rf ~\nEOF\nls")).toEqual([['cat', '<<EOF'], ['wc', '-l'], ['ls']]);
    expect(parts('cat <<-EOF\n\tbody\n\tEOF\nls')).toEqual([['cat', '<<-EOF'], ['ls']]);
    expect(lexCommand('cat <<EOF\n$HOME is fine\nEOF').unsafe).toEqual([]);
    expect(lexCommand('cat <<EOF\n$(id)\nEOF').unsafe).toEqual([UnsafeReason.heredocExpansion]);
    expect(lexCommand("cat <<'EOF'\n$(id)\nEOF").unsafe).toEqual([]);
  });

  it('lexes substitutions as nested parts, marked unsafe', () => {
    const lexed = lexCommand('echo $(git push --force) `id` <(ls)');
    expect(lexed.unsafe).toEqual([UnsafeReason.commandSubstitution, UnsafeReason.processSubstitution]);
    expect(lexed.parts.map((p) => [p.depth, ...words(p)])).toEqual([
      [1, 'git', 'push', '--force'],
      [1, 'id'],
      [1, 'ls'],
      [0, 'echo', '$(git push --force)', '`id`', '<(ls)'],
    ]);
  });

  it('keeps single-quoted $( and backticks literal', () => {
    expect(lexCommand("echo '$(x) `y`'").unsafe).toEqual([]);
    expect(lexCommand('echo "$(x)"').unsafe).toEqual([UnsafeReason.commandSubstitution]);
    expect(lexCommand('echo \\$\\(x\\)').unsafe).toEqual([]);
  });

  it('marks variables, globs and tildes on words', () => {
    const [part] = lexCommand('$CMD ${X} *.ts ~/a "~/b" [ x ]').parts;
    expect(part!.tokens.map((t) => ('word' in t ? [t.word.variable, t.word.glob, t.word.tilde] : null))).toEqual([
      [true, false, false],
      [true, false, false],
      [false, true, false],
      [false, false, true],
      [false, false, false],
      [false, false, false],
      [false, false, false],
      [false, false, false],
    ]);
  });

  it('reports what it does not model', () => {
    expect(lexCommand("echo $'a'").unsafe).toEqual([UnsafeReason.ansiQuote]);
    expect(lexCommand('echo ${a:-b}').unsafe).toEqual([UnsafeReason.parameterOperator]);
    expect(lexCommand("echo 'x").unsafe).toEqual([UnsafeReason.unterminatedQuote]);
    expect(lexCommand('echo $(x').unsafe).toEqual([UnsafeReason.commandSubstitution, UnsafeReason.unbalancedParenthesis]);
    expect(lexCommand('a=(1 2)').unsafe).toEqual([UnsafeReason.unexpectedParenthesis]);
    expect(lexCommand('echo >').unsafe).toEqual([UnsafeReason.missingRedirectTarget]);
    expect(lexCommand('case a in a) x;; esac').unsafe).toContain(UnsafeReason.caseTerminator);
  });

  it('stops nesting at a bounded depth', () => {
    const deep = `${'$('.repeat(20)}x${')'.repeat(20)}`;
    expect(lexCommand(deep).unsafe).toContain(UnsafeReason.tooDeep);
  });

  // Their cost is measured in the bench and the README, not timed here (the machines are shared);
  // these are the shapes that were once super-linear, so a regression shows as a test that never ends.
  it('reads long hostile input to the end', () => {
    const long = `${'"a" '.repeat(20_000)}${"'".repeat(1001)}${'$('.repeat(5000)}`;
    expect(lexCommand(long).unsafe.length).toBeGreaterThan(0);
    const braces = `ls ${'{a,'.repeat(1400)}`;
    expect(lexCommand(braces).parts.length).toBeGreaterThan(0);
  });
});
