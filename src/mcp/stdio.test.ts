/**
 * Pins the stdio entry point:
 * - in process: it answers a JSON-RPC `initialize` on stdout as the catdata server and returns once
 *   stdin ends (the client went away)
 * - as a child process (`catdata mcp`, spawned by the SDK's own StdioClientTransport) over a data
 *   directory holding flaws2: the tools are listed, lookup_events answers the AWS Labs form with the
 *   real event, region is checked against AWS_REGION, lake_query ids live across calls, unknown
 *   arguments name the allowed ones, and every tool's default answer stays under DEFAULT_ANSWER_BYTES
 */
import path from "node:path";
import { PassThrough } from "node:stream";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { describe, expect, it } from "vitest";
import { DataDir } from "../local/data-dir.js";
import { emptyBehaviourLake } from "../testing/behaviour.js";
import { hasSamples, sample, tempDir } from "../testing/fixtures.js";
import { loadTrailFolder } from "../trail/lake/load-trail.js";
import { LocalTrailLake } from "../trail/lake/local-trail-lake.js";
import { runStdioServer } from "./stdio.js";
import { DEFAULT_ANSWER_BYTES } from "./tools/answer-budget.js";

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

describe.skipIf(!hasSamples)("catdata mcp as a child process", () => {
  it("serves the trail tools to the SDK's stdio client", { timeout: 120_000 }, async () => {
    const root = tempDir("catdata-stdio-");
    const home = path.join(root, "home");
    await loadTrailFolder(new LocalTrailLake(new DataDir(home).trail), sample("cloudtrail", "flaws2"));
    const { CATDATA_LOG_LEVEL: _level, ...inherited } = process.env;
    const env = {
      ...(inherited as Record<string, string>),
      CATDATA_HOME: home,
      CATDATA_KEY_FILE: path.join(root, "keys", "master.key"),
      CATDATA_DEMO: "false",
      CATDATA_LOG_LEVEL: "silent",
      AWS_REGION: "us-east-1",
    };
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [path.resolve("bin/catdata.js"), "mcp"],
      env,
      cwd: root,
      stderr: "pipe",
    });
    let stderr = "";
    transport.stderr?.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    const client = new Client({ name: "stdio-test", version: "1.0.0" });
    try {
      await client.connect(transport);
      const call = async (name: string, args: Record<string, unknown>) => {
        const result = await client.callTool({ name, arguments: args });
        const text = (result.content as { text: string }[])[0]?.text ?? "";
        return {
          isError: result.isError === true,
          text,
          structured: result.structuredContent as Record<string, unknown>,
        };
      };
      const { tools } = await client.listTools();
      const names = tools.map((t) => t.name);
      expect(names).toEqual(
        expect.arrayContaining([
          "lookup_events",
          "lake_query",
          "get_query_status",
          "get_query_results",
          "list_event_data_stores",
          "get_event_name_counts",
          "get_current_time",
        ]),
      );

      const byName = await call("lookup_events", {
        attribute_key: "EventName",
        attribute_value: "ListBuckets",
        max_results: 5,
        region: "us-east-1",
      });
      const events = byName.structured.events as { EventId: string; EventName: string }[];
      expect(events).toEqual([
        expect.objectContaining({ EventId: "65e111a0-83ae-4ba8-9673-16291a804873", EventName: "ListBuckets" }),
      ]);
      const otherRegion = await call("lookup_events", { region: "eu-west-1" });
      expect([otherRegion.isError, otherRegion.text]).toEqual([
        true,
        expect.stringContaining("configured for us-east-1"),
      ]);
      const unknown = await call("lookup_events", { username: "level1" });
      expect(unknown.text).toContain('lookup_events does not take "username"; its arguments are lookupAttributes');

      const query = await call("lake_query", {
        sql: "SELECT count(*)::INTEGER AS n FROM events WHERE error_code = 'AccessDenied'",
        wait_for_completion: false,
      });
      const rows = await call("get_query_results", { query_id: query.structured.query_id });
      expect(rows.structured.query_result_rows).toEqual([{ n: 5 }]);

      // Every tool's default answer (no arguments) stays within the budget, whatever it says.
      for (const tool of names) {
        const answer = await call(tool, {});
        expect([tool, Buffer.byteLength(answer.text) <= DEFAULT_ANSWER_BYTES]).toEqual([tool, true]);
      }
    } finally {
      await client.close();
    }
    expect(stderr).not.toMatch(/Error/);
  });
});
