import { parseArgs } from 'node:util';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createLogger } from '@signoff/shared';
import { createSignoffMcpServer } from '../../agents/mcp/mcp-server.js';
import { resolveHubUrl } from '../config.js';

export const mcpHelp = `signoff mcp [--agent-id NAME] [--port N]

Runs Signoff as an MCP server over stdio for MCP clients (Claude Code, Claude
Desktop, Cursor, …). Tools, each waiting for the human's answer:
  request_approval  approve an action before the agent takes it
  ask_human         a question with options, a free-text answer, or form fields
  review_draft      a draft (text, markdown, json) to accept, edit or reject
  checkpoint        progress of a long task: continue, modify or abort
  escalate          the agent is stuck: take over, continue, abort or delegate
Each result's structured content holds the decision and the instruction the model
must follow. Without a hub, request_approval and ask_human ask the user through
the client when it supports MCP elicitation; otherwise they say nobody was asked.
Options:
  --agent-id NAME   who is asking (default: the MCP client's name, e.g. claude-code)
  --port N          hub port (default SIGNOFF_URL, SIGNOFF_PORT or 7475)
Token: SIGNOFF_TOKEN, else <SIGNOFF_HOME or ~/.signoff>/agent.token.
stdout carries the protocol; messages go to stderr.`;

/** Serves MCP on stdin/stdout until the client closes stdin (or SIGINT/SIGTERM). */
export async function runMcp(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, strict: true, options: { 'agent-id': { type: 'string' }, port: { type: 'string' } } });
  const url = resolveHubUrl(values.port);
  // Everything human-readable goes to stderr: stdout is the JSON-RPC channel.
  const logger = createLogger('mcp', { log: console.error, warn: console.error, error: console.error });
  const signoff = createSignoffMcpServer({ url, logger, ...(values['agent-id'] ? { agentId: values['agent-id'] } : {}) });
  const transport = new StdioServerTransport();
  const ended = new Promise<void>((resolve) => {
    // The SDK's stdio transport does not notice the end of stdin; the client closing it means goodbye.
    process.stdin.once('end', resolve);
    process.stdin.once('close', resolve);
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await signoff.server.connect(transport);
  logger.info(`serving MCP on stdio; hub ${url}`);
  await ended;
  await signoff.close();
  return 0;
}
