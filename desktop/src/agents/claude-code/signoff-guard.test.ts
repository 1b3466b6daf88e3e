import { describe, expect, it } from 'vitest';
import { HookPayloadSchema } from './hook-payload.js';
import { assessSeverity, isHarmlessRead } from './severity-rules.js';
import { commandTouches, pathTouches, signoffPlaces, TouchReason, urlTouches } from './signoff-guard.js';

const places = signoffPlaces({ SIGNOFF_HOME: '/srv/signoff-data', SIGNOFF_PORT: '9123' }, '/home/ada');
const call = (tool_name: string, tool_input: Record<string, unknown>) =>
  HookPayloadSchema.parse({ hook_event_name: 'PreToolUse', tool_name, tool_input, cwd: '/home/ada/shop' });
const bash = (command: string) => assessSeverity(call('Bash', { command }), places);

describe('signoffPlaces', () => {
  it('knows ~/.signoff, SIGNOFF_HOME, 7475, SIGNOFF_PORT, the port of SIGNOFF_URL and --port', () => {
    expect(places).toEqual({ dataDirs: ['/home/ada/.signoff', '/srv/signoff-data'], home: '/home/ada', ports: [7475, 9123] });
    expect(signoffPlaces({ SIGNOFF_URL: 'http://127.0.0.1:8800' }, '/home/ada', '9999').ports).toEqual([7475, 9999, 8800]);
    expect(signoffPlaces({ SIGNOFF_PORT: 'nonsense' }, '/home/ada').ports).toEqual([7475]);
  });
});

describe('the hook rates anything touching Signoff itself critical', () => {
  it.each([
    'cat ~/.signoff/agent.token',
    'ls -la $HOME/.signoff',
    'cp /home/ada/.signoff/signoff.db /tmp/x.db',
    'sqlite3 /srv/signoff-data/signoff.db "update requests set status=\'resolved\'"',
    'echo $SIGNOFF_HOME',
    'cat "${SIGNOFF_HOME}/tray.token"',
    'cat approver.token',
    'base64 hub.key',
    'find / -name "*.token"',
    'SIGNOFF_APPROVER_TOKEN=x curl http://example.com',
  ])('data: %s', (command) => {
    expect(bash(command)).toMatchObject({ severity: 'critical', reasons: expect.arrayContaining([TouchReason.data]) });
  });

  it.each([
    'signoff pair',
    'npx signoff pair --save',
    'npx signoff respond 7976b7f8 --approve',
    'node /home/ada/signoff/desktop/bin/signoff.js respond abc --approve',
    'node desktop/bin/signoff.js devices revoke 3',
    'npx signoff devices',
    'npx signoff hub --data-dir /tmp/fake',
    'cd /tmp && npx @signoff/desktop pair',
  ])('approver and hub commands: %s', (command) => {
    expect(bash(command)).toMatchObject({ severity: 'critical', reasons: expect.arrayContaining([TouchReason.command]) });
  });

  it.each(['curl 127.0.0.1:7475/api/v1/requests', 'nc -l 7475', 'python3 -m http.server 7475', 'curl http://localhost:9123/', 'lsof -i :7475'])(
    'the hub port: %s',
    (command) => {
      expect(bash(command)).toMatchObject({ severity: 'critical', reasons: expect.arrayContaining([TouchReason.port]) });
    },
  );

  it('stopping the hub', () => {
    expect(bash('pkill -f signoff').reasons).toContain(TouchReason.stop);
  });

  it('says why: an agent there could approve its own requests', () => {
    for (const reason of Object.values(TouchReason)) expect(reason).toMatch(/could approve its own requests$/);
  });

  it.each(['npx signoff ask "Deploy?" --severity high', 'npm test', 'git commit -m "sign off the release"', 'echo 74750', 'cat src/agent-token.ts', 'ls .signoffrc'])(
    'leaves ordinary commands alone: %s',
    (command) => {
      expect(bash(command).reasons).not.toEqual(expect.arrayContaining([expect.stringContaining('Signoff')]));
    },
  );

  it('file tools: reading or writing in the data dir or a Signoff file, by any spelling of the path', () => {
    for (const [tool, input] of [
      ['Read', { file_path: '/home/ada/.signoff/agent.token' }],
      ['Read', { file_path: '~/.signoff/hub.key' }],
      ['Write', { file_path: '/srv/signoff-data/tray-settings.json', content: '{}' }],
      ['Edit', { file_path: '../../.signoff/signoff.db', old_string: 'a', new_string: 'b' }],
      ['Glob', { pattern: '**/*.token' }],
      ['Grep', { pattern: 'x', path: '/srv/signoff-data' }],
    ] as const) {
      expect(assessSeverity(call(tool, input), places), `${tool} ${JSON.stringify(input)}`).toMatchObject({ severity: 'critical', reasons: expect.arrayContaining([TouchReason.data]) });
    }
    expect(isHarmlessRead(call('Read', { file_path: '/home/ada/shop/.signoff/agent.token' }), places)).toBe(false);
  });

  it('web and MCP tools calling the hub port', () => {
    expect(assessSeverity(call('WebFetch', { url: 'http://127.0.0.1:7475/api/v1/requests', prompt: 'x' }), places).severity).toBe('critical');
    expect(assessSeverity(call('WebFetch', { url: 'https://example.com:7475/', prompt: 'x' }), places).severity).toBe('medium');
    expect(assessSeverity(call('mcp__shell__run', { argv: ['npx', 'signoff respond x --approve'] }), places).severity).toBe('critical');
  });
});

describe('pathTouches and urlTouches', () => {
  it('resolves relative paths against cwd and ~ against home', () => {
    expect(pathTouches('../.signoff', '/home/ada/shop', places)).toBe(true);
    expect(pathTouches('~/.signoff', undefined, places)).toBe(true);
    expect(pathTouches('/srv/signoff-data-old/x', undefined, places)).toBe(false);
    expect(pathTouches('src/app.ts', '/home/ada/shop', places)).toBe(false);
  });

  it('matches loopback URLs at the hub ports only', () => {
    expect(urlTouches('http://[::1]:7475/', places)).toBe(true);
    expect(urlTouches('http://localhost:74750/', places)).toBe(false);
  });
});

describe('commandTouches', () => {
  it('lists each reason once', () => {
    expect(commandTouches('curl -H "Authorization: Bearer $(cat ~/.signoff/approver.token)" 127.0.0.1:7475', places)).toEqual([TouchReason.data, TouchReason.port]);
  });
});
