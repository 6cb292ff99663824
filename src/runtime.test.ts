/**
 * Pins the runtime's wiring: a put under raw/ runs the ETL, and a successful load rebuilds the marts
 * (the design's S3 PUT → Lambda → Glue ETL → Redshift chain), so the KPIs reflect the new rows.
 */
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateDemoData } from "./demo/generate.js";
import { writeDemoFiles } from "./demo/write-demo-files.js";
import { ingestFile } from "./etl/ingest.js";
import { silentLogger } from "./log/logger.js";
import { openRuntime } from "./runtime.js";
import { tempConfig, tempDir } from "./testing/fixtures.js";

const runtime = await openRuntime(tempConfig(), silentLogger);
afterAll(async () => runtime.close());

describe("runtime", () => {
  it("rebuilds the marts after a load", async () => {
    expect(await runtime.warehouse.kpis({ period: "fiscal_year" })).toEqual([]);
    const data = generateDemoData({ seed: 3, fromFiscalYear: 2024, toFiscalYear: 2024, municipalities: ["141003"] });
    const file = (await writeDemoFiles(tempDir(), data)).find((f) => path.basename(f).endsWith("-intakes.csv"))!;
    const job = await ingestFile(runtime, file, { municipality: "141003" });
    expect(job.status).toBe("succeeded");
    await runtime.marts.idle();
    const kpis = await runtime.warehouse.kpis({ period: "fiscal_year", municipality: "141003" });
    expect(kpis.map((k) => [k.fiscalYear, k.intakes])).toEqual([[2024, data.intakes.length]]);
  });
});
