import { Hono } from "hono";
import { z } from "zod";
import { RULES } from "../../auth/policy.js";
import { MAX_SEARCH_RESULTS } from "../../cats/municipalities.js";
import type { ApiDeps, ApiEnv } from "../context.js";
import { authorize } from "../middleware/authorize.js";

/** `?q=` longer than this is refused (a name or a code is a few characters). */
export const MAX_MUNICIPALITY_QUERY_CHARS = 64;

/** The route's query: `q` (search), `withData=1` (only municipalities with data); anything else is a 400. */
export const municipalitiesQuery = z.strictObject({
  q: z.string().trim().min(1).max(MAX_MUNICIPALITY_QUERY_CHARS).optional(),
  withData: z.enum(["0", "1"]).optional(),
});

/**
 * `GET /municipalities`: the municipalities this deployment knows (`config.municipalities`: the full
 * 全国地方公共団体コード list, the foreign sources and CATDATA_MUNICIPALITIES_FILE — the directory uploads
 * are checked against), each with `datasets`, the tables that hold rows of it. Reference data for
 * every signed-in user: it names no animal and no count. One `SELECT DISTINCT municipality` per table
 * finds the codes with data (never a query per municipality); `?withData=1` keeps only those, `?q=`
 * searches code, name (ja/en) and reading (at most MAX_SEARCH_RESULTS). Documented in docs/api.md.
 */
export function municipalitiesRoutes(deps: ApiDeps) {
  return new Hono<ApiEnv>().get("/municipalities", authorize(deps, RULES.reference), async (c) => {
    const { q, withData } = municipalitiesQuery.parse(c.req.query());
    const tables = await deps.runtime.query.tables();
    const present = new Map<string, string[]>();
    for (const table of tables) {
      const result = await deps.runtime.query.query(`SELECT DISTINCT municipality FROM "${table}"`);
      for (const row of result.rows) {
        const code = String(row.municipality);
        present.set(code, [...(present.get(code) ?? []), table]);
      }
    }
    const directory = deps.runtime.config.municipalities;
    const onlyWithData = withData === "1";
    const candidates = q
      ? directory.search(q, onlyWithData ? Number.POSITIVE_INFINITY : MAX_SEARCH_RESULTS)
      : directory.list();
    const items = candidates
      .filter((m) => !onlyWithData || present.has(m.code))
      .slice(0, q ? MAX_SEARCH_RESULTS : undefined)
      .map((m) => ({ ...m, datasets: present.get(m.code) ?? [] }));
    return c.json({ items });
  });
}
