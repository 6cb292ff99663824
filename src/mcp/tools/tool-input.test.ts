import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { strictInput } from "./tool-input.js";

describe("strictInput", () => {
  it("refuses an unknown argument as a tool error naming the arguments the tool takes", async () => {
    const server = new McpServer({ name: "t", version: "1" });
    server.registerTool(
      "echo",
      { inputSchema: strictInput("echo", { maxResults: z.number().optional(), startTime: z.string().optional() }) },
      async (args) => ({ content: [{ type: "text", text: JSON.stringify(args) }] }),
    );
    const [a, b] = InMemoryTransport.createLinkedPair();
    const client = new Client({ name: "c", version: "1" });
    await Promise.all([server.connect(a), client.connect(b)]);
    const bad = await client.callTool({ name: "echo", arguments: { max_results: 5 } });
    expect(bad.isError).toBe(true);
    expect(JSON.stringify(bad.content)).toContain(
      'echo does not take \\"max_results\\"; its arguments are maxResults, startTime',
    );
    const good = await client.callTool({ name: "echo", arguments: { maxResults: 5 } });
    expect(good.isError).toBeFalsy();
    expect(JSON.stringify(good.content)).toContain('{\\"maxResults\\":5}');
    await client.close();
  });
});
