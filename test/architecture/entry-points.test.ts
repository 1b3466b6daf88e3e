import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * What each entry point of the BUILT `@signoff/shared` loads in a fresh Node process,
 * as an agent or a host gets it: an agent that imports the SDK must not pull in Preact
 * or the approver UI. Runs against `shared/dist` (`npx tsc -b shared`).
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const recorder = pathToFileURL(fileURLToPath(new URL('./load-recorder.mjs', import.meta.url))).href;
const run = promisify(execFile);

/** The file URLs a fresh Node process loads for `await import(specifier)`, resolved from `cwd`. */
async function modulesLoadedBy(specifier: string, cwd = root): Promise<string[]> {
  const { stdout } = await run(process.execPath, ['--import', recorder, '--input-type=module', '-e', `await import(${JSON.stringify(specifier)})`], { cwd });
  return JSON.parse(stdout) as string[];
}

const PREACT = /\/node_modules\/(?:preact|@preact)\//;
const UI = /\/shared\/dist\/ui\//;
const SHARED_DIST = /\/shared\/dist\//;
const uiOf = (urls: string[]) => urls.filter((url) => PREACT.test(url) || UI.test(url));

beforeAll(() => {
  if (!existsSync(new URL('../../shared/dist/samples/requests.js', import.meta.url))) {
    throw new Error('shared/dist is missing or stale: build it first (npx tsc -b shared)');
  }
});

describe('entry points of @signoff/shared', () => {
  it.each(['@signoff/shared', '@signoff/shared/protocol', '@signoff/shared/agent', '@signoff/shared/agent/environment', '@signoff/shared/approver'])(
    '%s loads no Preact and nothing of the UI',
    async (specifier) => {
      const loaded = await modulesLoadedBy(specifier);
      expect(loaded.filter((url) => SHARED_DIST.test(url)).length).toBeGreaterThan(0);
      expect(uiOf(loaded)).toEqual([]);
    },
  );

  it('the recorder sees what the agent SDK brings: its client, the protocol, socket.io-client', async () => {
    const loaded = await modulesLoadedBy('@signoff/shared/agent');
    expect(loaded).toEqual(expect.arrayContaining([expect.stringMatching(/\/shared\/dist\/agent\/client\.js$/), expect.stringMatching(/\/shared\/dist\/protocol\/index\.js$/)]));
    expect(loaded.some((url) => url.includes('/node_modules/socket.io-client/'))).toBe(true);
  });

  it('the samples are pure data: they load nothing else', async () => {
    const loaded = await modulesLoadedBy('@signoff/shared/samples');
    expect(loaded.filter((url) => url.startsWith('file:'))).toEqual([expect.stringMatching(/\/shared\/dist\/samples\/requests\.js$/)]);
  });

  it('the connection wording loads nothing else: the hook reaches it on every tool call', async () => {
    const loaded = await modulesLoadedBy('@signoff/shared/agent/connect-problem');
    expect(loaded.filter((url) => url.startsWith('file:'))).toEqual([expect.stringMatching(/\/shared\/dist\/agent\/connect-problem\.js$/)]);
  });

  it('sees Preact and the UI where they are: @signoff/shared/ui', async () => {
    const loaded = uiOf(await modulesLoadedBy('@signoff/shared/ui'));
    expect(loaded).toEqual(expect.arrayContaining([expect.stringMatching(PREACT), expect.stringMatching(/\/shared\/dist\/ui\/index\.js$/)]));
  });
});
