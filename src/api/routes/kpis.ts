import { Hono } from "hono";
import { z } from "zod";
import { MUNICIPALITY_CODE } from "../../auth/groups.js";
import { exactKpiRow, suppressKpiRow } from "../../auth/kpi-suppression.js";
import { RULES, seesExactCounts } from "../../auth/policy.js";
import { CatdataError } from "../../errors.js";
import type { ApiDeps, ApiEnv } from "../context.js";
import { authorize } from "../middleware/authorize.js";
import { defineRoute } from "../openapi/registry.js";
import { resultJson } from "../result-json.js";

/** The route's query; anything else is a 400. */
export const kpisQuery = z.strictObject({
  period: z.enum(["fiscal_year", "month"]).default("fiscal_year"),
  municipality: z.string().regex(MUNICIPALITY_CODE, "a municipality code such as 131041 or us-tx-austin").optional(),
  fiscalYear: z.coerce.number().int().min(1900).max(2100).optional(),
});

export const kpiSpecs = [
  defineRoute({
    method: "get",
    path: "/kpis",
    operationId: "getKpis",
    summary: "Headline KPIs per municipality and fiscal year (or month) from the marts; small figures suppressed",
    tag: "cats",
    query: kpisQuery,
    responses: {
      200: {
        description: "KPI rows; `suppressed` lists the figures withheld (null) from this caller",
        schema: z.object({
          period: z.enum(["fiscal_year", "month"]),
          minCell: z.number(),
          items: z.array(z.looseObject({ municipality: z.string(), fiscalYear: z.number() })),
        }),
      },
    },
  }),
];

/**
 * `GET /kpis`: the headline KPIs from the marts (mart_kpi_fiscal_year by default, mart_kpi_month with
 * `period=month`), for everyone signed in. A municipality whose exact counts the caller may not see
 * (suppression.ts: staff of another city, viewers) gets its small figures withheld as one group each
 * (kpi-suppression.ts), listed in `suppressed`. Fiscal-year rows carry `basis`: whether the figures
 * came from records, from a published yearly table (aggregates) or both (docs/warehouse.md). The marts
 * are rebuilt after each load; `[]` before the first rebuild. Documented in docs/api.md.
 */
export function kpisRoutes(deps: ApiDeps) {
  const minCell = deps.runtime.config.auth.minCell;
  const maxBytes = deps.runtime.config.results.maxBytes;
  return new Hono<ApiEnv>().get("/kpis", authorize(deps, RULES.aggregates), async (c) => {
    const q = kpisQuery.parse(c.req.query());
    const user = c.get("user");
    const warehouse = deps.runtime.warehouse;
    if (!warehouse) {
      throw new CatdataError("UNAVAILABLE", "this deployment serves no KPI marts", {
        hint: "use GET /cats/stats for monthly counts from the lake",
      });
    }
    const rows = await warehouse.kpis(q);
    const items = rows.map((row) =>
      seesExactCounts(user, row.municipality) ? exactKpiRow(row) : suppressKpiRow(row, minCell),
    );
    return resultJson(c, { period: q.period, minCell, items }, maxBytes);
  });
}
