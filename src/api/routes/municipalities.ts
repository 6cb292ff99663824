import { Hono } from "hono";
import { listMunicipalities } from "../../cats/municipalities.js";
import type { ApiDeps, ApiEnv } from "../context.js";

/** `GET /municipalities`: the known municipalities and, for each, the datasets that hold data. */
export function municipalitiesRoutes(deps: ApiDeps) {
  return new Hono<ApiEnv>().get("/municipalities", async (c) => {
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
      items: listMunicipalities().map((m) => ({ ...m, datasets: present.get(m.code) ?? [] })),
    });
  });
}
