import { SignoffError, toError } from '@signoff/shared';
import { askHelp, runAsk } from './commands/ask.js';
import { demoHelp, runDemo } from './commands/demo.js';
import { devicesHelp, runDevices } from './commands/devices.js';
import { hookHelp, runHook } from './commands/hook.js';
import { hubHelp, runHub } from './commands/hub.js';
import { listHelp, runList } from './commands/list.js';
import { mcpHelp, runMcp } from './commands/mcp.js';
import { pairHelp, runPair } from './commands/pair.js';
import { respondHelp, runRespond } from './commands/respond.js';
import { UsageError } from './usage-error.js';

const COMMANDS: Record<string, { help: string; run(args: string[]): number | Promise<number> }> = {
  hub: { help: hubHelp, run: runHub },
  pair: { help: pairHelp, run: runPair },
  ask: { help: askHelp, run: runAsk },
  demo: { help: demoHelp, run: runDemo },
  mcp: { help: mcpHelp, run: runMcp },
  hook: { help: hookHelp, run: runHook },
  list: { help: listHelp, run: runList },
  respond: { help: respondHelp, run: runRespond },
  devices: { help: devicesHelp, run: runDevices },
};

export const MAIN_HELP = `signoff: a local sign-off desk for AI agents

Usage: signoff <command> [options]    (signoff <command> --help for more)
  hub      run the hub headless (REST + Socket.IO on 127.0.0.1:7475)
  pair     print a one-time code to pair the extension, the window or a script,
           once the running hub proved its key (--save pairs this terminal)
  ask      ask a human from a shell script and wait for the decision
  mcp      serve the sign-off tools to an MCP client (Claude Code, Claude Desktop, Cursor…) on stdio
  hook     answer Claude Code's PreToolUse / PermissionRequest hook: signoff hook claude-code
  list     list requests waiting for a person (this terminal's device, or a token)
  respond  answer a request from the terminal: --approve | --reject "reason"
  devices  list paired devices; devices revoke ID cuts one off at once
  demo     send one request of each kind, to see every view fill

Environment: SIGNOFF_HOME (data dir, default ~/.signoff), SIGNOFF_PORT,
SIGNOFF_URL (full hub URL), SIGNOFF_TOKEN (agent token),
SIGNOFF_APPROVER_TOKEN (a bearer approver token for list and respond over REST,
instead of this terminal's device key from pair --save).`;

/** Runs the CLI; returns the process exit code (2: usage or connection error). */
export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(MAIN_HELP);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`signoff: unknown command ${JSON.stringify(name)}\n\n${MAIN_HELP}`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    console.log(command.help);
    return 0;
  }
  try {
    return await command.run(args);
  } catch (error) {
    const err = toError(error);
    if (err instanceof UsageError || (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`signoff ${name}: ${err.message}\n\n${command.help}`);
      return 2;
    }
    if (err instanceof SignoffError) {
      console.error(`signoff ${name}: ${err.message}`);
      return 2;
    }
    console.error(`signoff ${name}: ${err.stack ?? err.message}`);
    return 2;
  }
}
