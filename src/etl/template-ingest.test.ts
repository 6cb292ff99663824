/**
 * Pins the upload template's round trip through the real pipeline: demo records rendered as template
 * CSV (Shift_JIS with Japanese headers, UTF-8 with English headers) and ingested come back as the same
 * canonical records, and per-row problems (unknown category, wrong municipality) are quarantined.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderTemplateCsv } from "../cats/template.js";
import { generateDemoData } from "../demo/generate.js";
import { writeDemoFiles } from "../demo/write-demo-files.js";
import { silentLogger } from "../log/logger.js";
import { openRuntime, type Runtime } from "../runtime.js";
import { tempConfig, tempDir } from "../testing/fixtures.js";
import { ingestFile } from "./ingest.js";

let runtime: Runtime;
const data = generateDemoData({
  seed: 7,
  fromFiscalYear: 2023,
  toFiscalYear: 2023,
  municipalities: ["131041", "231002", "401307"],
});

beforeAll(async () => {
  runtime = await openRuntime(tempConfig(), silentLogger);
});
afterAll(async () => runtime.close());

describe("template ingest", () => {
  it("loads every demo file and every record", async () => {
    const files = await writeDemoFiles(tempDir(), data);
    for (const file of files) {
      const municipality = /^demo-(\d+)-/.exec(path.basename(file))?.[1];
      const job = await ingestFile(runtime, file, { municipality: municipality! });
      expect(job.status, `${file}: ${job.error}`).toBe("succeeded");
      expect(job.counts.quarantined, file).toBe(0);
    }
    for (const dataset of ["intakes", "outcomes", "tnr", "complaints"] as const) {
      const r = await runtime.query.query(`SELECT count(*)::INT AS n FROM ${dataset}`);
      expect(r.rows[0]?.n, dataset).toBe(data[dataset].length);
    }
    const sample = data.intakes.find((i) => i.municipality === "131041")!;
    const back = await runtime.query.query(
      "SELECT intake_type, age_class, sex, altered, fiscal_year, strftime(intake_at, '%Y-%m-%dT%H:%M:%S') AS at FROM intakes WHERE animal_id = $1",
      { params: [sample.animalId] },
    );
    expect(back.rows[0]).toEqual({
      intake_type: sample.intakeType,
      age_class: sample.ageClass,
      sex: sample.sex,
      altered: sample.altered,
      fiscal_year: sample.fiscalYear,
      at: `${sample.intakeAt.slice(0, 16)}:00`,
    });
  });

  it("quarantines unknown categories and rows of another municipality", async () => {
    const rows = data.complaints.filter((c) => c.municipality === "131041").slice(0, 3);
    const csv = iconv
      .decode(renderTemplateCsv("complaints", rows, { lang: "ja", encoding: "shift_jis" }), "cp932")
      .split("\r\n");
    csv[2] = csv[2]!.replace("131041", "231002");
    csv[3] = csv[3]!.replace(/,(糞尿被害|鳴き声|餌やり|ごみ荒らし|庭への侵入|負傷・死体|多頭飼育|その他),/, ",宇宙人,");
    const file = path.join(tempDir(), "complaints.csv");
    writeFileSync(file, iconv.encode(csv.join("\r\n"), "cp932"));
    const job = await ingestFile(runtime, file, { municipality: "131041" });
    expect(job.counts).toMatchObject({ read: 3, loaded: 1, quarantined: 2 });
    const reasons = (await runtime.jobs.readQuarantine(job.jobId)).map((q) => q.reason);
    expect(reasons).toEqual([expect.stringMatching(/municipality 231002/), expect.stringMatching(/宇宙人/)]);
  });
});
