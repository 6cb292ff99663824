import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { createMcpServer, type McpServerDeps } from "../mcp/server.js";

/**
 * MCP SDK clients linked in memory to catdata's MCP server, for the tool tests: `connect` builds a
 * server over `deps` and a client talking to it; `closeAll` (in an afterEach/afterAll) closes them.
 */
export class McpTestClients {
  private readonly clients: Client[] = [];

  async connect(deps: McpServerDeps): Promise<Client> {
    const server = createMcpServer(deps);
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const client = new Client({ name: "test", version: "1.0.0" });
    await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
    this.clients.push(client);
    return client;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.clients.splice(0).map((c) => c.close()));
  }
}
