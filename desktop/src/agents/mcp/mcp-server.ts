import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { connect, ErrorCode, SignoffError, type SignoffClient } from '@signoff/shared/agent';
import { silentLogger, toError, type Logger } from '@signoff/shared';
import { HUB_VERSION } from '../../hub/version.js';
import { decisionText, hubDownText } from './decision-text.js';
import { SIGNOFF_TOOLS, toolRequest, type SignoffTool } from './tool-definitions.js';

export interface SignoffMcpOptions {
  /** The hub's URL, e.g. `http://127.0.0.1:7475`. */
  url: string;
  /** @default SIGNOFF_TOKEN, else the data dir's `agent.token` (read at each connection attempt) */
  token?: string;
  /** @default the MCP client's name from the initialize handshake (`clientInfo.name`) */
  agentId?: string;
  /** How often a waiting call sends a progress notification, when the client gave a progress token. @default 20000 */
  progressIntervalMs?: number;
  /** @default silent (stdout belongs to the protocol; pass a stderr logger) */
  logger?: Logger;
}

export interface SignoffMcpServer {
  readonly server: McpServer;
  /** Cancels the requests still waiting at the hub (nobody will read their answer) and disconnects. */
  close(): Promise<void>;
}

/** Fallback `agentId` when the client sent no name. */
export const DEFAULT_MCP_AGENT_ID = 'mcp-client';
type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

const text = (body: string, extra: Partial<CallToolResult> = {}): CallToolResult => ({ content: [{ type: 'text', text: body }], ...extra });

/**
 * One connection to the hub, opened on the first tool call (the client's name is
 * known by then). While it is down the SDK keeps reconnecting in the background,
 * so calls already waiting keep their requests; new calls are told the hub is down.
 */
class HubLink {
  private client: SignoffClient | undefined;
  private connecting: Promise<SignoffClient> | undefined;

  constructor(private readonly options: SignoffMcpOptions) {}

  /** The connected client, or a thrown error saying why there is none. */
  async get(agentId: string): Promise<SignoffClient> {
    if (this.client) {
      if (this.client.connected) return this.client;
      throw new SignoffError(ErrorCode.unavailable, 'the connection to the hub dropped; it is reconnecting');
    }
    this.connecting ??= connect({ agentId, url: this.options.url, ...(this.options.token ? { token: this.options.token } : {}) }).finally(() => {
      this.connecting = undefined;
    });
    this.client = await this.connecting;
    return this.client;
  }

  current(): SignoffClient | undefined {
    return this.client;
  }

  close(): void {
    this.client?.close();
    this.client = undefined;
  }
}

/**
 * Builds the MCP server for `signoff mcp`: the tools of {@link SIGNOFF_TOOLS},
 * each creating a request at the hub and returning once it is decided, with the
 * decision as `structuredContent` and readable instructions as text.
 */
export function createSignoffMcpServer(options: SignoffMcpOptions): SignoffMcpServer {
  const logger = options.logger ?? silentLogger;
  const server = new McpServer({ name: 'signoff', title: 'Signoff', version: HUB_VERSION });
  const link = new HubLink(options);
  const waiting = new Set<string>();

  const agentId = () => {
    const name = options.agentId ?? server.server.getClientVersion()?.name?.trim();
    return name ? name.slice(0, 200) : DEFAULT_MCP_AGENT_ID;
  };

  /** Reports "still waiting" to clients that asked for progress, so their timeout can reset. */
  const reportProgress = (extra: Extra): (() => void) => {
    const token = extra._meta?.progressToken;
    if (token === undefined) return () => {};
    const started = Date.now();
    let ticks = 0;
    const timer = setInterval(() => {
      ticks += 1;
      const seconds = Math.round((Date.now() - started) / 1000);
      extra
        .sendNotification({
          method: 'notifications/progress',
          params: { progressToken: token, progress: ticks, message: `Waiting for a human to answer in Signoff (${seconds} s so far)` },
        })
        .catch((error: unknown) => logger.warn('could not send progress:', toError(error).message));
    }, options.progressIntervalMs ?? 20_000);
    return () => clearInterval(timer);
  };

  const call = async (tool: SignoffTool, args: Record<string, unknown>, extra: Extra): Promise<CallToolResult> => {
    const built = toolRequest(tool, args, agentId());
    // A malformed call is the model's to fix, so this one is an error result.
    if (!built.ok) return text(`Invalid arguments for ${tool.name}: ${built.error.message}`, { isError: true });
    let client: SignoffClient;
    try {
      client = await link.get(agentId());
    } catch (error) {
      return text(hubDownText(options.url, toError(error).message));
    }
    const stopProgress = reportProgress(extra);
    let id: string | undefined;
    try {
      const created = await client.submit(built.data);
      id = created.id;
      waiting.add(id);
      const decision = created.decision ?? (await client.waitFor(created.id, { signal: extra.signal }));
      const choices = 'options' in built.data ? built.data.options : undefined;
      const body = decisionText({ kind: tool.kind, toolName: tool.name, ...(choices ? { options: choices } : {}) }, decision);
      return text(body, { structuredContent: { ...decision } });
    } catch (error) {
      const err = toError(error);
      if (err instanceof SignoffError && err.code === ErrorCode.invalid) return text(`The hub refused ${tool.name}: ${err.message}`, { isError: true });
      if (extra.signal.aborted) return text('The call was cancelled; the request was withdrawn.');
      logger.warn(`${tool.name} failed:`, err.message);
      return text(hubDownText(options.url, err.message));
    } finally {
      stopProgress();
      if (id !== undefined) waiting.delete(id);
    }
  };

  for (const tool of SIGNOFF_TOOLS) {
    server.registerTool(
      tool.name,
      { title: tool.title, description: tool.description, inputSchema: tool.inputSchema, annotations: { readOnlyHint: true, openWorldHint: false } },
      (args: Record<string, unknown>, extra: Extra) => call(tool, args, extra),
    );
  }

  return {
    server,
    async close() {
      const client = link.current();
      if (client?.connected) await Promise.allSettled([...waiting].map((id) => client.cancel(id)));
      link.close();
      await server.close();
    },
  };
}
