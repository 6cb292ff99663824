/**
 * Pins GET /kpis: the fiscal-year KPIs of the marts through the API, with their basis.
 * - 272035 has only a published yearly table (aggregates): its figures equal the table's, basis 'aggregates';
 *   131041 has records (template TNR rows): basis 'records', intakes 0 and its TNR count.
 * - staff of 272035 and admins see 272035 exactly; a viewer sees no figure between 1 and minCell − 1, the
 *   withheld ones named in `suppressed`, the rest equal to the exact ones.
 * - `period=month` never holds aggregates (a yearly table has no months).
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { templateHeaders } from "../../cats/template.js";
import { ingestFile } from "../../etl/ingest.js";
import { DataDir } from "../../local/data-dir.js";
import { silentLogger } from "../../log/logger.js";
import { openRuntime, type Runtime } from "../../runtime.js";
import { createTestAuth, signIn } from "../../testing/auth.js";
import { tempConfig, tempDir } from "../../testing/fixtures.js";
import { YEARLY_MEASURES, yearlyCsv, yearlyFigures, yearlyRowsMapping } from "../../testing/yearly-table.js";
import { createApiApp } from "../app.js";

const PASSWORD = "Correct-Horse-9";
const dir = tempDir();
let runtime: Runtime;
let app: ReturnType<typeof createApiApp>;
const tokens: Record<string, string> = {};
// Six years × four measures, each 1–900 (seeded); the suppression rules themselves: kpi-suppression.test.ts.
const table = yearlyFigures(11);
const FIELD: Record<string, string> = {
  intakes: "intakes",
  returns_to_owner: "returnsToOwner",
  adoptions: "adoptions",
  euthanasia: "euthanasia",
};

interface KpiItem {
  municipality: string;
  fiscalYear: number;
  basis?: string;
  suppressed: string[];
  [figure: string]: unknown;
}
const get = async (query: string, who: string) => {
  const res = await app.request(`/kpis${query}`, { headers: { authorization: `Bearer ${tokens[who]}` } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: KpiItem[] }).items;
};

beforeAll(async () => {
  runtime = await openRuntime(tempConfig(), silentLogger);
  const auth = await createTestAuth(new DataDir(runtime.config.dataDirectory));
  app = createApiApp({ runtime, ...auth });
  for (const [username, groups, municipality] of [
    ["adm", ["admin"], undefined],
    ["toyonaka", ["staff"], "272035"],
    ["vic", ["viewer"], undefined],
  ] as const) {
    await auth.users.create({
      username,
      password: PASSWORD,
      groups: [...groups],
      ...(municipality ? { municipality } : {}),
    });
    tokens[username] = await signIn(app, username, PASSWORD);
  }
  const csv = path.join(dir, "yearly.csv");
  writeFileSync(csv, yearlyCsv(table));
  const mapping = path.join(dir, "yearly.mapping.json");
  writeFileSync(mapping, JSON.stringify(yearlyRowsMapping("272035")));
  const yearly = await ingestFile(runtime, csv, { municipality: "272035", mapping });
  expect(yearly.status, yearly.error ?? "").toBe("succeeded");
  const tnr = path.join(dir, "tnr.csv");
  writeFileSync(
    tnr,
    [templateHeaders("tnr", "en").join(","), ["131041", "2024-05-01", "North", "female", "7", ""].join(",")].join("\n"),
  );
  expect((await ingestFile(runtime, tnr, { municipality: "131041" })).status).toBe("succeeded");
  await runtime.marts.idle();
});
afterAll(async () => runtime.close());

describe("GET /kpis", () => {
  it("serves a yearly table's figures with basis 'aggregates', and records with basis 'records'", async () => {
    const items = await get("", "adm");
    const toyonaka = items.filter((i) => i.municipality === "272035");
    expect(toyonaka.map((i) => i.fiscalYear)).toEqual(table.map((y) => y.fiscalYear));
    for (const year of table) {
      const row = toyonaka.find((i) => i.fiscalYear === year.fiscalYear);
      expect(row?.basis).toBe("aggregates");
      expect(row?.suppressed).toEqual([]);
      for (const [header, metric] of YEARLY_MEASURES) {
        expect(row?.[FIELD[metric] as string], `${year.label} ${header}`).toBe(year.cells[header]);
      }
    }
    expect(items.find((i) => i.municipality === "131041")).toMatchObject({
      fiscalYear: 2024,
      basis: "records",
      intakes: 0,
      tnrOperations: 7,
      suppressed: [],
    });
  });

  it("shows staff their own city exactly and withholds a viewer's small figures, naming them", async () => {
    const exact = await get("?municipality=272035", "adm");
    expect(await get("?municipality=272035", "toyonaka")).toEqual(exact);
    const viewed = await get("?municipality=272035", "vic");
    expect(viewed.map((i) => i.fiscalYear)).toEqual(exact.map((i) => i.fiscalYear));
    for (const row of viewed) {
      const truth = exact.find((i) => i.fiscalYear === row.fiscalYear) as KpiItem;
      for (const field of Object.values(FIELD)) {
        const shown = row[field] as number | null;
        if (shown === null) expect(row.suppressed).toContain(field);
        else {
          expect(shown).toBe(truth[field]);
          expect(shown === 0 || shown >= runtime.config.auth.minCell, `${row.fiscalYear} ${field}=${shown}`).toBe(true);
        }
      }
    }
    // The TNR row of 131041 (7 cats) is at least minCell: the viewer sees it as it is.
    expect((await get("?municipality=131041", "vic"))[0]).toMatchObject({ tnrOperations: 7 });
  });

  it("keeps aggregates out of months", async () => {
    const months = await get("?period=month", "adm");
    expect(months.some((i) => i.municipality === "272035")).toBe(false);
    expect(months.find((i) => i.municipality === "131041")).toMatchObject({ month: "2024-05", tnrOperations: 7 });
  });
});
