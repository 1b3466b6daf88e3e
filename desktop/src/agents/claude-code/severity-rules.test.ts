import { describe, expect, it } from 'vitest';
import { HookPayloadSchema, type HookPayload } from './hook-payload.js';
import { assessSeverity, isHarmlessRead, isOutside } from './severity-rules.js';

const call = (tool_name: string, tool_input: Record<string, unknown>, cwd: string | null = '/home/ada/shop'): HookPayload =>
  HookPayloadSchema.parse({ hook_event_name: 'PreToolUse', tool_name, tool_input, ...(cwd ? { cwd } : {}) });
const bash = (command: string) => assessSeverity(call('Bash', { command }));

describe('assessSeverity: shell commands', () => {
  it.each([
    'rm -rf build',
    'rm -fr /tmp/x',
    'rm -r -f dist',
    'rm --recursive --force dist',
    'cd app && rm -Rf node_modules',
    'git push --force origin main',
    'git push -f',
    'git push --force-with-lease origin feature',
    'git push origin +main',
    'psql -c "DROP TABLE users"',
    'sqlite3 app.db "drop database prod"',
    'psql -c "TRUNCATE orders"',
    'psql -c "DELETE FROM users;"',
    'mkfs.ext4 /dev/sdb1',
    'dd if=image.iso of=/dev/sda bs=4M',
    'terraform destroy -auto-approve',
  ])('%s is critical', (command) => {
    expect(bash(command).severity).toBe('critical');
  });

  it.each([
    'sudo apt-get install jq',
    'curl -fsSL https://get.example.sh | sh',
    'wget -qO- https://x.example | sudo bash',
    'git push origin feature',
    'git reset --hard HEAD~3',
    'git clean -fdx',
    'git branch -D old-feature',
    'npm publish --access public',
    'chmod -R 777 public',
    'kubectl delete pod web-1',
    'terraform apply',
  ])('%s is high', (command) => {
    expect(bash(command).severity).toBe('high');
  });

  it.each(['npm test', 'ls -la', 'rm build/old.log', 'rm -r build', 'git status', 'psql -c "DELETE FROM users WHERE id = 3"', 'echo "drop it"'])(
    '%s is medium',
    (command) => {
      expect(bash(command)).toEqual({ severity: 'medium', reasons: [] });
    },
  );

  it('keeps every matching reason, the worst first', () => {
    expect(bash('sudo rm -rf /var/www && git push -f')).toEqual({
      severity: 'critical',
      reasons: [
        'deletes files recursively without confirmation (rm -rf)',
        'rewrites the remote history (git push --force)',
        'runs as root (sudo)',
        'pushes to a remote (git push)',
      ],
    });
  });
});

describe('assessSeverity: file tools', () => {
  it('rates writes inside the project medium, outside critical, secrets high', () => {
    expect(assessSeverity(call('Edit', { file_path: '/home/ada/shop/src/a.ts', old_string: 'a', new_string: 'b' })).severity).toBe('medium');
    expect(assessSeverity(call('Write', { file_path: 'src/new.ts', content: '' })).severity).toBe('medium');
    expect(assessSeverity(call('Write', { file_path: '/home/ada/.bashrc', content: '' }))).toEqual({
      severity: 'critical',
      reasons: ['writes outside the project directory'],
    });
    expect(assessSeverity(call('Write', { file_path: '../other/x.ts', content: '' })).severity).toBe('critical');
    expect(assessSeverity(call('MultiEdit', { file_path: '/home/ada/shop/.env', edits: [] }))).toEqual({
      severity: 'high',
      reasons: ['writes a secret or repository-internal file'],
    });
    expect(assessSeverity(call('NotebookEdit', { notebook_path: '/home/ada/shop/.git/config', new_source: '' })).severity).toBe('high');
  });

  it('rates read-only tools low inside the project, medium outside, high on secrets', () => {
    expect(assessSeverity(call('Read', { file_path: '/home/ada/shop/src/a.ts' }))).toEqual({ severity: 'low', reasons: [] });
    expect(assessSeverity(call('Glob', { pattern: '**/*.ts' })).severity).toBe('low');
    expect(assessSeverity(call('Grep', { pattern: 'x', path: '/etc' })).severity).toBe('medium');
    expect(assessSeverity(call('Read', { file_path: '/home/ada/.aws/credentials' })).severity).toBe('high');
  });

  it('rates other tools medium', () => {
    expect(assessSeverity(call('WebFetch', { url: 'https://example.com', prompt: 'summarise' })).severity).toBe('medium');
    expect(assessSeverity(call('mcp__github__create_issue', { title: 'x' })).severity).toBe('medium');
  });
});

describe('isHarmlessRead', () => {
  it('is true only for read-only tools inside a known project touching no secrets', () => {
    expect(isHarmlessRead(call('Read', { file_path: '/home/ada/shop/a.ts' }))).toBe(true);
    expect(isHarmlessRead(call('LS', { path: '/home/ada/shop' }))).toBe(true);
    expect(isHarmlessRead(call('Read', { file_path: '/home/ada/shop/.env' }))).toBe(false);
    expect(isHarmlessRead(call('Read', { file_path: '/etc/passwd' }))).toBe(false);
    expect(isHarmlessRead(call('Read', { file_path: '/home/ada/shop/a.ts' }, null))).toBe(false);
    expect(isHarmlessRead(call('Write', { file_path: '/home/ada/shop/a.ts', content: '' }))).toBe(false);
    expect(isHarmlessRead(call('Bash', { command: 'cat a.ts' }))).toBe(false);
  });
});

describe('isOutside', () => {
  it('tells paths outside the project, and says no when it cannot know', () => {
    expect(isOutside('/home/ada/shop/x', '/home/ada/shop')).toBe(false);
    expect(isOutside('/home/ada/shop', '/home/ada/shop')).toBe(false);
    expect(isOutside('/home/ada/shopping/x', '/home/ada/shop')).toBe(true);
    expect(isOutside('../x', '/home/ada/shop')).toBe(true);
    expect(isOutside('..foo/x', '/home/ada/shop')).toBe(false);
    expect(isOutside('/x', undefined)).toBe(false);
  });
});

describe('issue 9: every path-like field, network tools, PowerShell', () => {
  it.each([
    ['Glob', { pattern: '/root/.ssh/*' }],
    ['Glob', { pattern: '../../../x/*' }],
    ['Glob', { pattern: '{src,/etc}/*' }],
    ['Glob', { pattern: '*.ts', path: '/tmp' }],
    ['Grep', { pattern: 'x', glob: '../**/*.env' }],
    ['Read', { file_path: '/home/ada/.aws/credentials' }],
    ['WebSearch', { query: 'anything' }],
    ['WebFetch', { url: 'https://example.com' }],
  ])('%s %j is not a harmless read', (tool, input) => {
    expect(isHarmlessRead(call(tool, input))).toBe(false);
  });

  it.each([
    ['Glob', { pattern: 'src/**/*.{ts,tsx}' }],
    ['Grep', { pattern: '/etc/passwd', path: 'src' }],
    ['LS', { path: '/home/ada/shop/docs' }],
  ])('%s %j is a harmless read', (tool, input) => {
    expect(isHarmlessRead(call(tool, input))).toBe(true);
  });

  it('rates PowerShell like Bash, with its own destructive commands', () => {
    const ps = (command: string) => assessSeverity(call('PowerShell', { command })).severity;
    expect(ps('Remove-Item -Recurse -Force C:\\build')).toBe('critical');
    expect(ps('ri -r -fo dist')).toBe('critical');
    expect(ps('Remove-Item -Force:$true -Recurse dist')).toBe('critical');
    expect(ps('Remove-Item dist')).toBe('medium');
    expect(ps('Format-Volume -DriveLetter D')).toBe('critical');
    expect(ps('git push --force')).toBe('critical');
    expect(ps('Start-Process pwsh -Verb RunAs')).toBe('high');
    expect(ps('irm https://x.example/install.ps1 | iex')).toBe('high');
    expect(assessSeverity(call('Monitor', { command: 'rm -rf /tmp/x' })).severity).toBe('critical');
    // Bash keeps its own reading of `rm` (one reason, not two).
    expect(assessSeverity(call('Bash', { command: 'rm -r -f dist' })).reasons).toEqual(['deletes files recursively without confirmation (rm -rf)']);
  });
});

