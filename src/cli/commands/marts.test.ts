import { beforeAll, describe, expect, it } from "vitest";
import { LocalLake } from "../../lake/local-lake.js";
import { ParquetDatasetWriter } from "../../lake/parquet-writer.js";
import { DataDir } from "../../local/data-dir.js";
import { cliHarness } from "../../testing/cli-harness.js";
import { tempConfig } from "../../testing/fixtures.js";
import { registerMartsCommands } from "./marts.js";

const config = tempConfig();

const harness = () => cliHarness(config, registerMartsCommands);

async function writeOutcomes(): Promise<void> {
  const lake = new LocalLake(new DataDir(config.dataDirectory));
  const writer = await ParquetDatasetWriter.open(await lake.openStaging("cli"), "outcomes", "cli");
  const types = ["adoption", "adoption", "return_to_field", "euthanasia"];
  for (const [i, outcomeType] of types.entries()) {
    const [municipality, at] = i < 3 ? ["131041", "2024-05-10T10:00:00"] : ["231002", "2025-01-10T10:00:00"];
    await writer.append({
      municipality,
      fiscalYear: 2024,
      sourceJob: "cli",
      sourceRow: i + 1,
      animalId: `a${i}`,
      outcomeAt: at,
      outcomeType,
      outcomeTypeOriginal: outcomeType,
      outcomeSubtypeOriginal: null,
      daysInShelter: 10 + i,
    });
  }
  await lake.commitJob("cli", { outcomes: await writer.finish() });
}

describe("catdata marts", () => {
  beforeAll(writeOutcomes);

  it("says there are no marts before the first rebuild", async () => {
    const { run, text } = harness();
    await run("marts", "show");
    expect(text.err).toContain("catdata marts rebuild");
    expect(text.out).toBe("(no rows)\n");
  });

  it("rebuilds and summarises what it read and wrote", async () => {
    const { run, text } = harness();
    await run("marts", "rebuild");
    expect(text.out).toMatch(/Rebuilt the duckdb warehouse in [\d,]+ ms: .*marts-.*\.duckdb/);
    expect(text.out).toContain("outcomes 4");
    expect(text.out).toMatch(/mart_kpi_fiscal_year\s+2/);
    const json = harness();
    await json.run("marts", "rebuild", "--json");
    expect(JSON.parse(json.text.out)).toMatchObject({ kind: "duckdb", sources: { outcomes: 4, intakes: 0 } });
  });

  it("shows the KPIs as a table or JSON, filtered", async () => {
    const { run, text } = harness();
    await run("marts", "show", "--municipality", "131041");
    expect(text.out).toMatch(/131041\s+FY2024\s+0\s+3\s+100\.0%\s+0\.0%\s+1\s+11/);
    expect(text.out).not.toContain("231002");
    const json = harness();
    await json.run("marts", "show", "--period", "month", "--fiscal-year", "2024", "--json");
    const rows = JSON.parse(json.text.out) as { municipality: string; month: string; euthanasiaRate: number }[];
    expect(rows.map((r) => [r.municipality, r.month, r.euthanasiaRate])).toEqual([
      ["131041", "2024-05", 0],
      ["231002", "2025-01", 1],
    ]);
  });

  it("rejects an unknown period as a usage error", async () => {
    const { run } = harness();
    await expect(run("marts", "show", "--period", "week")).rejects.toMatchObject({ exitCode: 2 });
  });
});
