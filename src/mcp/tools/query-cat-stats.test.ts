/**
 * Pins `query_cat_stats` through the SDK's own client, on demo data of two municipalities loaded
 * through the real pipeline and rebuilt into DuckDB marts:
 * - the local operator (caller null) gets the marts' rows exactly, filtered by municipality, fiscal
 *   year and period, with `basis` naming the mart and no suppression
 * - a staff member sees their own municipality exactly and another one suppressed at the minimum
 *   cell (the default from the configuration when the server was given none); a viewer sees every
 *   municipality suppressed
 * - the monthly rows page under the budget, every row once, in the marts' order
 * - no warehouse, unknown and malformed arguments are tool errors
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { suppressKpiRow } from "../../auth/kpi-suppression.js";
import type { Claims } from "../../auth/verifier.js";
import { emptyBehaviourLake, type TestBehaviourLake } from "../../testing/behaviour.js";
import { type DemoLake, loadDemoLake } from "../../testing/demo-lake.js";
import { McpTestClients } from "../../testing/mcp-client.js";
import { DuckDbWarehouse } from "../../warehouse/duckdb-warehouse.js";
import type { McpDeps } from "../mcp-deps.js";
import { DEFAULT_ANSWER_BYTES } from "./answer-budget.js";
import { DEFAULT_MIN_CELL } from "./query-cat-stats.js";

let demo: DemoLake;
let warehouse: DuckDbWarehouse;
let trail: TestBehaviourLake;
const mcp = new McpTestClients();

beforeAll(async () => {
  demo = await loadDemoLake(["131041", "231002"]);
  warehouse = new DuckDbWarehouse({ dir: demo.dataDir.warehouse });
  await warehouse.rebuild(demo.lake);
  trail = await emptyBehaviourLake();
});
afterAll(async () => {
  await mcp.closeAll();
  await warehouse.close();
  await demo.runtime.close();
});

async function connect(deps: Partial<McpDeps>): Promise<Client> {
  return mcp.connect({ behaviour: trail.service(), trail: trail.trail, version: "0.0.0-test", ...deps });
}

async function call(client: Client, args: Record<string, unknown>) {
  const result = await client.callTool({ name: "query_cat_stats", arguments: args });
  const text = (result.content as { text: string }[])[0]?.text ?? "";
  return { result, text, bytes: Buffer.byteLength(text), data: result.structuredContent as Record<string, unknown> };
}

const claims = (groups: Claims["groups"], municipality: string | null): Claims => ({
  sub: `u-${groups[0]}`,
  username: `${groups[0]}-user`,
  groups,
  municipality,
  tokenUse: "access",
});

describe("query_cat_stats", () => {
  it("gives the local operator the marts' rows exactly, filtered, with their basis", async () => {
    const client = await connect({ warehouse, caller: null });
    const expected = await warehouse.kpis({ period: "fiscal_year", municipality: "131041", fiscalYear: 2023 });
    expect(expected.length).toBe(1);
    const { data } = await call(client, { municipality: "131041", fiscalYear: 2023 });
    expect(data.rows).toEqual(expected.map((row) => ({ ...row, suppressed: [] })));
    expect(data).toMatchObject({ period: "fiscal_year", total: 1, basis: { minCell: DEFAULT_MIN_CELL } });
    expect((data.basis as { source: string; suppression: string }).source).toContain("mart_kpi_fiscal_year");
    expect((data.basis as { suppression: string }).suppression).toMatch(/^none/);
    const all = await call(client, {});
    expect((all.data.rows as { municipality: string }[]).map((r) => r.municipality).sort()).toEqual([
      "131041",
      "231002",
    ]);
  });

  it("suppresses small figures where the caller may not see exact counts", async () => {
    const rows = await warehouse.kpis({ period: "month" });
    const staff = await connect({ warehouse, caller: claims(["staff"], "131041"), minCell: 10 });
    const viewer = await connect({ warehouse, caller: claims(["viewer"], null) });
    const seen = { staff: [] as unknown[], viewer: [] as unknown[] };
    let pages = 0;
    for (const [who, client] of [
      ["staff", staff],
      ["viewer", viewer],
    ] as const) {
      let nextToken: string | undefined;
      do {
        const { data, bytes } = await call(client, { period: "month", ...(nextToken ? { nextToken } : {}) });
        expect(bytes).toBeLessThanOrEqual(DEFAULT_ANSWER_BYTES);
        seen[who].push(...(data.rows as unknown[]));
        nextToken = data.nextToken as string | undefined;
        pages += 1;
      } while (nextToken);
    }
    expect(pages).toBeGreaterThan(2);
    expect(seen.staff).toEqual(
      rows.map((row) => (row.municipality === "131041" ? { ...row, suppressed: [] } : suppressKpiRow(row, 10))),
    );
    expect(seen.viewer).toEqual(rows.map((row) => suppressKpiRow(row, DEFAULT_MIN_CELL)));
    // The demo's months are small enough that suppression shows.
    expect(seen.viewer.some((r) => (r as { suppressed: string[] }).suppressed.length > 0)).toBe(true);
  });

  it("answers no warehouse, unknown and malformed arguments as tool errors", async () => {
    const none = await call(await connect({}), {});
    expect(none.result.isError).toBe(true);
    expect(none.text).toMatch(/no cat-data marts/);
    const client = await connect({ warehouse, caller: null });
    const unknown = await call(client, { municipality_code: "131041" });
    expect(unknown.result.isError).toBe(true);
    expect(unknown.text).toContain('query_cat_stats does not take "municipality_code"; its arguments are municipality');
    const malformed = await call(client, { period: "week" });
    expect(malformed.result.isError).toBe(true);
  });
});
