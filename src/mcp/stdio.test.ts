/**
 * Pins the stdio entry point: it answers a JSON-RPC `initialize` on stdout as the catdata server
 * and returns once stdin ends (the client went away).
 */
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { emptyBehaviourLake } from "../testing/behaviour.js";
import { runStdioServer } from "./stdio.js";

describe("runStdioServer", () => {
  it("speaks MCP on stdout and stops when stdin ends", async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const lake = await emptyBehaviourLake();
    const running = runStdioServer(
      { behaviour: lake.service(), trail: lake.trail, version: "9.9.9" },
      { stdin, stdout },
    );
    const firstLine = new Promise<string>((resolve) => {
      let buffered = "";
      stdout.on("data", (chunk: Buffer) => {
        buffered += chunk.toString("utf8");
        const end = buffered.indexOf("\n");
        if (end >= 0) resolve(buffered.slice(0, end));
      });
    });
    const initialize = {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
    };
    stdin.write(`${JSON.stringify(initialize)}\n`);
    const reply = JSON.parse(await firstLine);
    expect(reply).toMatchObject({ id: 1, result: { serverInfo: { name: "catdata", version: "9.9.9" } } });
    expect(reply.result.capabilities.tools).toBeDefined();
    stdin.end();
    await expect(running).resolves.toBeUndefined();
  });
});
