import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { MUNICIPALITY_CODE } from "../../auth/groups.js";
import { exactKpiRow, type SuppressedKpiRow, suppressKpiRow } from "../../auth/kpi-suppression.js";
import { seesExactCounts } from "../../auth/policy.js";
import { authConfigSchema } from "../../config/auth-config.js";
import { CatdataError } from "../../errors.js";
import { KPI_MART } from "../../warehouse/build-read-sql.js";
import type { McpDeps } from "../mcp-deps.js";
import { DEFAULT_ANSWER_BYTES } from "./answer-budget.js";
import { readOnlyTool, strictInput } from "./tool-input.js";
import { fitPage, pageOffset, pageToken, pagingInput, toolResult } from "./tool-result.js";

/**
 * `query_cat_stats`: the cat-data KPIs (intakes, outcomes, live-release and euthanasia rates, median
 * stay, TNR, complaints) from the marts, per municipality and fiscal year or month. Read-only. The
 * caller's authorisation applies: the local operator (caller null) and whoever may see a
 * municipality's exact counts get its rows exact; anyone else gets small figures suppressed
 * (minimum cell `deps.minCell`, default the configuration's), listed per row in `suppressed`.
 * `basis` says where the figures came from. Paged under the answer budget.
 */
export const QUERY_CAT_STATS_TOOL = "query_cat_stats";
/** The configuration's default minimum cell (CATDATA_MIN_CELL), when the server was given none. */
export const DEFAULT_MIN_CELL: number = authConfigSchema.shape.CATDATA_MIN_CELL.parse(undefined);

const inputSchema = strictInput(QUERY_CAT_STATS_TOOL, {
  municipality: z
    .string()
    .regex(MUNICIPALITY_CODE, "a municipality code such as 131041 or us-tx-austin")
    .optional()
    .describe("全国地方公共団体コード (6 digits, e.g. 131041) or a code such as us-tx-austin; default all"),
  fiscalYear: z.number().int().min(1900).max(2100).optional().describe("Fiscal year (Japan: April–March), e.g. 2023"),
  period: z
    .enum(["fiscal_year", "month"])
    .optional()
    .describe("One row per municipality × fiscal_year (default) or × month"),
  ...pagingInput,
});

const outputSchema = {
  period: z.enum(["fiscal_year", "month"]),
  rows: z.array(
    z.looseObject({
      municipality: z.string(),
      fiscalYear: z.number(),
      suppressed: z.array(z.string()).describe("Figures withheld (null) from this caller"),
    }),
  ),
  total: z.number().describe("Rows matching the filter"),
  basis: z.object({
    source: z.string().describe("Where the figures come from"),
    suppression: z.string(),
    minCell: z.number(),
  }),
  nextToken: z.string().optional(),
  note: z.string().optional(),
};

export function registerQueryCatStatsTool(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    QUERY_CAT_STATS_TOOL,
    {
      title: "Query municipal cat-data KPIs",
      description:
        "Cat-data KPIs from catdata's marts, per municipality and fiscal year (or month): intakes (kitten/adult), " +
        "outcomes (adoptions, returns to owner, transfers, return to field, euthanasia, died in care), live-release " +
        "and euthanasia rates, median stay in days, TNR operations and subsidy, complaints. Filter by municipality, " +
        "fiscalYear and period. Small figures are suppressed (null, listed in `suppressed`) for callers who may not " +
        "see a municipality's exact counts.",
      inputSchema,
      outputSchema,
      annotations: readOnlyTool(),
    },
    async ({ municipality, fiscalYear, period, nextToken, maxBytes }) =>
      toolResult(async () => {
        const warehouse = deps.warehouse;
        if (!warehouse)
          throw new CatdataError("UNAVAILABLE", "this server has no cat-data marts (no warehouse is configured)", {
            hint: "ask about CloudTrail with the other tools; KPIs need the platform's warehouse",
          });
        const p = period ?? "fiscal_year";
        const query = { municipality, fiscalYear, period: p };
        const offset = pageOffset(QUERY_CAT_STATS_TOOL, query, nextToken);
        const minCell = deps.minCell ?? DEFAULT_MIN_CELL;
        const caller = deps.caller ?? null;
        const all = await warehouse.kpis({ period: p, municipality, fiscalYear });
        const rows: SuppressedKpiRow[] = all.map((row) =>
          caller === null || seesExactCounts(caller, row.municipality)
            ? exactKpiRow(row)
            : suppressKpiRow(row, minCell),
        );
        const basis = {
          source: `the ${KPI_MART[p]} mart, rebuilt from the lake after each load; fiscal-year rows say per row whether their figures came from records or published aggregates (basis)`,
          suppression:
            caller === null
              ? "none: the local operator sees exact counts"
              : `figures below ${minCell} are withheld where ${caller.username} may not see exact counts`,
          minCell,
        };
        const page = rows.slice(offset);
        const envelope = (items: SuppressedKpiRow[], token?: string) => ({
          period: p,
          rows: items,
          total: rows.length,
          basis,
          ...(token ? { nextToken: token } : {}),
          ...(rows.length === 0
            ? { note: "no KPI rows match: the marts are empty until the first load, or the filter matches none" }
            : {}),
        });
        const token = (at: number) => pageToken(QUERY_CAT_STATS_TOOL, query, at);
        const items = fitPage(page, {
          offset,
          total: rows.length,
          budget: maxBytes ?? DEFAULT_ANSWER_BYTES,
          token,
          wrap: envelope,
        });
        const end = offset + items.length;
        return envelope(items, end < rows.length ? token(end) : undefined);
      }),
  );
}
