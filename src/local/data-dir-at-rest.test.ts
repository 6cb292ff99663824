/**
 * Pins what catdata leaves at rest in its data directory after a real run — an upload ingested
 * (one row loaded, one quarantined), the marts built, a trail loaded and the behaviour model trained,
 * all through the runtime (the composition root):
 * - no file is readable, and no folder enterable, by group or others (files 0600, folders 0700),
 *   whoever wrote them (DuckDB's COPY and ATTACH create 0644 files)
 * - the quarantined row's values appear in no file in clear, yet read back through the job log
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ingestFile } from "../etl/ingest.js";
import { silentLogger } from "../log/logger.js";
import { openRuntime, type Runtime } from "../runtime.js";
import { sequence, writeTrailFolder } from "../testing/behaviour.js";
import { tempConfig, tempDir } from "../testing/fixtures.js";
import { loadTrailFolder } from "../trail/lake/load-trail.js";

const HEADER =
  "Animal ID,Name,DateTime,MonthYear,Found Location,Intake Type,Intake Condition,Animal Type,Sex upon Intake,Age upon Intake,Breed,Color";
const row = (id: string, where: string, age: string) =>
  `${id},Tom,01/03/2019 04:19:00 PM,01/03/2019 04:19:00 PM,${where},Stray,Normal,Cat,Intact Male,${age},Domestic Shorthair,Black`;

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? [p, ...walk(p)] : [p];
  });
}

let runtime: Runtime | undefined;
afterEach(async () => runtime?.close());

describe("the data directory at rest", () => {
  it("holds only private files and no quarantined value in clear after ingest, marts and training", async () => {
    const config = tempConfig();
    runtime = await openRuntime(config, silentLogger, { rebuildMartsAfterLoad: false });
    const csv = path.join(tempDir(), "austin.csv");
    writeFileSync(
      csv,
      [HEADER, row("A1", "Main St", "2 years"), row("A9", "Hidden Alley 4242", "-1 years")].join("\r\n"),
    );
    const job = await ingestFile(runtime, csv);
    expect(job.counts).toMatchObject({ loaded: 1, quarantined: 1 });
    await runtime.warehouse.rebuild(runtime.lake);
    const events = sequence("alice", ["s3:ListBuckets", "s3:GetObject", "s3:PutObject"], Date.UTC(2024, 4, 1, 9));
    await loadTrailFolder(runtime.trail, await writeTrailFolder(events));
    await runtime.behaviour.train();
    await runtime.close();
    runtime = undefined;

    const root = config.dataDirectory;
    const entries = [root, ...walk(root)];
    const kinds = new Set(entries.map((p) => path.relative(root, p).split(path.sep)[0]));
    for (const part of ["store", "lake", "jobs", "warehouse", "models"]) expect(kinds).toContain(part);
    const loose = entries
      .map((p) => ({ p: path.relative(root, p) || ".", mode: statSync(p).mode & 0o777 }))
      .filter(({ mode }) => (mode & 0o077) !== 0)
      .map(({ p, mode }) => `${mode.toString(8)} ${p}`);
    expect(loose).toEqual([]);

    const files = entries.filter((p) => statSync(p).isFile());
    expect(files.filter((f) => readFileSync(f).includes("Hidden Alley 4242"))).toEqual([]);
    runtime = await openRuntime(config, silentLogger, { rebuildMartsAfterLoad: false });
    const [quarantined] = await runtime.jobs.readQuarantine(job.jobId);
    expect(Object.values(quarantined?.values ?? {})).toContain("Hidden Alley 4242");
  }, 60_000);
});
