import { UsageError } from './usage-error.js';

/** What `main` needs from a command module: its help text and how to run it. */
interface Command {
  help: string;
  run(args: string[]): number | Promise<number>;
}

/**
 * Each command is imported only when it is run: the hook runs on every Claude Code
 * tool call and `signoff --help` should answer at once, so neither may pay for the
 * hub's SQLite, the MCP SDK or the agent SDK's socket.io-client (see the README's
 * "Start-up time"). Keep this file free of static imports of anything heavy,
 * `@signoff/shared` included (its index builds every zod schema on load).
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  hub: async () => import('./commands/hub.js').then((m) => ({ help: m.hubHelp, run: m.runHub })),
  pair: async () => import('./commands/pair.js').then((m) => ({ help: m.pairHelp, run: m.runPair })),
  ask: async () => import('./commands/ask.js').then((m) => ({ help: m.askHelp, run: m.runAsk })),
  demo: async () => import('./commands/demo.js').then((m) => ({ help: m.demoHelp, run: m.runDemo })),
  mcp: async () => import('./commands/mcp.js').then((m) => ({ help: m.mcpHelp, run: m.runMcp })),
  hook: async () => import('./commands/hook.js').then((m) => ({ help: m.hookHelp, run: m.runHook })),
  list: async () => import('./commands/list.js').then((m) => ({ help: m.listHelp, run: m.runList })),
  respond: async () => import('./commands/respond.js').then((m) => ({ help: m.respondHelp, run: m.runRespond })),
  devices: async () => import('./commands/devices.js').then((m) => ({ help: m.devicesHelp, run: m.runDevices })),
  grants: async () => import('./commands/grants.js').then((m) => ({ help: m.grantsHelp, run: m.runGrants })),
  token: async () => import('./commands/token.js').then((m) => ({ help: m.tokenHelp, run: m.runToken })),
  policy: async () => import('./commands/policy.js').then((m) => ({ help: m.policyHelp, run: m.runPolicy })),
  audit: async () => import('./commands/audit.js').then((m) => ({ help: m.auditHelp, run: m.runAudit })),
  export: async () => import('./commands/export.js').then((m) => ({ help: m.exportHelp, run: m.runExport })),
};

export const MAIN_HELP = `signoff: a local sign-off desk for AI agents

Usage: signoff <command> [options]    (signoff <command> --help for more)
  hub      run the hub headless (REST + Socket.IO on 127.0.0.1:7475)
  pair     print a one-time code to pair the extension, the window or a script,
           once the running hub proved its key (--save pairs this terminal,
           --qr shows a phone a QR code of the hub's public URL)
  ask      ask a human from a shell script and wait for the decision
  mcp      serve the sign-off tools to an MCP client (Claude Code, Claude Desktop, Cursor…) on stdio
  hook     answer Claude Code's PreToolUse / PermissionRequest hook: signoff hook claude-code
  list     list requests waiting for a person (this terminal's device, or a token)
  respond  answer a request from the terminal: --approve | --reject "reason"
  devices  list paired devices; devices revoke ID cuts one off at once
  grants   list "always allow" grants; grants revoke ID ends one at once
  token    machine tokens for agents on other machines: token create NAME | list | revoke NAME
  policy   try policy.yaml: policy check | test '<request JSON>' [--review] | replay [--since 7d]
  audit    audit verify: check the hash chain of every decision the hub recorded
  export   every decision as JSON lines or CSV: [--since DATE] [--until DATE] [--format csv] [--out FILE]
  demo     send one request of each kind, to see every view fill

Environment: SIGNOFF_HOME (data dir, default ~/.signoff), SIGNOFF_PORT,
SIGNOFF_URL (full hub URL), SIGNOFF_TOKEN (agent token; on another machine, its
machine token), SIGNOFF_PUBLIC_URL (the hub's public URL, for hub and token create),
SIGNOFF_APPROVER_TOKEN (a bearer approver token for list, respond and grants over
REST, instead of this terminal's device key from pair --save).`;

/** Runs the CLI; returns the process exit code (2: usage or connection error). */
export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(MAIN_HELP);
    return name === undefined ? 2 : 0;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    console.error(`signoff: unknown command ${JSON.stringify(name)}\n\n${MAIN_HELP}`);
    return 2;
  }
  const command = await load();
  if (args.includes('--help') || args.includes('-h')) {
    console.log(command.help);
    return 0;
  }
  try {
    return await command.run(args);
  } catch (error) {
    // Loaded only on the way out, so a command that succeeds never pays for the shared index.
    const { SignoffError, toError } = await import('@signoff/shared');
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
