import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { McpClient } from "@strands-agents/sdk";
import { CatdataError } from "../errors.js";
import type { McpDeps } from "../mcp/mcp-deps.js";
import { createMcpServer } from "../mcp/server.js";

/**
 * Where the agent's tools come from: the SDK's MCP client, linked in process to catdata's own MCP
 * server (the default: the MCP SDK's in-memory transport, the caller's claims applied), or over
 * Streamable HTTP to an MCP server elsewhere (CATDATA_AGENT_MCP_URL, a bearer token from the
 * environment). The agent reads the tool list from the client at run time.
 */
export interface AgentTools {
  client: McpClient;
  close(): Promise<void>;
}

export const AGENT_CLIENT_NAME = "catdata-agent";

export async function inProcessTools(deps: McpDeps): Promise<AgentTools> {
  const server = createMcpServer(deps);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new McpClient({
    transport: clientSide,
    applicationName: AGENT_CLIENT_NAME,
    applicationVersion: deps.version,
    disableMcpInstrumentation: true,
  });
  return {
    client,
    close: async () => {
      await client.disconnect();
      await server.close();
    },
  };
}

/** Connects at once, so a wrong URL or token fails with a message that names them. */
export async function httpTools(url: string, token: string | undefined, version: string): Promise<AgentTools> {
  const client = new McpClient({
    url,
    ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
    applicationName: AGENT_CLIENT_NAME,
    applicationVersion: version,
    disableMcpInstrumentation: true,
  });
  try {
    await client.connect();
  } catch (error) {
    await client.disconnect().catch(() => undefined);
    throw new CatdataError("UNAVAILABLE", `cannot use the MCP server at ${url}: ${(error as Error).message}`, {
      hint: "check CATDATA_AGENT_MCP_URL and CATDATA_AGENT_MCP_TOKEN (a token of a user allowed on /mcp), or unset the URL to use the tools in process",
      cause: error,
    });
  }
  return { client, close: () => client.disconnect() };
}
