import { Hono } from "hono";
import { z } from "zod";
import { MUNICIPALITY_CODE } from "../../auth/groups.js";
import { exactCountsScope, RULES, recordMunicipality, seesExactCounts } from "../../auth/policy.js";
import { assertWholeMonths, suppressSmallCells } from "../../auth/suppression.js";
import { DATASETS, type Dataset } from "../../cats/model.js";
import { SCHEMAS } from "../../cats/schema.js";
import { CatdataError } from "../../errors.js";
import { buildCatsQuery, buildMonthlyCountsQuery } from "../../sql/build-cats-query.js";
import type { ApiDeps, ApiEnv } from "../context.js";
import { authorize } from "../middleware/authorize.js";
import { resultJson } from "../result-json.js";

const filterQuery = z.object({
  dataset: z.enum(DATASETS).default("intakes"),
  municipality: z.string().regex(MUNICIPALITY_CODE, "a municipality code such as 131041 or us-tx-austin").optional(),
  fiscalYear: z.coerce.number().int().min(1900).max(2100).optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  type: z
    .string()
    .regex(/^[a-z_]{2,40}$/)
    .optional(),
});
const listQuery = filterQuery.extend({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(200).optional(),
});

const encodeCursor = (offset: number) => Buffer.from(JSON.stringify({ o: offset })).toString("base64url");
function decodeCursor(cursor: string | undefined): number {
  if (!cursor) return 0;
  try {
    const o = (JSON.parse(Buffer.from(cursor, "base64url").toString()) as { o: unknown }).o;
    if (typeof o === "number" && Number.isInteger(o) && o >= 0) return o;
  } catch {}
  throw new CatdataError("BAD_INPUT", "invalid cursor", { hint: "pass the nextCursor of the previous page unchanged" });
}

const toCamel = (dataset: Dataset, row: Record<string, unknown>) =>
  Object.fromEntries(SCHEMAS[dataset].map((c) => [c.field, row[c.column] ?? null]));

interface MonthlyCell {
  municipality: string;
  month: string;
  type: string | null;
  n: number;
}

/**
 * `GET /cats`: canonical records, cursor-paginated (admin, analyst; staff of their own municipality).
 * `GET /cats/stats`: monthly counts per municipality and type, for everyone signed in; cells of a
 * municipality the caller may not read record by record are suppressed when small (see suppression.ts).
 */
export function catsRoutes(deps: ApiDeps, options: { minCell?: number } = {}) {
  const minCell = options.minCell ?? deps.runtime.config.auth.minCell;
  const maxBytes = deps.runtime.config.results.maxBytes;
  return new Hono<ApiEnv>()
    .get("/cats", authorize(deps, RULES.records), async (c) => {
      const q = listQuery.parse(c.req.query());
      const municipality = recordMunicipality(c.get("user"), q.municipality);
      const offset = decodeCursor(q.cursor);
      if (!(await deps.runtime.query.tables()).includes(q.dataset)) return c.json({ items: [], nextCursor: null });
      const { sql, params } = buildCatsQuery({ ...q, municipality, limit: q.limit + 1, offset });
      const result = await deps.runtime.query.query(sql, { params, maxRows: q.limit + 1 });
      const more = result.rows.length > q.limit;
      const items = result.rows.slice(0, q.limit).map((r) => toCamel(q.dataset, r));
      return resultJson(c, { items, nextCursor: more ? encodeCursor(offset + q.limit) : null }, maxBytes);
    })
    .get("/cats/stats", authorize(deps, RULES.aggregates), async (c) => {
      const q = filterQuery.parse(c.req.query());
      const user = c.get("user");
      const exact = (municipality: string) => seesExactCounts(user, municipality);
      const allExact = exactCountsScope(user) === "all" || (q.municipality !== undefined && exact(q.municipality));
      // Only views without suppression may cut months: suppressed cells must be the same whatever the bounds.
      if (!allExact) assertWholeMonths({ from: q.from, to: q.to });
      if (!(await deps.runtime.query.tables()).includes(q.dataset)) {
        return c.json({ dataset: q.dataset, minCell, monthly: [] });
      }
      // Whole groups (every type of a municipality-month) are counted, suppressed, then filtered by type,
      // so that asking for one type cannot reveal what the whole group hides.
      const { sql, params } = buildMonthlyCountsQuery({ ...q, type: undefined });
      const result = await deps.runtime.query.query(sql, { params, maxRows: 100_000 });
      const cells = result.rows as unknown as MonthlyCell[];
      const monthly = suppressSmallCells(cells, {
        minCell,
        exact: (r) => exact(r.municipality),
        group: (r) => `${r.municipality}|${r.month}`,
      }).filter((r) => q.type === undefined || r.type === q.type);
      return resultJson(c, { dataset: q.dataset, minCell, monthly }, maxBytes);
    });
}
