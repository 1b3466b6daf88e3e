import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { MachineInfo } from '@signoff/shared';
import { systemClock } from '../../hub/clock.js';
import { DB_FILE } from '../../hub/hub.js';
import { resolveDataDir, resolvePublicUrl } from '../config.js';
import { shortSpan } from '../request-lines.js';
import { withDataStore } from '../data-store.js';
import { UsageError } from '../usage-error.js';

export const tokenHelp = `signoff token create NAME [--public-url URL] [--data-dir DIR]
signoff token list [--json] [--data-dir DIR]
signoff token revoke NAME|ID [--data-dir DIR]

Machine tokens: the agent token of another machine (a build box, a laptop) that
reaches the hub through its public URL (signoff hub --public-url). This machine's
own agent token is refused there. Each machine's requests show "from NAME".
  create NAME  makes a token for NAME (letters, digits, . - _ and spaces; 1-64) and
               prints it once, alone on the last line; only its hash is kept. On that
               machine: SIGNOFF_URL=<public URL> SIGNOFF_TOKEN=<token> your agent.
               --public-url names the URL in that hint (default SIGNOFF_PUBLIC_URL)
  list         every machine token, revoked ones too: id, name, created, last used
  revoke       ends a machine's token at once, open connections included
Writes <data dir>/signoff.db directly: works whether or not the hub runs.
Exit: 0 done; 1 no live token by that name or id; 2 usage, or a name taken.`;

export function runToken(args: string[]): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: { json: { type: 'boolean' }, 'data-dir': { type: 'string' }, 'public-url': { type: 'string' } },
  });
  const dataDir = resolveDataDir(values['data-dir']);
  const [sub, ...rest] = positionals;
  if (sub === 'list') {
    if (rest.length > 0) throw new UsageError('token list takes no arguments');
    return listTokens(dataDir, values.json === true);
  }
  if (values.json) throw new UsageError('--json goes with token list');
  if (sub === 'create') {
    if (rest.length !== 1) throw new UsageError('token create needs exactly one NAME (quote a name with spaces)');
    return createToken(dataDir, rest[0]!, resolvePublicUrl(values['public-url']));
  }
  if (values['public-url'] !== undefined) throw new UsageError('--public-url goes with token create');
  if (sub === 'revoke') {
    if (rest.length !== 1 || !rest[0]) throw new UsageError('token revoke needs exactly one NAME or ID (see signoff token list)');
    return revokeToken(dataDir, rest[0]);
  }
  throw new UsageError(sub === undefined ? 'token needs a subcommand: create, list or revoke' : `unknown subcommand ${JSON.stringify(sub)}: create, list or revoke`);
}

function createToken(dataDir: string, name: string, publicUrl: string | undefined): number {
  const { machine, token } = withDataStore(dataDir, (store) => store.machines.create(name, systemClock.now()));
  console.log(
    `Machine token for "${machine.name}", shown only this once (the hub keeps its hash). On that machine: ` +
      `SIGNOFF_URL=${publicUrl ?? '<the hub\'s public URL>'} SIGNOFF_TOKEN=<this token> <your agent>`,
  );
  console.log(token);
  return 0;
}

/** `ID  NAME  created 3d ago  last used 5m ago  [revoked 1h ago]`. */
function machineLine(machine: MachineInfo, now: number, nameWidth: number): string {
  const ago = (at: number) => `${shortSpan(now - at)} ago`;
  return [
    machine.id,
    machine.name.padEnd(nameWidth),
    `created ${ago(machine.createdAt)}`,
    `last used ${machine.lastUsedAt === null ? 'never' : ago(machine.lastUsedAt)}`,
    ...(machine.revokedAt === null ? [] : [`revoked ${ago(machine.revokedAt)}`]),
  ].join('  ');
}

function listTokens(dataDir: string, json: boolean): number {
  const machines = existsSync(join(dataDir, DB_FILE)) ? withDataStore(dataDir, (store) => store.machines.list()) : [];
  if (json) {
    console.log(JSON.stringify(machines, null, 2));
    return 0;
  }
  if (machines.length === 0) {
    console.log('No machine tokens. Make one with: signoff token create NAME');
    return 0;
  }
  const width = Math.max(...machines.map((m) => m.name.length));
  const now = systemClock.now();
  for (const machine of machines) console.log(machineLine(machine, now, width));
  return 0;
}

function revokeToken(dataDir: string, nameOrId: string): number {
  const revoked = existsSync(join(dataDir, DB_FILE)) ? withDataStore(dataDir, (store) => store.machines.revoke(nameOrId, systemClock.now())) : undefined;
  if (!revoked) {
    console.error(`signoff token: no live machine token named or with id ${JSON.stringify(nameOrId)} (see signoff token list)`);
    return 1;
  }
  console.log(`Revoked the machine token of "${revoked.name}" (${revoked.id}); its agents are refused from now on.`);
  return 0;
}
