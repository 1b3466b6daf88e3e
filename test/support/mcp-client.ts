import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { SIGNOFF_BIN } from './cli.js';

export interface McpSession {
  client: Client;
  /** What `signoff mcp` wrote to stderr so far. */
  stderr(): string;
  close(): Promise<void>;
}

/**
 * Spawns the built `signoff mcp` and connects the MCP SDK's own `Client` to it
 * over stdio, introducing itself as `clientName` (which becomes the agentId).
 */
export async function startMcpSession(env: Record<string, string>, clientName = 'test-agent', args: string[] = []): Promise<McpSession> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [SIGNOFF_BIN, 'mcp', ...args],
    env: { ...(process.env as Record<string, string>), SIGNOFF_URL: '', SIGNOFF_TOKEN: '', SIGNOFF_PORT: '', ...env },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const client = new Client({ name: clientName, version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => stderr, close: () => client.close() };
}
