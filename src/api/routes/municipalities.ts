import { Hono } from "hono";
import { RULES } from "../../auth/policy.js";
import type { ApiDeps, ApiEnv } from "../context.js";
import { authorize } from "../middleware/authorize.js";

/**
 * `GET /municipalities`: the municipalities this deployment knows (built in, plus its
 * CATDATA_MUNICIPALITIES_FILE: `config.municipalities`, the directory uploads are checked against) and, for each, the datasets that hold data. Reference
 * data for every signed-in user: it names no animal and no count.
 */
export function municipalitiesRoutes(deps: ApiDeps) {
  return new Hono<ApiEnv>().get("/municipalities", authorize(deps, RULES.reference), async (c) => {
    const tables = await deps.runtime.query.tables();
    const present = new Map<string, string[]>();
    for (const table of tables) {
      const result = await deps.runtime.query.query(`SELECT DISTINCT municipality FROM "${table}"`);
      for (const row of result.rows) {
        const code = String(row.municipality);
        present.set(code, [...(present.get(code) ?? []), table]);
      }
    }
    return c.json({
      items: deps.runtime.config.municipalities.list().map((m) => ({ ...m, datasets: present.get(m.code) ?? [] })),
    });
  });
}
