import { homedir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_PORT } from '@signoff/shared';
import { describe, expect, it } from 'vitest';
import { resolveDataDir, resolveHubUrl, resolvePort, resolvePublicUrl } from './config.js';
import { UsageError } from './usage-error.js';

describe('resolveDataDir', () => {
  it('prefers the flag', () => {
    expect(resolveDataDir('/srv/signoff', { SIGNOFF_HOME: '/home/me/.so' })).toBe('/srv/signoff');
  });

  it('then SIGNOFF_HOME', () => {
    expect(resolveDataDir(undefined, { SIGNOFF_HOME: '/home/me/.so' })).toBe('/home/me/.so');
  });

  it('then ~/.signoff, also when SIGNOFF_HOME is empty', () => {
    expect(resolveDataDir(undefined, {})).toBe(join(homedir(), '.signoff'));
    expect(resolveDataDir(undefined, { SIGNOFF_HOME: '' })).toBe(join(homedir(), '.signoff'));
  });
});

describe('resolvePort', () => {
  it('prefers the flag, then SIGNOFF_PORT, then 7475', () => {
    expect(DEFAULT_PORT).toBe(7475);
    expect(resolvePort('9000', { SIGNOFF_PORT: '8000' })).toBe(9000);
    expect(resolvePort(undefined, { SIGNOFF_PORT: '8000' })).toBe(8000);
    expect(resolvePort(undefined, {})).toBe(7475);
    expect(resolvePort(undefined, { SIGNOFF_PORT: '' })).toBe(7475);
  });

  it('accepts 0 (any free port) and 65535', () => {
    expect(resolvePort('0', {})).toBe(0);
    expect(resolvePort('65535', {})).toBe(65535);
  });

  // Number() would read ' ' as 0 (a random port) and '0x1f90' as 8080: only plain digits are a port.
  it.each(['65536', '-1', '80.5', 'http', 'NaN', ' ', '0x1f90', '8e3', '+80', ' 8080'])('refuses %j', (raw) => {
    expect(() => resolvePort(raw, {})).toThrow(UsageError);
    expect(() => resolvePort(raw, {})).toThrow(`port must be 0-65535, not ${JSON.stringify(raw)}`);
    expect(() => resolvePort(undefined, { SIGNOFF_PORT: raw })).toThrow(UsageError);
  });
});

describe('resolveHubUrl', () => {
  it('uses SIGNOFF_URL without its trailing slash', () => {
    expect(resolveHubUrl(undefined, { SIGNOFF_URL: 'http://10.0.0.5:7475/' })).toBe('http://10.0.0.5:7475');
    expect(resolveHubUrl(undefined, { SIGNOFF_URL: 'http://hub.lan:9000' })).toBe('http://hub.lan:9000');
  });

  it('lets --port win over SIGNOFF_URL', () => {
    expect(resolveHubUrl('9001', { SIGNOFF_URL: 'http://hub.lan:9000' })).toBe('http://127.0.0.1:9001');
  });

  it('falls back to 127.0.0.1 at the resolved port', () => {
    expect(resolveHubUrl(undefined, {})).toBe('http://127.0.0.1:7475');
    expect(resolveHubUrl(undefined, { SIGNOFF_PORT: '8123' })).toBe('http://127.0.0.1:8123');
    expect(resolveHubUrl(undefined, { SIGNOFF_URL: '', SIGNOFF_PORT: '8123' })).toBe('http://127.0.0.1:8123');
  });

  it('refuses a bad port', () => {
    expect(() => resolveHubUrl('nope', {})).toThrow(UsageError);
  });
});

describe('a bad port, named', () => {
  it('says which of --port and SIGNOFF_PORT is wrong, with the SDK’s message', () => {
    expect(() => resolvePort('abc', {})).toThrow('--port: port must be 0-65535, not "abc"');
    expect(() => resolvePort(undefined, { SIGNOFF_PORT: 'abc' })).toThrow('SIGNOFF_PORT: port must be 1-65535, not "abc"');
    expect(() => resolveHubUrl(undefined, { SIGNOFF_PORT: '70000' })).toThrow(UsageError);
    expect(() => resolveHubUrl(undefined, { SIGNOFF_PORT: '70000' })).toThrow('SIGNOFF_PORT: port must be 1-65535, not "70000"');
  });

  it('refuses SIGNOFF_PORT=0 (clients could not find that hub) and a client --port 0, but lets the hub listen on --port 0', () => {
    expect(() => resolvePort(undefined, { SIGNOFF_PORT: '0' })).toThrow('SIGNOFF_PORT: port must be 1-65535, not "0"');
    expect(() => resolveHubUrl('0', {})).toThrow('--port: port must be 1-65535, not "0"');
    expect(resolvePort('0', { SIGNOFF_PORT: '0' })).toBe(0);
  });
});

describe('resolvePublicUrl', () => {
  it('takes --public-url over SIGNOFF_PUBLIC_URL, and neither is none', () => {
    const env = { SIGNOFF_PUBLIC_URL: 'https://from-env.test' };
    expect(resolvePublicUrl('https://Flag.test:8443/', env)).toBe('https://flag.test:8443');
    expect(resolvePublicUrl(undefined, env)).toBe('https://from-env.test');
    expect(resolvePublicUrl(undefined, { SIGNOFF_PUBLIC_URL: '' })).toBeUndefined();
    expect(resolvePublicUrl(undefined, {})).toBeUndefined();
  });

  it('refuses plain http as a usage error naming where it came from', () => {
    expect(() => resolvePublicUrl('http://box.lan', {})).toThrow(UsageError);
    expect(() => resolvePublicUrl('http://box.lan', {})).toThrow(/^--public-url: must be https/);
    expect(() => resolvePublicUrl(undefined, { SIGNOFF_PUBLIC_URL: 'https://box.lan/x' })).toThrow(/^SIGNOFF_PUBLIC_URL: .*no path/);
  });
});
