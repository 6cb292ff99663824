import type { Readable, Writable } from "node:stream";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { createMcpServer, type McpServerDeps } from "./server.js";

/**
 * Runs the MCP server over stdin/stdout until the client disconnects (stdin ends): the entry
 * point of `catdata mcp` and of desktop clients (Claude Desktop: command `npx`, args
 * `["catdata", "mcp"]`). stdout carries the protocol only; anything else must go to stderr.
 */
export async function runStdioServer(
  deps: McpServerDeps,
  streams: { stdin?: Readable; stdout?: Writable } = {},
): Promise<void> {
  const stdin = streams.stdin ?? process.stdin;
  const server = createMcpServer(deps);
  const transport = new StdioServerTransport(stdin, streams.stdout ?? process.stdout);
  const closed = new Promise<void>((resolve) => {
    server.server.onclose = resolve;
  });
  stdin.once("end", () => void server.close());
  await server.connect(transport);
  await closed;
}
