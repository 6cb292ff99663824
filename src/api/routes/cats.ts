import { Hono } from "hono";
import { z } from "zod";
import { DATASETS, type Dataset } from "../../cats/model.js";
import { SCHEMAS } from "../../cats/schema.js";
import { CatdataError } from "../../errors.js";
import { buildCatsQuery, buildMonthlyCountsQuery } from "../../sql/build-cats-query.js";
import type { ApiDeps, ApiEnv } from "../context.js";

const filterQuery = z.object({
  dataset: z.enum(DATASETS).default("intakes"),
  municipality: z
    .string()
    .regex(/^[a-z0-9-]{2,32}$/, "a municipality code such as 131041 or us-tx-austin")
    .optional(),
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

/** Staff see their own municipality only; others may name one or see all. */
function scopeMunicipality(user: ApiEnv["Variables"]["user"], asked: string | undefined): string | undefined {
  if (!user.groups.includes("staff") || user.groups.includes("admin") || user.groups.includes("analyst")) return asked;
  if (asked !== undefined && asked !== user.municipality) {
    throw new CatdataError("FORBIDDEN", `staff of ${user.municipality} may not read records of ${asked}`);
  }
  return user.municipality ?? "";
}

const toCamel = (dataset: Dataset, row: Record<string, unknown>) =>
  Object.fromEntries(SCHEMAS[dataset].map((c) => [c.field, row[c.column] ?? null]));

/** `GET /cats` (canonical records, cursor-paginated) and `GET /cats/stats` (monthly counts). */
export function catsRoutes(deps: ApiDeps) {
  return new Hono<ApiEnv>()
    .get("/cats", async (c) => {
      const q = listQuery.parse(c.req.query());
      const municipality = scopeMunicipality(c.get("user"), q.municipality);
      const offset = decodeCursor(q.cursor);
      if (!(await deps.runtime.query.tables()).includes(q.dataset)) return c.json({ items: [], nextCursor: null });
      const { sql, params } = buildCatsQuery({ ...q, municipality, limit: q.limit + 1, offset });
      const result = await deps.runtime.query.query(sql, { params, maxRows: q.limit + 1 });
      const more = result.rows.length > q.limit;
      const items = result.rows.slice(0, q.limit).map((r) => toCamel(q.dataset, r));
      return c.json({ items, nextCursor: more ? encodeCursor(offset + q.limit) : null });
    })
    .get("/cats/stats", async (c) => {
      const q = filterQuery.parse(c.req.query());
      if (!(await deps.runtime.query.tables()).includes(q.dataset)) return c.json({ dataset: q.dataset, monthly: [] });
      const { sql, params } = buildMonthlyCountsQuery(q);
      const result = await deps.runtime.query.query(sql, { params, maxRows: 100_000 });
      return c.json({ dataset: q.dataset, monthly: result.rows });
    });
}
