import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ElicitRequestSchema, type CallToolResult, type ClientCapabilities, type ElicitRequestFormParams, type ElicitResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { SIGNOFF_BIN } from './cli.js';

export interface McpSession {
  client: Client;
  /** What `signoff mcp` wrote to stderr so far. */
  stderr(): string;
  close(): Promise<void>;
}

export interface McpSessionOptions {
  /**
   * Declare the elicitation capability (`{}` is what clients written against MCP
   * 2025-06-18 send, meaning form mode) and answer each `elicitation/create` with this.
   */
  elicitation?: { capability: NonNullable<ClientCapabilities['elicitation']>; answer: (params: ElicitRequestFormParams) => ElicitResult | Promise<ElicitResult> };
}

/**
 * Spawns the built `signoff mcp` and connects the MCP SDK's own `Client` to it
 * over stdio, introducing itself as `clientName` (which becomes the agentId).
 */
export async function startMcpSession(
  env: Record<string, string>,
  clientName = 'test-agent',
  args: string[] = [],
  options: McpSessionOptions = {},
): Promise<McpSession> {
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
  const { elicitation } = options;
  const client = new Client({ name: clientName, version: '1.0.0' }, elicitation ? { capabilities: { elicitation: elicitation.capability } } : {});
  if (elicitation) client.setRequestHandler(ElicitRequestSchema, (request) => elicitation.answer(request.params as ElicitRequestFormParams));
  await client.connect(transport);
  return { client, stderr: () => stderr, close: () => client.close() };
}

/**
 * Checks tool results against the `outputSchema` each tool lists, independently of
 * the SDK Client's own check (which runs only for tools it has listed): a result
 * must not be an error, must carry `structuredContent` that validates, and its text
 * must be that same JSON.
 */
export function outputSchemaCheck(tools: readonly Tool[]): (toolName: string, result: unknown) => Record<string, unknown> {
  const ajv = new AjvJsonSchemaValidator();
  const validators = new Map(
    tools.map((tool) => {
      if (!tool.outputSchema) throw new Error(`${tool.name} lists no outputSchema`);
      return [tool.name, ajv.getValidator<Record<string, unknown>>(tool.outputSchema)] as const;
    }),
  );
  return (toolName, result) => {
    const { isError, structuredContent, content } = result as CallToolResult;
    if (isError) throw new Error(`${toolName} returned an error result: ${JSON.stringify(content)}`);
    if (!structuredContent) throw new Error(`${toolName} returned no structuredContent`);
    const checked = validators.get(toolName)!(structuredContent);
    if (!checked.valid) throw new Error(`${toolName}: structuredContent does not match its outputSchema: ${checked.errorMessage}`);
    const text = content.length === 1 && content[0]!.type === 'text' ? content[0]!.text : undefined;
    if (text === undefined || !sameJson(text, structuredContent)) {
      throw new Error(`${toolName}: the text content is not the structuredContent as JSON`);
    }
    return structuredContent;
  };
}

function sameJson(text: string, value: unknown): boolean {
  try {
    return JSON.stringify(JSON.parse(text)) === JSON.stringify(value);
  } catch {
    return false;
  }
}
