/**
 * Pins the behaviour tools through the SDK's own client over an in-memory transport, on a lake
 * holding a synthetic week: list_principals, get_principal_profile, predict_next_actions and
 * list_anomalies are listed read-only with every input described, answer with structured content
 * in their declared shapes, and report an unknown principal or a bad time as a tool error.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syntheticLake } from "../../testing/behaviour.js";
import { createMcpServer } from "../server.js";

let client: Client;
beforeAll(async () => {
  const lake = await syntheticLake(1);
  const server = createMcpServer({ behaviour: lake.service(), trail: lake.trail, version: "0.0.0-test" });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  client = new Client({ name: "test", version: "1.0.0" });
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
});
afterAll(async () => client.close());

const TOOLS = ["list_principals", "get_principal_profile", "predict_next_actions", "list_anomalies"];

async function call(name: string, args: Record<string, unknown>) {
  const result = await client.callTool({ name, arguments: args });
  const text = (result.content as { type: string; text: string }[])[0]?.text ?? "";
  return { result, text, data: result.structuredContent as Record<string, unknown> | undefined };
}

describe("behaviour tools", () => {
  it("are listed read-only, with every input described", async () => {
    const { tools } = await client.listTools();
    for (const name of TOOLS) {
      const tool = tools.find((t) => t.name === name);
      expect([name, tool?.annotations?.readOnlyHint, tool?.annotations?.destructiveHint]).toEqual([name, true, false]);
      for (const [field, schema] of Object.entries(tool?.inputSchema.properties ?? {})) {
        expect([name, field, (schema as { description?: string }).description]).toEqual([
          name,
          field,
          expect.any(String),
        ]);
      }
    }
  });

  it("list principals and profile one", async () => {
    const { data } = await call("list_principals", { limit: 2 });
    expect(data?.total).toBe(5);
    const principals = data?.principals as { principal: string }[];
    expect(principals).toHaveLength(2);
    const profile = await call("get_principal_profile", { principal: "carol", timeZone: "Asia/Tokyo", top: 2 });
    expect(profile.data).toMatchObject({ principal: "iam-user:111122223333/carol", principalType: "IAMUser" });
    const activity = profile.data?.activity as { eventsByHourOfWeek: number[] } | undefined;
    expect(activity?.eventsByHourOfWeek).toHaveLength(168);
    expect(JSON.parse(profile.text).principal).toBe("iam-user:111122223333/carol");
  });

  it("predict next actions after given calls, or for a new session", async () => {
    const after = await call("predict_next_actions", {
      principal: "bob",
      after: ["glue.amazonaws.com:GetDatabases"],
      top: 2,
    });
    const predictions = after.data?.predictions as { eventKey: string; probability: number }[];
    expect(predictions[0]?.eventKey).toBe("glue.amazonaws.com:GetTables");
    expect(predictions.every((p) => p.probability > 0 && p.probability <= 1)).toBe(true);
    const fresh = await call("predict_next_actions", { principal: "backup-job", newSession: true, top: 1 });
    const first = (fresh.data?.predictions as { eventKey: string }[] | undefined)?.[0];
    expect(first?.eventKey).toBe("rds.amazonaws.com:DescribeDBInstances");
  });

  it("list anomalies with reasons, ranked", async () => {
    const { data } = await call("list_anomalies", { limit: 4, principal: "alice" });
    const anomalies = data?.anomalies as {
      principal: string;
      score: number;
      reasons: { kind: string; contribution: number }[];
    }[];
    expect(anomalies.length).toBeGreaterThan(0);
    expect(anomalies.every((a) => a.principal === "iam-user:111122223333/alice")).toBe(true);
    for (const a of anomalies)
      expect(a.score).toBeCloseTo(
        a.reasons.reduce((s, r) => s + r.contribution, 0),
        1,
      );
  });

  it("report an unknown principal or a bad time as a tool error", async () => {
    const unknown = await call("get_principal_profile", { principal: "mallory" });
    expect(unknown.result.isError).toBe(true);
    expect(unknown.text).toMatch(/no principal "mallory".*catdata trail principals/);
    const badTime = await call("list_anomalies", { since: "last tuesday" });
    expect(badTime.result.isError).toBe(true);
    expect(badTime.text).toMatch(/not a time/);
  });
});
