import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ElicitResultSchema, ErrorCode as McpErrorCode, McpError, type CallToolResult, type ServerNotification, type ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { SignoffClient } from '@signoff/shared/agent';
import { ErrorCode, SignoffError } from '@signoff/shared/protocol/errors';
import { silentLogger, toError, type CreateRequestInput, type Logger } from '@signoff/shared';
import { HUB_VERSION } from '../../hub/version.js';
import { answerLostText, hubDownText, type AskedRequest } from './decision-text.js';
import { elicitationParams, elicitationTimeoutMs, elicitedDecision, isElicitable, supportsFormElicitation, type ElicitableRequest } from './elicitation.js';
import { SIGNOFF_TOOLS, toolRequest, type SignoffTool } from './tool-definitions.js';
import { cancelledCallOutput, decisionOutput, toolOutputSchema, toolResult, unavailableOutput, VIA_ELICITATION } from './tool-output.js';

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
  /** @default Date.now */
  now?: () => number;
}

export interface SignoffMcpServer {
  readonly server: McpServer;
  /** Cancels the requests still waiting at the hub (nobody will read their answer) and disconnects. */
  close(): Promise<void>;
}

/** Fallback `agentId` when the client sent no name. */
export const DEFAULT_MCP_AGENT_ID = 'mcp-client';
type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** A call the model must fix: an error result, the only kind without structured content. */
const errorResult = (body: string): CallToolResult => ({ content: [{ type: 'text', text: body }], isError: true });

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
    // The SDK (socket.io-client) loads with the first tool call: `tools/list` answers without it.
    this.connecting ??= import('@signoff/shared/agent').then(({ connect }) => connect({ agentId, url: this.options.url, ...(this.options.token ? { token: this.options.token } : {}) })).finally(() => {
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
 * each creating a request at the hub and returning once it is decided. The result's
 * `structuredContent` (see {@link toolOutputSchema}) holds the decision and the
 * instruction the model must follow; its text is the same JSON.
 */
export function createSignoffMcpServer(options: SignoffMcpOptions): SignoffMcpServer {
  const logger = options.logger ?? silentLogger;
  const server = new McpServer({ name: 'signoff', title: 'Signoff', version: HUB_VERSION });
  const link = new HubLink(options);
  const waiting = new Set<string>();
  const now = options.now ?? Date.now;

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

  /**
   * The hub could not take the request. An approval or a question is put to the
   * user through the client when it can show a form (the person still gets asked);
   * otherwise the result says plainly that nobody could be asked.
   */
  const withoutHub = async (tool: SignoffTool, request: CreateRequestInput, asked: AskedRequest, problem: string, extra: Extra): Promise<CallToolResult> => {
    const client = server.server.getClientVersion()?.name ?? 'the MCP client';
    if (!isElicitable(request)) return toolResult(unavailableOutput(hubDownText(options.url, problem), problem));
    if (!supportsFormElicitation(server.server.getClientCapabilities())) {
      return toolResult(unavailableOutput(hubDownText(options.url, problem, client), problem));
    }
    try {
      return toolResult(await elicit(request, asked, client, extra));
    } catch (error) {
      if (extra.signal.aborted) return toolResult(cancelledCallOutput(undefined));
      const failed = `${problem}; asking the user through ${client} failed too: ${toError(error).message}`;
      logger.warn(`${tool.name}: elicitation failed:`, toError(error).message);
      return toolResult(unavailableOutput(hubDownText(options.url, failed), failed));
    }
  };

  const elicit = async (request: ElicitableRequest, asked: AskedRequest, client: string, extra: Extra) => {
    const timeout = elicitationTimeoutMs(request);
    const startedAt = now();
    const preface = `Signoff's hub is not running, so ${client} asked the user directly.`;
    let result;
    try {
      // Not server.elicitInput: it refuses clients that declare `elicitation: {}`, which MCP 2025-11-25 reads as form mode.
      result = await server.server.request({ method: 'elicitation/create', params: elicitationParams(request, agentId()) }, ElicitResultSchema, {
        signal: extra.signal,
        timeout,
      });
    } catch (error) {
      if (!(error instanceof McpError && error.code === McpErrorCode.RequestTimeout)) throw error;
      const reason = `No human answered within ${Math.round(timeout / 60_000)} min.`;
      return decisionOutput(asked, { status: 'expired', response: null, respondedBy: 'timeout', via: 'timeout', reason, respondedAt: now(), waitMs: now() - startedAt }, preface);
    }
    return decisionOutput(asked, { ...elicitedDecision(request, result, startedAt, now()), via: VIA_ELICITATION }, preface);
  };

  const call = async (tool: SignoffTool, args: Record<string, unknown>, extra: Extra): Promise<CallToolResult> => {
    const built = toolRequest(tool, args, agentId());
    // A malformed call is the model's to fix, so this one is an error result.
    if (!built.ok) return errorResult(`Invalid arguments for ${tool.name}: ${built.error.message}`);
    const request = built.data;
    const asked: AskedRequest = {
      kind: tool.kind,
      toolName: tool.name,
      ...('options' in request && request.options ? { options: request.options } : {}),
      ...('alternatives' in request && request.alternatives ? { alternatives: request.alternatives } : {}),
    };
    const stopProgress = reportProgress(extra);
    let id: string | undefined;
    try {
      let client: SignoffClient;
      try {
        client = await link.get(agentId());
      } catch (error) {
        return await withoutHub(tool, request, asked, toError(error).message, extra);
      }
      const created = await client.submit(request);
      id = created.id;
      waiting.add(id);
      const decision = created.decision ?? (await client.waitFor(created.id, { signal: extra.signal }));
      return toolResult(decisionOutput(asked, decision));
    } catch (error) {
      const err = toError(error);
      if (err instanceof SignoffError && err.code === ErrorCode.invalid) return errorResult(`The hub refused ${tool.name}: ${err.message}`);
      if (extra.signal.aborted) return toolResult(cancelledCallOutput(id));
      logger.warn(`${tool.name} failed:`, err.message);
      // Before the hub took the request nobody has seen it, so asking through the client asks no one twice.
      if (id === undefined) return await withoutHub(tool, request, asked, err.message, extra);
      return toolResult(unavailableOutput(answerLostText(options.url, err.message), err.message));
    } finally {
      stopProgress();
      if (id !== undefined) waiting.delete(id);
    }
  };

  for (const tool of SIGNOFF_TOOLS) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.inputSchema,
        outputSchema: toolOutputSchema(tool.kind),
        annotations: { readOnlyHint: true, openWorldHint: false },
      },
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
