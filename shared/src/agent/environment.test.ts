import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, SignoffError } from '../protocol/errors.js';
import { parsePort, readVariable, resolveAgentToken, resolveDataDir, resolveHubUrl, resolvePort } from './environment.js';

/** What `fn` threw, for checking its class, code and message together. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('readVariable', () => {
  it('treats an empty value as unset', () => {
    expect(readVariable('SIGNOFF_URL', { SIGNOFF_URL: '' })).toBeUndefined();
    expect(readVariable('SIGNOFF_URL', {})).toBeUndefined();
    expect(readVariable('SIGNOFF_URL', { SIGNOFF_URL: 'http://x' })).toBe('http://x');
  });
});

describe('parsePort', () => {
  it('reads plain digits in range', () => {
    expect(parsePort('1', 'SIGNOFF_PORT')).toBe(1);
    expect(parsePort('7475', 'SIGNOFF_PORT')).toBe(7475);
    expect(parsePort('65535', 'SIGNOFF_PORT')).toBe(65535);
    expect(parsePort('0', '--port', true)).toBe(0);
  });

  // Number() would read ' ' as 0 and '0x1f90' as 8080: only plain digits are a port.
  it.each(['abc', '0', '70000', '65536', '80.5', '-1', ' ', '0x1f90', '8e3', '+80', ' 8080', 'NaN'])('refuses SIGNOFF_PORT=%j with one message naming the variable', (raw) => {
    const error = thrown(() => parsePort(raw, 'SIGNOFF_PORT'));
    expect(error).toBeInstanceOf(SignoffError);
    expect((error as SignoffError).code).toBe(ErrorCode.invalid);
    expect((error as SignoffError).message).toBe(`SIGNOFF_PORT: port must be 1-65535, not ${JSON.stringify(raw)}`);
  });

  it('allows 0 (any free port) only when asked, and says which range applies', () => {
    expect(() => parsePort('70000', '--port', true)).toThrow('--port: port must be 0-65535, not "70000"');
  });
});

describe('resolvePort', () => {
  it('prefers the flag, then SIGNOFF_PORT, then 7475', () => {
    expect(resolvePort({ flag: '9000', env: { SIGNOFF_PORT: '8000' } })).toBe(9000);
    expect(resolvePort({ env: { SIGNOFF_PORT: '8000' } })).toBe(8000);
    expect(resolvePort({ env: {} })).toBe(7475);
    expect(resolvePort({ flag: '', env: { SIGNOFF_PORT: '' } })).toBe(7475);
  });

  it('accepts --port 0 for a listener, never SIGNOFF_PORT=0 (clients read it too)', () => {
    expect(resolvePort({ flag: '0', env: {}, allowAnyPort: true })).toBe(0);
    expect(() => resolvePort({ flag: '0', env: {} })).toThrow('--port: port must be 1-65535, not "0"');
    expect(() => resolvePort({ env: { SIGNOFF_PORT: '0' }, allowAnyPort: true })).toThrow('SIGNOFF_PORT: port must be 1-65535, not "0"');
  });

  it('checks SIGNOFF_PORT only when no flag overrides it', () => {
    expect(resolvePort({ flag: '9000', env: { SIGNOFF_PORT: 'abc' } })).toBe(9000);
    expect(() => resolvePort({ env: { SIGNOFF_PORT: 'abc' } })).toThrow('SIGNOFF_PORT: port must be 1-65535, not "abc"');
  });
});

describe('resolveHubUrl', () => {
  it('uses SIGNOFF_URL without trailing slashes, and does not read SIGNOFF_PORT then', () => {
    expect(resolveHubUrl({ env: { SIGNOFF_URL: 'http://10.0.0.5:7475/' } })).toBe('http://10.0.0.5:7475');
    expect(resolveHubUrl({ env: { SIGNOFF_URL: 'http://hub.lan:9000', SIGNOFF_PORT: 'abc' } })).toBe('http://hub.lan:9000');
  });

  it('takes only an http(s) origin from SIGNOFF_URL, and says what is wrong with anything else', () => {
    expect(resolveHubUrl({ env: { SIGNOFF_URL: 'https://Box.Tailnet-Name.ts.net:443/' } })).toBe('https://box.tailnet-name.ts.net');
    expect(resolveHubUrl({ env: { SIGNOFF_URL: 'https://signoff.lan:8443' } })).toBe('https://signoff.lan:8443');
    const problem = (value: string) => () => resolveHubUrl({ env: { SIGNOFF_URL: value } });
    expect(problem('box.ts.net:7475')).toThrow('SIGNOFF_URL: must start with https:// or http://, not "box.ts.net:7475"');
    expect(problem('box.ts.net')).toThrow('SIGNOFF_URL: must be a URL such as https://box.example.ts.net or http://127.0.0.1:7475, not "box.ts.net"');
    expect(problem('wss://box.ts.net')).toThrow('SIGNOFF_URL: must start with https:// or http://');
    expect(problem('https://box.ts.net/signoff')).toThrow("SIGNOFF_URL: must be the hub's origin only (scheme, name and port), without a path");
    expect(problem('https://box.ts.net/?token=x')).toThrow("must be the hub's origin only");
    expect(problem('https://agent:secret@box.ts.net')).toThrow('SIGNOFF_URL: must not carry credentials (the token goes in SIGNOFF_TOKEN)');
  });

  it('lets --port win over SIGNOFF_URL', () => {
    expect(resolveHubUrl({ portFlag: '9001', env: { SIGNOFF_URL: 'http://hub.lan:9000' } })).toBe('http://127.0.0.1:9001');
  });

  it('falls back to 127.0.0.1 at SIGNOFF_PORT or 7475', () => {
    expect(resolveHubUrl({ env: {} })).toBe('http://127.0.0.1:7475');
    expect(resolveHubUrl({ env: { SIGNOFF_URL: '', SIGNOFF_PORT: '8123' } })).toBe('http://127.0.0.1:8123');
  });

  it('refuses a bad SIGNOFF_PORT instead of building a URL from it', () => {
    expect(() => resolveHubUrl({ env: { SIGNOFF_PORT: '80.5' } })).toThrow('SIGNOFF_PORT: port must be 1-65535, not "80.5"');
  });
});

describe('resolveDataDir', () => {
  it('prefers the flag, then SIGNOFF_HOME, then <home>/.signoff', () => {
    expect(resolveDataDir({ flag: '/srv/so', env: { SIGNOFF_HOME: '/data/so' } })).toBe('/srv/so');
    expect(resolveDataDir({ env: { SIGNOFF_HOME: '/data/so' }, homedir: '/home/ada' })).toBe('/data/so');
    expect(resolveDataDir({ env: { SIGNOFF_HOME: '' }, homedir: '/home/ada' })).toBe(join('/home/ada', '.signoff'));
    expect(resolveDataDir({ env: {} })).toBe(join(homedir(), '.signoff'));
  });
});

describe('resolveAgentToken', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('prefers SIGNOFF_TOKEN, else reads the data dir’s agent.token', () => {
    dir = mkdtempSync(join(tmpdir(), 'signoff-env-'));
    writeFileSync(join(dir, 'agent.token'), 'from-file\n');
    expect(resolveAgentToken({ env: { SIGNOFF_TOKEN: 'from-env', SIGNOFF_HOME: dir } })).toBe('from-env');
    expect(resolveAgentToken({ env: { SIGNOFF_HOME: dir } })).toBe('from-file');
    expect(resolveAgentToken({ env: {}, dataDir: dir })).toBe('from-file');
  });

  it('says how to get a token when there is none', () => {
    dir = mkdtempSync(join(tmpdir(), 'signoff-env-'));
    const error = thrown(() => resolveAgentToken({ env: { SIGNOFF_HOME: dir } }));
    expect((error as SignoffError).code).toBe(ErrorCode.unauthorized);
    expect((error as SignoffError).message).toBe(`no agent token: set SIGNOFF_TOKEN, or start the hub once (npx signoff hub) so it writes ${dir}/agent.token`);
  });
});
